#include "core/pep440/specifier.hpp"

#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::pep440 {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

/// Longest spelling first, so `===` is not read as `==`.
constexpr struct {
    std::string_view spelling;
    Operator op;
} operators[] = {
    {"===", Operator::arbitrary}, {"==", Operator::equal},      {"!=", Operator::not_equal},
    {"~=", Operator::compatible}, {"<=", Operator::less_equal}, {">=", Operator::greater_equal},
    {"<", Operator::less},        {">", Operator::greater},
};

/// `version`'s release, padded with zeros, starts with `prefix` (and the epochs agree): the
/// `==1.2.*` match. Pre, post, dev and local parts of `version` do not matter.
bool release_starts_with(const Version& version, std::uint64_t epoch,
                         const std::vector<std::uint64_t>& prefix, std::size_t prefix_size) {
    if (version.epoch() != epoch)
        return false;
    const auto& release = version.release();
    for (std::size_t k = 0; k < prefix_size; ++k) {
        std::uint64_t have = k < release.size() ? release[k] : 0;
        if (have != prefix[k])
            return false;
    }
    return true;
}

bool same_public(const Version& a, const Version& b) {
    if (!a.has_local())
        return a == b;
    return a.public_version() == b;
}

enum class Failure { none, no_operator, no_version, bad_version, rule };

}  // namespace

std::string_view to_string(Operator op) {
    for (const auto& o : operators) {
        if (o.op == op)
            return o.spelling;
    }
    return "?";
}

namespace {

/// Shared by parse() and try_parse(); `why` is filled only when asked for (parse()).
Failure parse_specifier(std::string_view text, Operator& op, Version& version,
                        std::string& arbitrary, bool& wildcard, std::string* why) {
    std::string_view s = trim(text);
    bool found = false;
    for (const auto& o : operators) {
        if (s.substr(0, o.spelling.size()) == o.spelling) {
            op = o.op;
            s.remove_prefix(o.spelling.size());
            found = true;
            break;
        }
    }
    if (!found)
        return Failure::no_operator;
    s = trim(s);
    if (s.empty())
        return Failure::no_version;

    if (op == Operator::arbitrary) {
        if (std::any_of(s.begin(), s.end(), is_space)) {
            if (why)
                *why = "the text after `===` cannot contain spaces";
            return Failure::rule;
        }
        arbitrary = std::string(s);
        if (auto v = Version::try_parse(s))
            version = *v;
        return Failure::none;
    }

    std::string_view version_text = s;
    if (s.size() >= 2 && s.substr(s.size() - 2) == ".*") {
        if (op != Operator::equal && op != Operator::not_equal) {
            if (why)
                *why = "a `.*` suffix is only allowed with `==` and `!=`";
            return Failure::rule;
        }
        wildcard = true;
        version_text.remove_suffix(2);
    }

    if (why) {
        try {
            version = Version::parse(version_text);
        } catch (const Error& e) {
            *why = e.what();
            return Failure::bad_version;
        }
    } else {
        auto v = Version::try_parse(version_text);
        if (!v)
            return Failure::bad_version;
        version = std::move(*v);
    }

    if (wildcard && (version.pre() || version.post() || version.dev() || version.has_local())) {
        if (why)
            *why = "a `.*` suffix must follow release numbers only (like `==1.2.*`)";
        return Failure::rule;
    }
    if (version.has_local() && op != Operator::equal && op != Operator::not_equal) {
        if (why) {
            *why = "a local version label (`+" + version.local() +
                   "`) is only allowed with `==` and `!=`";
        }
        return Failure::rule;
    }
    if (op == Operator::compatible && version.release().size() < 2) {
        if (why)
            *why = "`~=` needs at least two release numbers (like `~=2.2` or `~=1.4.5`)";
        return Failure::rule;
    }
    return Failure::none;
}

}  // namespace

Specifier Specifier::parse(std::string_view text) {
    Specifier s;
    std::string why;
    Failure failure = parse_specifier(text, s.op_, s.version_, s.arbitrary_, s.wildcard_, &why);
    if (failure == Failure::none)
        return s;
    std::string message = "invalid version specifier " + quote(trim(text)) + ": ";
    switch (failure) {
        case Failure::no_operator:
            message +=
                "expected an operator (`~=`, `==`, `!=`, `<=`, `>=`, `<`, `>` or `===`) "
                "followed by a version, like `>=1.2`";
            break;
        case Failure::no_version:
            message += "expected a version after the operator";
            break;
        case Failure::bad_version:
        case Failure::rule:
            message += why;
            break;
        case Failure::none:
            break;
    }
    throw Error(std::move(message));
}

std::optional<Specifier> Specifier::try_parse(std::string_view text) {
    Specifier s;
    if (parse_specifier(text, s.op_, s.version_, s.arbitrary_, s.wildcard_, nullptr) !=
        Failure::none) {
        return std::nullopt;
    }
    return s;
}

bool Specifier::allows_prereleases() const {
    switch (op_) {
        case Operator::equal:
        case Operator::greater_equal:
        case Operator::less_equal:
        case Operator::compatible:
        case Operator::arbitrary:
            return version_.is_prerelease();
        default:
            return false;
    }
}

bool Specifier::contains(const Version& version, Prereleases prereleases) const {
    if (version.is_prerelease()) {
        if (prereleases == Prereleases::deny)
            return false;
        if (prereleases == Prereleases::by_spec && !allows_prereleases())
            return false;
    }
    return matches(version);
}

bool Specifier::matches(const Version& v) const {
    switch (op_) {
        case Operator::compatible: {
            // ~=1.4.5a4 means >=1.4.5a4, ==1.4.*
            const auto& release = version_.release();
            return v.public_version() >= version_ &&
                   release_starts_with(v, version_.epoch(), release, release.size() - 1);
        }
        case Operator::equal:
            if (wildcard_) {
                return release_starts_with(v, version_.epoch(), version_.release(),
                                           version_.release().size());
            }
            // `==2.5.1` matches `2.5.1+cu124`; `==2.5.1+cu124` matches only that.
            return version_.has_local() ? v == version_ : same_public(v, version_);
        case Operator::not_equal:
            if (wildcard_) {
                return !release_starts_with(v, version_.epoch(), version_.release(),
                                            version_.release().size());
            }
            return !(version_.has_local() ? v == version_ : same_public(v, version_));
        case Operator::less_equal:
            return (v.has_local() ? v.public_version() : v) <= version_;
        case Operator::greater_equal:
            return (v.has_local() ? v.public_version() : v) >= version_;
        case Operator::less:
            // `<2.0` excludes `2.0rc1` and `2.0.dev1` unless the clause names a pre-release.
            if (!(v < version_))
                return false;
            if (!version_.is_prerelease() && v.is_prerelease() &&
                v.base_version() == version_.base_version()) {
                return false;
            }
            return true;
        case Operator::greater:
            // `>2.0` excludes `2.0.post1` (unless the clause names a post-release) and `2.0+x`.
            if (!(v > version_))
                return false;
            if (!version_.is_postrelease() && v.is_postrelease() &&
                v.base_version() == version_.base_version()) {
                return false;
            }
            if (v.has_local() && v.base_version() == version_.base_version())
                return false;
            return true;
        case Operator::arbitrary:
            return lowered(v.to_string()) == lowered(arbitrary_);
    }
    return false;
}

std::string Specifier::to_string() const {
    std::string out(pep440::to_string(op_));
    if (op_ == Operator::arbitrary)
        return out + arbitrary_;
    out += version_.to_string();
    if (wildcard_)
        out += ".*";
    return out;
}

namespace {

/// Calls `clause(text)` for each non-empty comma-separated clause, trimmed.
template <typename F>
void for_each_clause(std::string_view text, F&& clause) {
    std::size_t start = 0;
    for (;;) {
        std::size_t comma = text.find(',', start);
        std::size_t end = comma == std::string_view::npos ? text.size() : comma;
        std::string_view part = trim(text.substr(start, end - start));
        if (!part.empty() && !clause(part))
            return;
        if (comma == std::string_view::npos)
            return;
        start = comma + 1;
    }
}

}  // namespace

SpecifierSet SpecifierSet::parse(std::string_view text) {
    SpecifierSet set;
    for_each_clause(text, [&](std::string_view clause) {
        try {
            set.add(Specifier::parse(clause));
        } catch (Error& e) {
            if (trim(text) != clause)
                e.within("in the specifier set " + quote(trim(text)));
            throw;
        }
        return true;
    });
    return set;
}

std::optional<SpecifierSet> SpecifierSet::try_parse(std::string_view text) {
    SpecifierSet set;
    bool ok = true;
    for_each_clause(text, [&](std::string_view clause) {
        auto s = Specifier::try_parse(clause);
        if (s)
            set.add(std::move(*s));
        ok = s.has_value();
        return ok;
    });
    if (!ok)
        return std::nullopt;
    return set;
}

void SpecifierSet::add(Specifier specifier) {
    std::string key = specifier.to_string();
    auto it = std::lower_bound(
        specifiers_.begin(), specifiers_.end(), key,
        [](const Specifier& s, const std::string& k) { return s.to_string() < k; });
    if (it != specifiers_.end() && it->to_string() == key)
        return;
    specifiers_.insert(it, std::move(specifier));
}

bool SpecifierSet::allows_prereleases() const {
    return std::any_of(specifiers_.begin(), specifiers_.end(),
                       [](const Specifier& s) { return s.allows_prereleases(); });
}

bool SpecifierSet::contains(const Version& version, Prereleases prereleases) const {
    if (version.is_prerelease()) {
        if (prereleases == Prereleases::deny)
            return false;
        if (prereleases == Prereleases::by_spec && !allows_prereleases())
            return false;
    }
    return std::all_of(specifiers_.begin(), specifiers_.end(),
                       [&](const Specifier& s) { return s.contains(version, Prereleases::allow); });
}

std::string SpecifierSet::to_string() const {
    std::string out;
    for (const auto& s : specifiers_) {
        if (!out.empty())
            out += ',';
        out += s.to_string();
    }
    return out;
}

SpecifierSet SpecifierSet::intersect(const SpecifierSet& other) const {
    SpecifierSet out = *this;
    for (const auto& s : other.specifiers_)
        out.add(s);
    return out;
}

}  // namespace airlock::pep440
