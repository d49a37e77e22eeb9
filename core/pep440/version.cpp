#include "core/pep440/version.hpp"

#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::pep440 {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_separator(char c) {
    return c == '-' || c == '_' || c == '.';
}

enum class Failure { none, empty, no_number, trailing, bad_local, too_large };

/// A hand-written scanner for PEP 440's version pattern: std::regex is far too slow for index
/// pages with thousands of versions, and the pattern has only one place that needs backtracking
/// (an optional separator that is not followed by what it introduces).
struct Scanner {
    std::string_view s;
    std::size_t i = 0;
    bool overflow = false;

    bool at_end() const { return i >= s.size(); }
    char peek(std::size_t ahead = 0) const { return i + ahead < s.size() ? s[i + ahead] : '\0'; }

    /// [0-9]+ at the cursor.
    bool number(std::uint64_t& out) {
        if (!is_digit(peek()))
            return false;
        std::uint64_t value = 0;
        while (is_digit(peek())) {
            auto digit = static_cast<std::uint64_t>(s[i] - '0');
            if (value > (UINT64_MAX - digit) / 10)
                overflow = true;
            value = value * 10 + digit;
            ++i;
        }
        out = value;
        return true;
    }

    /// Case-insensitive `word` at the cursor.
    bool word(std::string_view w) {
        if (s.size() - i < w.size())
            return false;
        for (std::size_t k = 0; k < w.size(); ++k) {
            if (lower(s[i + k]) != w[k])
                return false;
        }
        i += w.size();
        return true;
    }

    void optional_separator() {
        if (is_separator(peek()))
            ++i;
    }

    /// `[-_.]?[0-9]*` after a label (`1.0a-` is `1.0a0`, as in PEP 440's pattern); 0 when absent.
    std::uint64_t optional_number() {
        optional_separator();
        std::uint64_t n = 0;
        number(n);
        return n;
    }
};

}  // namespace

struct VersionParser {
    static Failure run(std::string_view text, Version& v, std::size_t& stop) {
        text = ascii_trim(text);
        if (text.empty())
            return Failure::empty;

        Scanner sc{text};
        if (lower(sc.peek()) == 'v')
            ++sc.i;

        std::uint64_t n = 0;
        if (!sc.number(n)) {
            stop = sc.i;
            return Failure::no_number;
        }
        if (sc.peek() == '!') {
            ++sc.i;
            v.epoch_ = n;
            if (!sc.number(n)) {
                stop = sc.i;
                return Failure::no_number;
            }
        }
        v.release_.clear();
        v.release_.push_back(n);
        while (sc.peek() == '.' && is_digit(sc.peek(1))) {
            ++sc.i;
            sc.number(n);
            v.release_.push_back(n);
        }

        // Pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*
        {
            std::size_t mark = sc.i;
            sc.optional_separator();
            static constexpr struct {
                std::string_view spelling;
                PreKind kind;
            } labels[] = {{"alpha", PreKind::alpha}, {"a", PreKind::alpha},
                          {"beta", PreKind::beta},   {"b", PreKind::beta},
                          {"preview", PreKind::rc},  {"pre", PreKind::rc},
                          {"c", PreKind::rc},        {"rc", PreKind::rc}};
            bool found = false;
            for (const auto& label : labels) {
                if (sc.word(label.spelling)) {
                    v.has_pre_ = true;
                    v.pre_kind_ = label.kind;
                    v.pre_number_ = sc.optional_number();
                    found = true;
                    break;
                }
            }
            if (!found)
                sc.i = mark;
        }

        // Post-release: -[0-9]+ (implicit), or [-_.]?(post|rev|r)[-_.]?[0-9]*
        if (sc.peek() == '-' && is_digit(sc.peek(1))) {
            ++sc.i;
            sc.number(v.post_);
            v.has_post_ = true;
        } else {
            std::size_t mark = sc.i;
            sc.optional_separator();
            if (sc.word("post") || sc.word("rev") || sc.word("r")) {
                v.has_post_ = true;
                v.post_ = sc.optional_number();
            } else {
                sc.i = mark;
            }
        }

        // Development release: [-_.]?dev[-_.]?[0-9]*
        {
            std::size_t mark = sc.i;
            sc.optional_separator();
            if (sc.word("dev")) {
                v.has_dev_ = true;
                v.dev_ = sc.optional_number();
            } else {
                sc.i = mark;
            }
        }

        // Local label: +[a-z0-9]+([-_.][a-z0-9]+)*, normalised to lower case and `.`, with
        // numeric segments written without leading zeros (they compare as numbers).
        if (sc.peek() == '+') {
            ++sc.i;
            std::string local;
            while (true) {
                std::size_t start = sc.i;
                while (is_alnum(sc.peek()))
                    ++sc.i;
                if (sc.i == start) {
                    stop = start;
                    return Failure::bad_local;
                }
                std::string_view segment = text.substr(start, sc.i - start);
                if (std::all_of(segment.begin(), segment.end(), is_digit)) {
                    while (segment.size() > 1 && segment.front() == '0')
                        segment.remove_prefix(1);
                }
                if (!local.empty())
                    local += '.';
                for (char c : segment)
                    local += lower(c);
                if (is_separator(sc.peek())) {
                    ++sc.i;
                    continue;
                }
                break;
            }
            v.local_ = std::move(local);
        }

        if (sc.overflow)
            return Failure::too_large;
        if (!sc.at_end()) {
            stop = sc.i;
            return Failure::trailing;
        }
        return Failure::none;
    }
};

Version::Version() : release_{0} {}

std::optional<Version> Version::try_parse(std::string_view text) {
    Version v;
    std::size_t stop = 0;
    if (VersionParser::run(text, v, stop) != Failure::none)
        return std::nullopt;
    return v;
}

Version Version::parse(std::string_view text) {
    Version v;
    std::size_t stop = 0;
    Failure failure = VersionParser::run(text, v, stop);
    if (failure == Failure::none)
        return v;

    std::string_view trimmed = ascii_trim(text);
    std::string message = "invalid version " + quote(text) + ": ";
    switch (failure) {
        case Failure::empty:
            message += "it is empty";
            break;
        case Failure::no_number:
            message += "expected a number at " + quote(trimmed.substr(stop)) +
                       " (a version looks like `1.2.3`, `2!1.0` or `v1.0rc1`)";
            break;
        case Failure::trailing:
            message += "unexpected " + quote(trimmed.substr(stop)) + " after " +
                       quote(trimmed.substr(0, stop)) +
                       " (after the release numbers PEP 440 allows only `aN`, `bN`, `rcN`, "
                       "`.postN`, `.devN` and `+local`)";
            break;
        case Failure::bad_local:
            message +=
                "the local label after `+` must be letters and digits separated by `.`, `-` or "
                "`_`";
            break;
        case Failure::too_large:
            message += "a number in it is too large (more than 64 bits)";
            break;
        case Failure::none:
            break;
    }
    throw Error(std::move(message));
}

std::optional<Pre> Version::pre() const {
    if (!has_pre_)
        return std::nullopt;
    return Pre{pre_kind_, pre_number_};
}

std::optional<std::uint64_t> Version::post() const {
    if (!has_post_)
        return std::nullopt;
    return post_;
}

std::optional<std::uint64_t> Version::dev() const {
    if (!has_dev_)
        return std::nullopt;
    return dev_;
}

Version Version::public_version() const {
    Version v = *this;
    v.local_.clear();
    return v;
}

Version Version::base_version() const {
    Version v;
    v.epoch_ = epoch_;
    v.release_ = release_;
    return v;
}

std::string Version::to_string() const {
    std::string out;
    out.reserve(16);
    if (epoch_ != 0) {
        out += std::to_string(epoch_);
        out += '!';
    }
    for (std::size_t k = 0; k < release_.size(); ++k) {
        if (k)
            out += '.';
        out += std::to_string(release_[k]);
    }
    if (has_pre_) {
        out += pre_kind_ == PreKind::alpha ? "a" : pre_kind_ == PreKind::beta ? "b" : "rc";
        out += std::to_string(pre_number_);
    }
    if (has_post_) {
        out += ".post";
        out += std::to_string(post_);
    }
    if (has_dev_) {
        out += ".dev";
        out += std::to_string(dev_);
    }
    if (!local_.empty()) {
        out += '+';
        out += local_;
    }
    return out;
}

namespace {

/// Local labels compare segment by segment; a numeric segment is greater than an alphanumeric
/// one, numbers compare as numbers (they are stored without leading zeros, so by length then
/// text), and a label that is a prefix of another is smaller.
std::strong_ordering compare_local(std::string_view a, std::string_view b) {
    while (true) {
        if (a.empty() || b.empty())
            return !a.empty() <=> !b.empty();
        auto ea = a.find('.');
        auto eb = b.find('.');
        std::string_view sa = a.substr(0, ea);
        std::string_view sb = b.substr(0, eb);
        bool na = std::all_of(sa.begin(), sa.end(), is_digit);
        bool nb = std::all_of(sb.begin(), sb.end(), is_digit);
        if (na != nb)
            return na <=> nb;
        if (na) {
            if (auto c = sa.size() <=> sb.size(); c != 0)
                return c;
        }
        if (auto c = sa.compare(sb) <=> 0; c != 0)
            return c;
        a = ea == std::string_view::npos ? std::string_view{} : a.substr(ea + 1);
        b = eb == std::string_view::npos ? std::string_view{} : b.substr(eb + 1);
    }
}

}  // namespace

std::strong_ordering Version::operator<=>(const Version& other) const {
    if (auto c = compare_public(other); c != 0)
        return c;
    return compare_local(local_, other.local_);
}

std::strong_ordering Version::compare_public(const Version& other) const {
    if (auto c = epoch_ <=> other.epoch_; c != 0)
        return c;

    std::size_t n = std::max(release_.size(), other.release_.size());
    for (std::size_t k = 0; k < n; ++k) {
        std::uint64_t a = k < release_.size() ? release_[k] : 0;
        std::uint64_t b = k < other.release_.size() ? other.release_[k] : 0;
        if (auto c = a <=> b; c != 0)
            return c;
    }

    // A dev release of the final version (`1.0.dev1`) sorts before all its pre-releases;
    // no pre-release sorts after all of them.
    auto pre_rank = [](const Version& v) -> int {
        if (v.has_pre_)
            return 1 + static_cast<int>(v.pre_kind_);
        if (!v.has_post_ && v.has_dev_)
            return 0;
        return 4;
    };
    if (auto c = pre_rank(*this) <=> pre_rank(other); c != 0)
        return c;
    if (has_pre_) {
        if (auto c = pre_number_ <=> other.pre_number_; c != 0)
            return c;
    }

    if (auto c = has_post_ <=> other.has_post_; c != 0)
        return c;
    if (has_post_) {
        if (auto c = post_ <=> other.post_; c != 0)
            return c;
    }

    if (auto c = other.has_dev_ <=> has_dev_; c != 0)
        return c;
    if (has_dev_) {
        if (auto c = dev_ <=> other.dev_; c != 0)
            return c;
    }
    return std::strong_ordering::equal;
}

std::size_t Version::hash() const {
    auto mix = [](std::size_t seed, std::uint64_t value) {
        return seed ^ (std::hash<std::uint64_t>{}(value) + 0x9e3779b97f4a7c15ULL + (seed << 6) +
                       (seed >> 2));
    };
    std::size_t h = mix(0, epoch_);
    std::size_t significant = release_.size();
    while (significant > 0 && release_[significant - 1] == 0)
        --significant;
    for (std::size_t k = 0; k < significant; ++k)
        h = mix(h, release_[k]);
    h = mix(h, has_pre_ ? 1 + static_cast<std::uint64_t>(pre_kind_) : 0);
    h = mix(h, pre_number_);
    h = mix(h, has_post_ ? post_ + 1 : 0);
    h = mix(h, has_dev_ ? dev_ + 1 : 0);
    return mix(h, std::hash<std::string>{}(local_));
}

}  // namespace airlock::pep440
