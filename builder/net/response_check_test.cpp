#include "builder/net/response_check.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace airlock::net;

namespace {

ResponseHead head(const std::vector<std::string>& lines) {
    ResponseHead h;
    for (const auto& line : lines)
        parse_header_line(line, h, 0);
    return h;
}

}  // namespace

TEST(ResponseHead, ParsesTheHeadersTransfersActOn) {
    auto h = head({"HTTP/1.1 206 Partial Content\r\n", "Content-Length: 10\r\n",
                   "Content-Range: bytes 5-14/100\r\n", "Accept-Ranges: bytes\r\n",
                   "ETag: \"abc\"\r\n", "Retry-After: 3\r\n", "Location: /x\r\n"});
    EXPECT_EQ(h.status, 206);
    EXPECT_EQ(h.content_length, 10u);
    EXPECT_EQ(h.range_first, 5u);
    EXPECT_EQ(h.range_last, 14u);
    EXPECT_EQ(h.range_total, 100u);
    EXPECT_TRUE(h.accept_ranges);
    EXPECT_EQ(h.etag, "\"abc\"");
    EXPECT_EQ(h.retry_after, std::chrono::seconds(3));
    EXPECT_EQ(h.location, "/x");
    EXPECT_EQ(h.fields.at("etag"), "\"abc\"");
    EXPECT_EQ(h.fields.at("content-range"), "bytes 5-14/100");
    // Repeated headers are joined, as RFC 9110 §5.3 allows.
    auto joined = head({"HTTP/1.1 200 OK", "Cache-Control: max-age=60", "cache-control:  public "});
    EXPECT_EQ(joined.fields.at("cache-control"), "max-age=60, public");
    // A new status line (a redirect was followed) starts over.
    parse_header_line("HTTP/1.1 200 OK", h, 0);
    EXPECT_EQ(h.status, 200);
    EXPECT_FALSE(h.content_length);
    EXPECT_TRUE(h.fields.empty());
    // Weak ETags cannot guard a range; malformed ranges and lengths are absent, not zero.
    auto w = head({"HTTP/1.1 206 x", "ETag: W/\"abc\"", "Content-Range: bytes 5-x/100",
                   "Content-Length: 99999999999999999999999"});
    EXPECT_EQ(w.etag, "");
    EXPECT_FALSE(w.range_first);
    EXPECT_FALSE(w.content_length);
}

TEST(ResponseCheck, JudgesRangesLengthsAndValidators) {
    struct Case {
        const char* name;
        AskedRange asked;
        std::vector<std::string> lines;
        KnownFile known;
        RangeVerdict verdict;
        const char* problem;
    };
    const AskedRange from0{true, 0, std::nullopt, ""};
    const AskedRange mid{true, 500, 999, "\"v1\""};
    const AskedRange plain{false, 0, std::nullopt, ""};
    const std::vector<Case> cases = {
        {"exact range",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-999/1000", "Content-Length: 500",
          "ETag: \"v1\""},
         {1000, "\"v1\""},
         RangeVerdict::accept,
         ""},
        {"shorter than asked is allowed",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-700/1000"},
         {1000, ""},
         RangeVerdict::accept,
         ""},
        {"first range learns the size",
         from0,
         {"HTTP/1.1 206 P", "Content-Range: bytes 0-9/10"},
         {},
         RangeVerdict::accept,
         ""},
        {"200 from byte 0",
         from0,
         {"HTTP/1.1 200 OK", "Content-Length: 10"},
         {},
         RangeVerdict::whole,
         ""},
        {"plain 200",
         plain,
         {"HTTP/1.1 200 OK", "Content-Length: 10"},
         {10, ""},
         RangeVerdict::whole,
         ""},
        {"plain 200 with another length",
         plain,
         {"HTTP/1.1 200 OK", "Content-Length: 11"},
         {10, ""},
         RangeVerdict::contradiction,
         "Content-Length 11 disagrees with the file's size, 10 bytes"},
        {"range ignored above 0",
         mid,
         {"HTTP/1.1 200 OK", "ETag: \"v1\""},
         {1000, "\"v1\""},
         RangeVerdict::contradiction,
         "the server ignored Range: bytes=500- and sent the whole file (HTTP 200)"},
        {"If-Range: the file changed",
         mid,
         {"HTTP/1.1 200 OK", "ETag: \"v2\""},
         {1000, "\"v1\""},
         RangeVerdict::changed,
         "the file changed on the server (validator \"v1\" became \"v2\")"},
        {"206 without Content-Range",
         mid,
         {"HTTP/1.1 206 P"},
         {},
         RangeVerdict::contradiction,
         "the server answered 206 without a valid Content-Range"},
        {"206 to a plain request",
         plain,
         {"HTTP/1.1 206 P", "Content-Range: bytes 0-9/10"},
         {},
         RangeVerdict::contradiction,
         "the server answered 206 (partial) to a request without Range"},
        {"206 at another offset",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 0-499/1000"},
         {},
         RangeVerdict::contradiction,
         "Content-Range bytes 0-499/1000 answers a request for bytes 500-"},
        {"206 past its own total",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-999/900"},
         {},
         RangeVerdict::contradiction,
         "Content-Range bytes 500-999/900 is not inside the file it describes"},
        {"206 past the asked end",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-1000/2000"},
         {},
         RangeVerdict::contradiction,
         "Content-Range bytes 500-1000/2000 goes past the requested end 999"},
        {"206 total larger than the file",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-999/5000"},
         {1000, ""},
         RangeVerdict::contradiction,
         "Content-Range bytes 500-999/5000 disagrees with the file's size, 1000 bytes"},
        {"Content-Length disagrees with Content-Range",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-999/1000", "Content-Length: 600"},
         {1000, ""},
         RangeVerdict::contradiction,
         "Content-Length 600 disagrees with Content-Range bytes 500-999/1000"},
        {"validator changed between ranges",
         mid,
         {"HTTP/1.1 206 P", "Content-Range: bytes 500-999/1000", "ETag: \"v9\""},
         {1000, "\"v1\""},
         RangeVerdict::contradiction,
         "the validator changed from \"v1\" to \"v9\" between two ranges of one file"},
    };
    for (const auto& c : cases) {
        auto got = check_response(c.asked, head(c.lines), c.known);
        EXPECT_EQ(got.verdict, c.verdict) << c.name;
        EXPECT_EQ(got.problem, c.problem) << c.name;
    }
}
