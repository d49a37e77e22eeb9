#include "core/base/error.hpp"

#include "core/base/terminal_text.hpp"

namespace airlock {

Error::Error(std::string message, Exit exit) : exit_(exit) {
    chain_.push_back(std::move(message));
}

Error& Error::within(std::string context) {
    chain_.push_back(std::move(context));
    return *this;
}

Error& Error::with_hint(std::string hint) {
    hint_ = std::move(hint);
    return *this;
}

std::string Error::render() const {
    // Messages quote untrusted text through quote(), which escapes it; escaping the whole text
    // again (keeping line breaks) catches what was concatenated without it.
    std::string out = "error: " + terminal_lines(chain_.back()) + "\n";
    for (auto it = chain_.rbegin() + 1; it != chain_.rend(); ++it) {
        // Multi-line causes (a source excerpt with a caret) stay aligned under their first line.
        std::string text = terminal_lines(*it);
        std::string indented;
        for (char c : text) {
            indented += c;
            if (c == '\n')
                indented += "    ";
        }
        out += "  caused by: " + indented + "\n";
    }
    if (!hint_.empty())
        out += "\nhint: " + terminal_lines(hint_) + "\n";
    return out;
}

std::string quote(std::string_view value) {
    return "`" + terminal_text(value) + "`";
}

}  // namespace airlock
