#include "core/conda/version.hpp"

#include "core/base/ascii_space.hpp"
#include "core/conda/parse_error.hpp"

#include <algorithm>

namespace airlock::conda {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// conda's version_check_re: `[*.+!_0-9a-z]`.
bool is_version_char(char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '*' || c == '.' || c == '+' || c == '!' ||
           c == '_';
}

std::vector<std::string_view> split_components(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '.' || text[i] == '_') {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

}  // namespace

struct VersionParser {
    std::string_view input;  // as given, for messages

    [[noreturn]] void fail(std::string_view message, std::size_t at = 0,
                           std::size_t length = 0) const {
        throw_parse_error("conda version", input, message, at, length);
    }

    Version::Segment component(std::string_view text) const {
        if (text.empty())
            fail("empty version component (two separators in a row, or one at an end)");
        Version::Segment out;
        if (!is_digit(text.front()))
            out.push_back({Version::Atom::Kind::number, ""});
        std::size_t i = 0;
        while (i < text.size()) {
            std::size_t j = i;
            if (is_digit(text[i])) {
                while (j < text.size() && is_digit(text[j]))
                    ++j;
                std::string_view digits = text.substr(i, j - i);
                while (!digits.empty() && digits.front() == '0')
                    digits.remove_prefix(1);
                out.push_back({Version::Atom::Kind::number, std::string(digits)});
            } else if (text[i] == '*') {
                while (j < text.size() && text[j] == '*')
                    ++j;
                out.push_back({Version::Atom::Kind::string, std::string(text.substr(i, j - i))});
            } else {
                while (j < text.size() && !is_digit(text[j]) && text[j] != '*')
                    ++j;
                std::string_view run = text.substr(i, j - i);
                if (run == "post")
                    out.push_back({Version::Atom::Kind::post, ""});
                else if (run == "dev")
                    out.push_back({Version::Atom::Kind::string, "DEV"});
                else
                    out.push_back({Version::Atom::Kind::string, std::string(run)});
            }
            i = j;
        }
        return out;
    }

    Version parse() const {
        std::string_view trimmed = ascii_trim(input);
        if (trimmed.empty())
            fail("empty version string");
        std::size_t offset = static_cast<std::size_t>(trimmed.data() - input.data());

        std::string text(trimmed);
        for (char& c : text) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        auto first_invalid = [&]() -> std::size_t {
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (!is_version_char(text[i]))
                    return i;
            }
            return std::string::npos;
        };
        std::size_t bad = first_invalid();
        if (bad != std::string::npos && text.find('-') != std::string::npos &&
            text.find('_') == std::string::npos) {
            // conda accepts dashes when there are no underscores, as underscores.
            std::replace(text.begin(), text.end(), '-', '_');
            bad = first_invalid();
        }
        if (bad != std::string::npos) {
            fail(text.find('-') != std::string::npos
                     ? "invalid character (a version may have `-` or `_`, not both)"
                     : "invalid character (a version has letters, digits and `.` `_` `+` `!` `*`)",
                 offset + bad, 1);
        }

        Version v;
        v.source_ = std::string(trimmed);
        v.normalized_ = text;
        v.segments_.clear();

        std::string_view rest = text;
        std::string_view epoch = "0";
        if (auto bang = rest.find('!'); bang != std::string_view::npos) {
            if (rest.find('!', bang + 1) != std::string_view::npos)
                fail("duplicated epoch separator `!`", offset + rest.find('!', bang + 1), 1);
            epoch = rest.substr(0, bang);
            if (epoch.empty() || !std::all_of(epoch.begin(), epoch.end(), is_digit))
                fail("the epoch (before `!`) must be a number", offset, bang + 1);
            rest = rest.substr(bang + 1);
        }
        std::string_view local;
        bool has_local = false;
        if (auto plus = rest.find('+'); plus != std::string_view::npos) {
            if (rest.find('+', plus + 1) != std::string_view::npos)
                fail("duplicated local version separator `+`");
            local = rest.substr(plus + 1);
            rest = rest.substr(0, plus);
            has_local = true;
        }
        if (rest.empty())
            fail("missing version before the local version separator `+` or after the epoch");

        v.segments_.push_back(component(epoch));
        std::vector<std::string_view> parts;
        bool trailing_underscore = rest.back() == '_';
        if (trailing_underscore) {
            // openssl-like `1.0.1_`: the underscore stays on the last component.
            parts = split_components(rest.substr(0, rest.size() - 1));
        } else {
            parts = split_components(rest);
        }
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (trailing_underscore && i + 1 == parts.size()) {
                std::string last(parts[i]);
                last += '_';
                v.segments_.push_back(component(last));
            } else {
                v.segments_.push_back(component(parts[i]));
            }
        }
        v.local_start_ = v.segments_.size();
        if (has_local) {
            for (std::string_view part : split_components(local))
                v.segments_.push_back(component(part));
        }
        return v;
    }
};

Version::Version() : source_("0"), normalized_("0") {
    segments_.push_back({{Atom::Kind::number, ""}});  // epoch 0
    segments_.push_back({{Atom::Kind::number, ""}});  // 0
    local_start_ = segments_.size();
}

Version Version::parse(std::string_view text) {
    return VersionParser{text}.parse();
}

std::optional<Version> Version::try_parse(std::string_view text) {
    try {
        return parse(text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool Version::atoms_equal(const Atom& a, const Atom& b) {
    return a.kind == b.kind && a.text == b.text;
}

std::weak_ordering Version::compare_atoms(const Atom& a, const Atom& b) {
    using K = Atom::Kind;
    if (a.kind == K::string || b.kind == K::string) {
        if (a.kind != b.kind)  // strings sort before numbers and `post`
            return a.kind == K::string ? std::weak_ordering::less : std::weak_ordering::greater;
        int c = a.text.compare(b.text);
        return c < 0 ? std::weak_ordering::less
                     : (c > 0 ? std::weak_ordering::greater : std::weak_ordering::equivalent);
    }
    if (a.kind == K::post || b.kind == K::post) {
        if (a.kind == b.kind)
            return std::weak_ordering::equivalent;
        return a.kind == K::post ? std::weak_ordering::greater : std::weak_ordering::less;
    }
    // Numbers: digit strings without leading zeros, so a longer one is larger.
    if (a.text.size() != b.text.size())
        return a.text.size() < b.text.size() ? std::weak_ordering::less
                                             : std::weak_ordering::greater;
    int c = a.text.compare(b.text);
    return c < 0 ? std::weak_ordering::less
                 : (c > 0 ? std::weak_ordering::greater : std::weak_ordering::equivalent);
}

std::weak_ordering Version::compare_segments(const Segment* a, std::size_t na, const Segment* b,
                                             std::size_t nb) {
    static const Segment empty;
    static const Atom zero{Atom::Kind::number, ""};
    for (std::size_t i = 0; i < std::max(na, nb); ++i) {
        const Segment& sa = i < na ? a[i] : empty;
        const Segment& sb = i < nb ? b[i] : empty;
        for (std::size_t j = 0; j < std::max(sa.size(), sb.size()); ++j) {
            const Atom& x = j < sa.size() ? sa[j] : zero;
            const Atom& y = j < sb.size() ? sb[j] : zero;
            auto c = compare_atoms(x, y);
            if (c != 0)
                return c;
        }
    }
    return std::weak_ordering::equivalent;
}

std::weak_ordering Version::operator<=>(const Version& other) const {
    auto c = compare_segments(segments_.data(), local_start_, other.segments_.data(),
                              other.local_start_);
    if (c != 0)
        return c;
    return compare_segments(segments_.data() + local_start_, segments_.size() - local_start_,
                            other.segments_.data() + other.local_start_,
                            other.segments_.size() - other.local_start_);
}

bool Version::operator==(const Version& other) const {
    return (*this <=> other) == 0;
}

bool Version::starts_with(const Version& prefix) const {
    static const Segment empty;
    static const Atom zero{Atom::Kind::number, ""};
    const Segment* t1 = segments_.data();
    std::size_t n1 = local_start_;
    const Segment* t2 = prefix.segments_.data();
    std::size_t n2 = prefix.local_start_;
    if (prefix.has_local()) {
        if (compare_segments(t1, n1, t2, n2) != 0)
            return false;
        t1 = segments_.data() + local_start_;
        n1 = segments_.size() - local_start_;
        t2 = prefix.segments_.data() + prefix.local_start_;
        n2 = prefix.segments_.size() - prefix.local_start_;
    }
    // Every component of the prefix but the last must be equal.
    std::size_t nt = n2 - 1;
    if (compare_segments(t1, std::min(n1, nt), t2, nt) != 0)
        return false;
    const Segment& v1 = nt < n1 ? t1[nt] : empty;
    const Segment& v2 = t2[nt];
    // In the last component, every run but the last must be equal…
    std::size_t na = v2.size() - 1;
    Segment head1(v1.begin(), v1.begin() + static_cast<std::ptrdiff_t>(std::min(v1.size(), na)));
    Segment head2(v2.begin(), v2.begin() + static_cast<std::ptrdiff_t>(na));
    if (compare_segments(&head1, 1, &head2, 1) != 0)
        return false;
    // …and the last run is a prefix when it is a string, else equal.
    const Atom& c1 = na < v1.size() ? v1[na] : zero;
    const Atom& c2 = v2[na];
    if (c2.kind == Atom::Kind::string)
        return c1.kind == Atom::Kind::string && c1.text.starts_with(c2.text);
    return atoms_equal(c1, c2);
}

std::size_t Version::hash() const {
    // Equal versions differ only by trailing zero runs and trailing empty components.
    std::size_t h = 0;
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    auto hash_part = [&](std::size_t begin, std::size_t end) {
        // Drop trailing components that are all zeros.
        auto is_zero = [](const Segment& s) {
            return std::all_of(s.begin(), s.end(), [](const Atom& a) {
                return a.kind == Atom::Kind::number && a.text.empty();
            });
        };
        while (end > begin && is_zero(segments_[end - 1]))
            --end;
        for (std::size_t i = begin; i < end; ++i) {
            const Segment& s = segments_[i];
            std::size_t n = s.size();
            while (n > 0 && s[n - 1].kind == Atom::Kind::number && s[n - 1].text.empty())
                --n;
            for (std::size_t j = 0; j < n; ++j) {
                mix(static_cast<std::size_t>(s[j].kind));
                mix(std::hash<std::string>{}(s[j].text));
            }
            mix(0xc0ffee);  // component boundary
        }
    };
    hash_part(0, local_start_);
    mix(0xfeed);
    hash_part(local_start_, segments_.size());
    return h;
}

}  // namespace airlock::conda
