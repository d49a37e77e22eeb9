#include "builder/net/retry_policy.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace airlock::net;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicy, ClassifiesStatuses) {
    struct Case {
        long status;
        StatusClass expected;
    };
    const std::vector<Case> cases = {
        {200, StatusClass::success},       {204, StatusClass::success},
        {206, StatusClass::partial},       {304, StatusClass::not_modified},
        {301, StatusClass::redirect},      {302, StatusClass::redirect},
        {308, StatusClass::redirect},      {429, StatusClass::busy},
        {503, StatusClass::busy},          {408, StatusClass::transient},
        {500, StatusClass::transient},     {502, StatusClass::transient},
        {504, StatusClass::transient},     {599, StatusClass::transient},
        {416, StatusClass::range_refused}, {404, StatusClass::gone},
        {401, StatusClass::gone},          {403, StatusClass::gone},
        {0, StatusClass::invalid},         {100, StatusClass::invalid},
        {600, StatusClass::invalid},       {-1, StatusClass::invalid},
    };
    for (const auto& c : cases)
        EXPECT_EQ(classify_status(c.status), c.expected) << c.status;
}

TEST(RetryPolicy, ParsesRetryAfterInBothForms) {
    // 1994-11-06 08:49:37 UTC
    const std::int64_t date = 784111777;
    struct Case {
        const char* value;
        std::int64_t now;
        std::optional<long long> expected;
    };
    const std::vector<Case> cases = {
        {"0", 0, 0},
        {"5", 0, 5},
        {" 120 ", 0, 120},
        {"999999", 0, 999999},
        {"99999999999999999999999", 0, 9'999'999'999LL},  // absurd, no overflow
        {"Sun, 06 Nov 1994 08:49:37 GMT", date - 30, 30},
        {"Sunday, 06-Nov-94 08:49:37 GMT", date - 7, 7},
        {"Sun Nov  6 08:49:37 1994", date - 2, 2},
        {"Sun, 06 Nov 1994 08:49:37 GMT", date + 100, 0},  // in the past
        {"", 0, std::nullopt},
        {"-5", 0, std::nullopt},
        {"1.5", 0, std::nullopt},
        {"soon", 0, std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 XYZ", 0, std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 GMT trailing", 0, std::nullopt},
    };
    for (const auto& c : cases) {
        auto got = parse_retry_after(c.value, c.now);
        if (!c.expected) {
            EXPECT_FALSE(got.has_value()) << c.value;
        } else {
            ASSERT_TRUE(got.has_value()) << c.value;
            EXPECT_EQ(got->count(), *c.expected) << c.value;
        }
    }
}

TEST(RetryPolicy, BacksOffWithinTheCapAndGivesUp) {
    RetryPolicy policy;  // 6 retries, 250 ms doubling, 30 s cap, Retry-After up to 60 s
    struct Case {
        int attempts;
        std::optional<long long> retry_after;
        double jitter;
        bool retry;
        long long delay_ms;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {1, std::nullopt, 1.0, true, 250, ""},
        {1, std::nullopt, 0.0, true, 125, ""},
        {2, std::nullopt, 1.0, true, 500, ""},
        {3, std::nullopt, 1.0, true, 1000, ""},
        {6, std::nullopt, 1.0, true, 8000, ""},
        {7, std::nullopt, 1.0, false, 0, "gave up after 7 attempts"},
        {1, 0, 0.3, true, 0, ""},
        {1, 2, 0.3, true, 2000, ""},
        {1, 60, 0.3, true, 60000, ""},
        {1, 61, 0.3, false, 0,
         "the server asked to wait 61 s (Retry-After), more than the 60 s airlock waits"},
        {1, 999999, 0.3, false, 0,
         "the server asked to wait 999999 s (Retry-After), more than the 60 s airlock waits"},
        {7, 1, 1.0, false, 0, "gave up after 7 attempts"},
    };
    for (const auto& c : cases) {
        std::optional<seconds> ra;
        if (c.retry_after)
            ra = seconds(*c.retry_after);
        auto d = decide_retry(policy, c.attempts, ra, c.jitter);
        EXPECT_EQ(d.retry, c.retry) << c.attempts;
        if (c.retry) {
            EXPECT_EQ(d.delay.count(), c.delay_ms) << c.attempts;
        }
        EXPECT_EQ(d.reason, c.reason) << c.attempts;
    }
    RetryPolicy many;
    many.retries = 100;
    for (int a = 1; a <= 100; ++a) {
        auto d = decide_retry(many, a, std::nullopt, 1.0);
        EXPECT_TRUE(d.retry);
        EXPECT_LE(d.delay, milliseconds(30'000)) << a;
    }
}
