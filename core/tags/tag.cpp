#include "core/tags/tag.hpp"

#include "core/base/error.hpp"

#include <ostream>

namespace airlock::tags {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

/// Splits on `sep`, keeping empty pieces (so that `a..b` is seen as invalid).
std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto pos = text.find(sep, start);
        parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos)
            break;
        start = pos + 1;
    }
    return parts;
}

bool valid_piece(std::string_view piece) {
    if (piece.empty())
        return false;
    for (char c : piece) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

/// The reason `text` is not a tag set, or nullopt when it is one (filling `out`).
std::optional<std::string> parse_into(std::string_view text, std::vector<Tag>& out) {
    auto parts = split(text, '-');
    if (parts.size() != 3) {
        return "expected three parts `interpreter-abi-platform`, found " +
               std::to_string(parts.size());
    }
    std::vector<std::string_view> sets[3];
    for (int i = 0; i < 3; ++i) {
        sets[i] = split(parts[i], '.');
        for (auto piece : sets[i]) {
            if (!valid_piece(piece)) {
                return "the part " + quote(parts[i]) +
                       " has an empty or invalid tag (letters, digits and `_` only)";
            }
        }
    }
    for (auto interpreter : sets[0]) {
        for (auto abi : sets[1]) {
            for (auto platform : sets[2]) {
                out.push_back(Tag{lower(interpreter), lower(abi), lower(platform)});
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::string Tag::to_string() const {
    return interpreter + "-" + abi + "-" + platform;
}

std::vector<Tag> parse_tag_set(std::string_view text) {
    std::vector<Tag> tags;
    if (auto reason = parse_into(text, tags)) {
        throw Error("invalid wheel tag set " + quote(text) + ": " + *reason);
    }
    return tags;
}

std::optional<std::vector<Tag>> try_parse_tag_set(std::string_view text) {
    std::vector<Tag> tags;
    if (parse_into(text, tags))
        return std::nullopt;
    return tags;
}

std::string to_string(const std::vector<Tag>& tags) {
    std::string out;
    for (const auto& tag : tags) {
        if (!out.empty())
            out += ", ";
        out += tag.to_string();
    }
    return out;
}

std::ostream& operator<<(std::ostream& out, const Tag& tag) {
    return out << tag.to_string();
}

}  // namespace airlock::tags

std::size_t std::hash<airlock::tags::Tag>::operator()(
    const airlock::tags::Tag& tag) const noexcept {
    std::hash<std::string> h;
    std::size_t seed = h(tag.interpreter);
    for (const auto* part : {&tag.abi, &tag.platform}) {
        seed ^= h(*part) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    }
    return seed;
}
