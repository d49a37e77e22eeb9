#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"

#include <gtest/gtest.h>

using airlock::Error;

TEST(Error, RendersOutermostFirstWithCausesAndHint) {
    Error e("no version of nvidia-cudnn-cu12 has a wheel for win_amd64 / cp312");
    e.within("resolving target `win-py312`").within("cannot build bundle `torch-lab`");
    e.with_hint("pin it in the manifest");
    EXPECT_EQ(e.render(),
              "error: cannot build bundle `torch-lab`\n"
              "  caused by: resolving target `win-py312`\n"
              "  caused by: no version of nvidia-cudnn-cu12 has a wheel for win_amd64 / cp312\n"
              "\nhint: pin it in the manifest\n");
    EXPECT_EQ(e.exit(), airlock::Exit::user);
}

TEST(Error, WithinAddsContextToEscapingErrors) {
    try {
        airlock::within("reading `m.toml`", [] { throw Error("bad key"); });
        FAIL();
    } catch (const Error& e) {
        ASSERT_EQ(e.chain().size(), 2u);
        EXPECT_EQ(e.chain()[1], "reading `m.toml`");
    }
}

TEST(SourceExcerpt, DrawsCaretUnderSpan) {
    airlock::SourceLocation where{"m.toml", 3, 5};
    EXPECT_EQ(airlock::source_excerpt(where, "foo bar = 1", "unknown key `bar`", 3),
              "m.toml:3:5: unknown key `bar`\n  foo bar = 1\n      ~~^");
}

TEST(SourceExcerpt, LineOf) {
    EXPECT_EQ(airlock::line_of("a\nbb\r\nccc", 2), "bb");
    EXPECT_EQ(airlock::line_of("a\nbb\nccc", 3), "ccc");
    EXPECT_EQ(airlock::line_of("a", 4), "");
}
