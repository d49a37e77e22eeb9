// Integration tests against real nginx: a fixture index built by tests/index/serve_index_fixture.py
// (real wheels, PEP 503/691 pages, PEP 658 files; see that script), served until this process
// closes the script's stdin. Checks what crosses the wire through nginx's access log.
#include "builder/index/index_client.hpp"

#include "builder/fetch/cache.hpp"
#include "builder/fetch/fetch.hpp"
#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/source_dir.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <thread>

using namespace airlock;
using namespace airlock::index;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    std::optional<test_support::TempDir> work;
    FILE* pipe = nullptr;
    std::string url, noranges_url, access_log, noranges_access_log;
    std::string failure;
};

Fixture* fixture = nullptr;

/// The file's lines; none while nginx has not created it yet.
std::vector<std::string> lines_of(const std::string& path) {
    std::vector<std::string> out;
    std::istringstream in(fs::exists(path) ? test_support::read_file(path) : std::string());
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

class IndexEnvironment : public ::testing::Environment {
  public:
    void SetUp() override {
        fixture = new Fixture;
        if (!fs::exists("/usr/sbin/nginx")) {
            fixture->failure =
                "nginx is not installed: apt-get install nginx-light "
                "(packaging/setup.sh does)";
            return;
        }
        fixture->work.emplace("airlock-index-test-");
        std::string script =
            (test_support::source_dir() / "tests/index/serve_index_fixture.py").string();
        std::string command = "python3 '" + script + "' '" + fixture->work->path().string() + "'";
        // Not test_support::run_process: the server runs until its stdin (this pipe) is closed.
        fixture->pipe = popen(command.c_str(), "w");
        auto ready = *fixture->work / "ready.json";
        for (int i = 0; i < 600 && !fs::exists(ready); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!fs::exists(ready)) {
            fixture->failure = "the fixture server did not start: " + command;
            return;
        }
        simdjson::dom::parser parser;
        auto doc = parser.load(ready.string());
        fixture->url = std::string(doc["url"].get_string().value());
        fixture->noranges_url = std::string(doc["noranges_url"].get_string().value());
        fixture->access_log = std::string(doc["access_log"].get_string().value());
        fixture->noranges_access_log = std::string(doc["noranges_access_log"].get_string().value());
    }
    void TearDown() override {
        if (fixture->pipe)
            pclose(fixture->pipe);  // EOF on its stdin stops nginx
        delete fixture;             // and removes its directory
    }
};

const auto* const environment = ::testing::AddGlobalTestEnvironment(new IndexEnvironment);

manifest::IndexSpec spec(std::string name, std::string url, std::vector<std::string> packages = {},
                         std::vector<std::string> mirrors = {}) {
    manifest::IndexSpec s;
    s.name = std::move(name);
    s.url = std::move(url);
    s.packages = std::move(packages);
    s.mirrors = std::move(mirrors);
    return s;
}

class IndexClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!fixture->failure.empty())
            FAIL() << fixture->failure;
        cache_dir.emplace("airlock-index-cache-");
        cache = cache_dir->path();
        log_start = lines_of(fixture->access_log).size();
    }
    IndexClientOptions options(net::CacheMode mode = net::CacheMode::revalidate) {
        IndexClientOptions o;
        o.cache_dir = cache;
        o.cache_mode = mode;
        o.retries = 1;
        return o;
    }
    /// Access-log lines (`STATUS METHOD URI RANGE BYTES`) written since the test started.
    std::vector<std::string> new_requests() {
        // nginx logs a request after sending its response: let the last lines land.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        auto all = lines_of(fixture->access_log);
        std::vector<std::string> out(
            all.begin() + static_cast<long>(std::min(log_start, all.size())), all.end());
        log_start = all.size();
        return out;
    }
    std::string pypi() const { return fixture->url + "/simple"; }

    std::optional<test_support::TempDir> cache_dir;
    fs::path cache;
    std::size_t log_start = 0;
};

const DistFile& file_named(const ProjectPage& page, std::string_view filename) {
    for (const auto& f : page.files) {
        if (f.filename == filename)
            return f;
    }
    throw std::runtime_error("no file " + std::string(filename));
}

}  // namespace

TEST_F(IndexClientTest, JsonPageAndHtmlPageAgree) {
    IndexClient client({spec("pypi", pypi())}, options());
    const ProjectPage& json = client.project("Demo");
    EXPECT_EQ(json.name, "demo");
    EXPECT_EQ(json.index_name, "pypi");
    ASSERT_EQ(json.files.size(), 3u);
    auto html_response = client.http().get(pypi() + "/demo/", {"Accept: text/html"});
    EXPECT_EQ(html_response.content_type, "text/html");
    auto html = parse_html_page(html_response.body, html_response.effective_url);
    ASSERT_EQ(html.files.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto &a = json.files[i], &b = html.files[i];
        EXPECT_EQ(a.filename, b.filename);
        EXPECT_EQ(a.url, b.url);
        EXPECT_EQ(a.hashes, b.hashes);
        EXPECT_EQ(a.requires_python, b.requires_python);
        EXPECT_EQ(a.yanked, b.yanked);
        EXPECT_EQ(a.has_core_metadata, b.has_core_metadata);
        EXPECT_EQ(a.core_metadata_sha256, b.core_metadata_sha256);
        EXPECT_TRUE(a.size);
    }
    const auto& demo1 = file_named(json, "demo-1.0-py3-none-any.whl");
    EXPECT_EQ(demo1.url, fixture->url + "/packages/demo/demo-1.0-py3-none-any.whl");
    EXPECT_EQ(demo1.requires_python, ">=3.8");
    EXPECT_EQ(file_named(json, "demo-3.0-py3-none-any.whl").yanked, "broken <build> & more");
}

TEST_F(IndexClientTest, MissingProjectIsNotFoundNotAnError) {
    IndexClient client({spec("pypi", pypi())}, options());
    EXPECT_EQ(client.find_project("no-such-project"), nullptr);
    try {
        client.project("No_Such.Project");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.render(),
                  "error: package `no-such-project` is not on index `pypi`\n\nhint: check the "
                  "spelling, or add the index that has it as an [[index]]\n");
    }
}

TEST_F(IndexClientTest, PackagesListPinsAProjectToItsIndex) {
    IndexClient client(
        {spec("pypi", pypi()), spec("pytorch", fixture->url + "/whl/cu124", {"torch"}),
         spec("other", fixture->url + "/nometa")},
        options());
    ASSERT_EQ(client.indexes_for("Torch").size(), 1u);
    EXPECT_EQ(client.indexes_for("Torch")[0]->name, "pytorch");
    ASSERT_EQ(client.indexes_for("demo").size(), 2u);  // the unpinned ones, in manifest order
    EXPECT_EQ(client.indexes_for("demo")[1]->name, "other");
    const auto& torch = client.project("torch");
    EXPECT_EQ(torch.index_name, "pytorch");
    ASSERT_EQ(torch.files.size(), 1u);
    EXPECT_EQ(torch.files[0].filename, "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl");
    EXPECT_EQ(torch.files[0].url,
              fixture->url + "/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl");
    // The first unpinned index that has the project wins; later ones are not merged in.
    EXPECT_EQ(client.project("big-pkg").index_name, "pypi");
    // A pinned project is never looked up elsewhere, even when the pinned index lacks it.
    IndexClient pinned(
        {spec("pypi", pypi()), spec("pytorch", fixture->url + "/whl/cu124", {"demo"})}, options());
    EXPECT_EQ(pinned.find_project("demo"), nullptr);
    new_requests();
    EXPECT_THROW(pinned.project("demo"), Error);
}

TEST_F(IndexClientTest, MetadataFromPep658ThenFromCache) {
    IndexClient client({spec("pypi", pypi())}, options());
    const auto& file = file_named(client.project("demo"), "demo-2.0-py3-none-any.whl");
    new_requests();
    MetadataSource source{};
    auto text = client.metadata(file, &source);
    EXPECT_EQ(source, MetadataSource::pep658);
    EXPECT_NE(text.find("Name: demo\n"), std::string::npos);
    EXPECT_NE(text.find("Requires-Dist: bigpkg; python_version >= \"3.12\""), std::string::npos);
    auto requests = new_requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].substr(0, 58),
              "200 GET /packages/demo/demo-2.0-py3-none-any.whl.metadata ");
    EXPECT_EQ(client.metadata(file, &source), text);
    EXPECT_EQ(source, MetadataSource::cache);
    IndexClient again({spec("pypi", pypi())}, options());  // same disk cache
    EXPECT_EQ(again.metadata(file, &source), text);
    EXPECT_EQ(source, MetadataSource::cache);
    EXPECT_TRUE(new_requests().empty());
}

TEST_F(IndexClientTest, Pep658HashMismatchIsAnError) {
    IndexClient client({spec("pypi", pypi())}, options());
    DistFile file = file_named(client.project("demo"), "demo-1.0-py3-none-any.whl");
    file.hashes.clear();
    file.core_metadata_sha256 = std::string(64, '0');
    try {
        client.metadata(file);
        FAIL();
    } catch (const Error& e) {
        ASSERT_EQ(e.chain().size(), 2u);
        EXPECT_EQ(e.chain()[1], "reading the metadata of `demo-1.0-py3-none-any.whl`");
        EXPECT_NE(e.chain()[0].find("demo-1.0-py3-none-any.whl.metadata has sha256 "),
                  std::string::npos);
        EXPECT_NE(e.chain()[0].find(" but the index says 000000"), std::string::npos);
    }
}

TEST_F(IndexClientTest, MetadataFromRangeReadsOfTheZip) {
    IndexClient client({spec("nometa", fixture->url + "/nometa")}, options());
    const auto& page = client.project("big-pkg");
    ASSERT_EQ(page.files.size(), 1u);
    const auto& file = page.files[0];
    EXPECT_FALSE(file.has_core_metadata);
    new_requests();
    MetadataSource source{};
    auto text = client.metadata(file, &source);
    EXPECT_EQ(source, MetadataSource::range_read);
    EXPECT_NE(text.find("Requires-Dist: demo==1.0"), std::string::npos);
    std::uint64_t bytes = 0;
    for (const auto& line : new_requests()) {
        EXPECT_EQ(line.substr(0, 8), "206 GET ") << line;  // only ranges, never the whole wheel
        bytes += std::stoull(line.substr(line.rfind(' ') + 1));
    }
    EXPECT_LT(bytes, 70'000u);  // the wheel is > 600 kB
}

TEST_F(IndexClientTest, MetadataFromTheWholeWheelWhenRangesAreIgnored) {
    IndexClient client({spec("nometa", fixture->noranges_url + "/nometa")}, options());
    const DistFile file = client.project("big-pkg").files.at(0);
    ASSERT_TRUE(file.sha256());  // an HTML page: no size
    MetadataSource source{};
    auto text = client.metadata(file, &source);
    EXPECT_EQ(source, MetadataSource::whole_wheel);
    EXPECT_NE(text.find("Name: Big_Pkg"), std::string::npos);
    // The wheel was streamed into the download cache, verified, rather than held in memory...
    auto blob = fetch::Cache(cache).lookup(*file.sha256());
    ASSERT_TRUE(blob);
    EXPECT_GT(fs::file_size(*blob), 600'000u);
    EXPECT_EQ(digest::sha256_file(*blob), *file.sha256());
    for (const auto& left : fs::directory_iterator(cache / "tmp"))
        ADD_FAILURE() << "left behind: " << left.path();
    // ...where the download that follows finds it: no request.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto requests = lines_of(fixture->noranges_access_log).size();
    fetch::FetchOptions fetch_options;
    fetch_options.cache_dir = cache;
    fetch_options.progress = fetch::FetchOptions::Progress::quiet;
    auto fetched = fetch::fetch_all(
        {{file.filename, "", {file.url}, *file.sha256(), "", file.size}}, fetch_options);
    EXPECT_EQ(fetched.at(0).blob, *blob);
    // A second client (no metadata cache in memory, the METADATA cache removed) reads the wheel
    // from the download cache, without a request.
    fs::remove_all(cache / "metadata");
    IndexClient again({spec("nometa", fixture->noranges_url + "/nometa")},
                      options(net::CacheMode::prefer_cache));
    EXPECT_NE(again.metadata(file, &source).find("Name: Big_Pkg"), std::string::npos);
    EXPECT_EQ(source, MetadataSource::whole_wheel);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(lines_of(fixture->noranges_access_log).size(), requests);
}

TEST_F(IndexClientTest, PagesAreRevalidatedWithEtag) {
    {
        IndexClient client({spec("pypi", pypi())}, options());
        EXPECT_EQ(client.project("demo").files.size(), 3u);
    }
    auto first = new_requests();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].substr(0, 34), "200 GET /simple/demo/index.json - ");
    {
        IndexClient client({spec("pypi", pypi())}, options());
        EXPECT_EQ(client.project("demo").files.size(), 3u);
        auto response = client.http().get(pypi() + "/demo/", {page_accept});
        EXPECT_TRUE(response.from_cache);
        EXPECT_EQ(response.status, 200);
    }
    auto second = new_requests();
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0], "304 GET /simple/demo/index.json - 0");  // revalidated: no body
    EXPECT_EQ(second[1], "304 GET /simple/demo/index.json - 0");
    {
        IndexClient client({spec("pypi", pypi())}, options(net::CacheMode::prefer_cache));
        EXPECT_EQ(client.project("demo").files.size(), 3u);
        IndexClient offline({spec("pypi", pypi())}, options(net::CacheMode::offline));
        EXPECT_EQ(offline.project("demo").files.size(), 3u);
        try {
            offline.find_project("big-pkg");
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.chain()[0], "GET " + pypi() + "/big-pkg/ failed: offline mode and " +
                                        pypi() + "/big-pkg/ is not in the cache");
        }
    }
    EXPECT_TRUE(new_requests().empty());
}

TEST_F(IndexClientTest, MirrorFailoverAndMirroredFileUrls) {
    const std::string dead = "http://127.0.0.1:9/simple";  // discard port: connection refused
    IndexClient client({spec("pypi", dead, {}, {pypi()})}, options());
    const auto& page = client.project("demo");
    const auto& file = file_named(page, "demo-1.0-py3-none-any.whl");
    EXPECT_EQ(file.url, "http://127.0.0.1:9/packages/demo/demo-1.0-py3-none-any.whl");
    ASSERT_EQ(file.mirror_urls.size(), 1u);
    EXPECT_EQ(file.mirror_urls[0], fixture->url + "/packages/demo/demo-1.0-py3-none-any.whl");
    MetadataSource source{};
    EXPECT_NE(client.metadata(file, &source).find("Name: demo"), std::string::npos);
    EXPECT_EQ(source, MetadataSource::pep658);
}

TEST_F(IndexClientTest, AllMirrorsDownIsAnErrorNamingTheUrl) {
    IndexClient client({spec("pypi", "http://user:secret@127.0.0.1:9/simple")}, options());
    try {
        client.find_project("demo");
        FAIL();
    } catch (const Error& e) {
        auto text = e.render();
        EXPECT_EQ(text.find("secret"), std::string::npos) << text;
        const std::string expected =
            "error: fetching the page of `demo` from index `pypi`\n"
            "  caused by: GET http://127.0.0.1:9/simple/demo/ failed: Failed to connect to "
            "127.0.0.1 port 9 ";
        EXPECT_EQ(text.substr(0, expected.size()), expected) << text;
    }
}

TEST_F(IndexClientTest, RetriesServerErrorsThenReportsTheStatus) {
    net::HttpClientOptions o;
    o.cache_mode = net::CacheMode::disabled;
    o.network.retry.retries = 2;
    o.network.retry.base = std::chrono::milliseconds(10);
    net::HttpClient http(o);
    auto response = http.get(fixture->url + "/flaky/x");
    EXPECT_EQ(response.status, 503);
    auto requests = new_requests();
    EXPECT_EQ(requests.size(), 3u);  // the first attempt and two retries
}

TEST_F(IndexClientTest, PrefetchFetchesManyPagesConcurrently) {
    IndexClient client(
        {spec("pytorch", fixture->url + "/whl/cu124", {"torch"}), spec("pypi", pypi())}, options());
    std::vector<std::string> names{"demo", "big-pkg", "torch"};
    for (int i = 0; i < 40; ++i)
        names.push_back("missing-" + std::to_string(i));
    client.prefetch(names);
    EXPECT_EQ(new_requests().size(), names.size());
    EXPECT_NE(client.find_project("demo"), nullptr);
    EXPECT_NE(client.find_project("torch"), nullptr);
    EXPECT_EQ(client.find_project("missing-7"), nullptr);
    EXPECT_TRUE(new_requests().empty());

    std::vector<DistFile> files;
    for (const auto* name : {"demo", "big-pkg"}) {
        for (const auto& f : client.project(name).files)
            files.push_back(f);
    }
    client.prefetch_metadata(files);
    EXPECT_EQ(new_requests().size(), files.size());
    MetadataSource source{};
    for (const auto& f : files) {
        client.metadata(f, &source);
        EXPECT_EQ(source, MetadataSource::cache);
    }
    EXPECT_TRUE(new_requests().empty());
}

TEST_F(IndexClientTest, RangeRequestsReturnPartialContent) {
    net::HttpClientOptions o;
    o.cache_mode = net::CacheMode::disabled;
    net::HttpClient http(o);
    const std::string url = fixture->url + "/packages/demo/demo-1.0-py3-none-any.whl";
    auto whole = http.get(url);
    ASSERT_EQ(whole.status, 200);
    auto tail = http.get(net::HttpRequest{url, {}, {}, net::ByteRange::tail(100)});
    EXPECT_EQ(tail.status, 206);
    EXPECT_EQ(tail.body, whole.body.substr(whole.body.size() - 100));
    auto span = http.get(net::HttpRequest{url, {}, {}, net::ByteRange::span(10, 19)});
    EXPECT_EQ(span.body, whole.body.substr(10, 10));
    EXPECT_EQ(span.headers.at("content-range"), "bytes 10-19/" + std::to_string(whole.body.size()));
}

TEST_F(IndexClientTest, FileIndexReadsTheTreeDirectly) {
    const std::string root = "file://" + (*fixture->work / "root").string();
    IndexClient client({spec("local", root + "/simple")}, options());
    const auto& page = client.project("demo");
    ASSERT_EQ(page.files.size(), 3u);
    const auto& file = file_named(page, "demo-1.0-py3-none-any.whl");
    EXPECT_EQ(file.url, root + "/packages/demo/demo-1.0-py3-none-any.whl");
    MetadataSource source{};
    EXPECT_NE(client.metadata(file, &source).find("Name: demo"), std::string::npos);
    EXPECT_EQ(source, MetadataSource::pep658);
    EXPECT_EQ(client.find_project("missing"), nullptr);
    IndexClient nometa({spec("local", root + "/nometa")}, options());
    EXPECT_NE(nometa.metadata(nometa.project("big-pkg").files.at(0), &source).find("Name: Big_Pkg"),
              std::string::npos);
    // A local wheel is read like a remote one through ranges: its tail, then METADATA only.
    EXPECT_EQ(source, MetadataSource::range_read);
}
