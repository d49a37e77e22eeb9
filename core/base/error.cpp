#include "core/base/error.hpp"

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
    std::string out = "error: " + chain_.back() + "\n";
    for (auto it = chain_.rbegin() + 1; it != chain_.rend(); ++it) {
        // Multi-line causes (a source excerpt with a caret) stay aligned under their first line.
        std::string text = *it;
        std::string indented;
        for (char c : text) {
            indented += c;
            if (c == '\n')
                indented += "    ";
        }
        out += "  caused by: " + indented + "\n";
    }
    if (!hint_.empty())
        out += "\nhint: " + hint_ + "\n";
    return out;
}

std::string quote(std::string_view value) {
    return "`" + std::string(value) + "`";
}

}  // namespace airlock
