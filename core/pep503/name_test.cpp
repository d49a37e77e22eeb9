#include "core/pep503/name.hpp"

#include <gtest/gtest.h>

using airlock::pep503::is_valid_name;
using airlock::pep503::normalize;

TEST(Pep503, NormalizeTable) {
    const struct {
        const char* name;
        const char* normalized;
    } table[] = {
        {"friendly-bard", "friendly-bard"},
        {"Friendly-Bard", "friendly-bard"},
        {"FRIENDLY-BARD", "friendly-bard"},
        {"friendly.bard", "friendly-bard"},
        {"friendly_bard", "friendly-bard"},
        {"friendly--bard", "friendly-bard"},
        {"FrIeNdLy-._.-bArD", "friendly-bard"},
        {"Foo_Bar", "foo-bar"},
        {"nvidia-cudnn-cu12", "nvidia-cudnn-cu12"},
        {"zope.interface", "zope-interface"},
        {"A", "a"},
    };
    for (const auto& row : table)
        EXPECT_EQ(normalize(row.name), row.normalized) << row.name;
}

TEST(Pep503, ValidNames) {
    for (const char* ok : {"a", "A1", "torch", "zope.interface", "foo_bar-baz", "1password"}) {
        EXPECT_TRUE(is_valid_name(ok)) << ok;
    }
    for (const char* bad : {"", "-foo", "foo-", ".foo", "foo_", "foo bar", "foo!", "fö"}) {
        EXPECT_FALSE(is_valid_name(bad)) << bad;
    }
}
