#include "core/base/terminal_text.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using airlock::terminal_lines;
using airlock::terminal_text;

TEST(TerminalText, EscapesWhatATerminalActsOn) {
    const std::pair<std::string, std::string> table[] = {
        {"torch-lab", "torch-lab"},
        {"caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"},  // valid UTF-8 stays
        {"a\x1b]0;owned\x07z", "a\\x1b]0;owned\\x07z"},            // OSC title change
        {"\x1b[2J", "\\x1b[2J"},
        {"tab\there", "tab\\x09here"},
        {"line\nbreak\r", "line\\x0abreak\\x0d"},
        {std::string("nul\0x", 5), "nul\\x00x"},
        {"del\x7f", "del\\x7f"},
        {"c1 \xc2\x9b"
         "31m",
         "c1 \\u009b31m"},  // 8-bit CSI
        {"rtl \xe2\x80\xae"
         "gpj.exe",
         "rtl \\u202egpj.exe"},  // right-to-left override
        {"bad \xff\xfe", "bad \\xff\\xfe"},
        {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
        {"cut \xe2\x9c", "cut \\xe2\\x9c"},
        {"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
        {"back\\slash", "back\\slash"},
    };
    for (const auto& [in, want] : table) {
        EXPECT_EQ(terminal_text(in), want) << want;
        EXPECT_EQ(terminal_text(terminal_text(in)), want) << "escaping twice changes nothing";
    }
}

TEST(TerminalText, LinesKeepLayoutOnly) {
    EXPECT_EQ(terminal_lines("a\n\tb\x1b[1m\r"), "a\n\tb\\x1b[1m\\x0d");
}

TEST(TerminalText, QuoteAndRenderEscape) {
    EXPECT_EQ(airlock::quote("x\x1b[31m"), "`x\\x1b[31m`");
    airlock::Error e(std::string("raw \x07 bell"));
    e.within("reading\x1b[2J");
    EXPECT_EQ(e.render(), "error: reading\\x1b[2J\n  caused by: raw \\x07 bell\n");
}
