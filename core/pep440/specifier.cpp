#include "core/pep440/specifier.hpp"

#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::pep440 {

namespace {

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
    return a.compare_public(b) == 0;
}

/// Epoch and release equal, trailing zeros aside (`1.0` and `1.0.0`).
bool same_release(const Version& a, const Version& b) {
    if (a.epoch() != b.epoch())
        return false;
    const auto& x = a.release();
    const auto& y = b.release();
    for (std::size_t k = 0; k < std::max(x.size(), y.size()); ++k) {
        if ((k < x.size() ? x[k] : 0) != (k < y.size() ? y[k] : 0))
            return false;
    }
    return true;
}

/// PEP 440: `>V` must not match a post-release of V unless V is one. `p` is a post-release of
/// `v` when dropping its post, dev and local parts leaves `v` (so `1.0.post1` is one of `1.0`,
/// `1.0a1.post1` of `1.0a1`, but `1.0.post0` is not one of `1.0.dev1`).
bool is_post_release_of(const Version& p, const Version& v) {
    return p.is_postrelease() && !v.is_postrelease() && !v.is_devrelease() && v.pre() == p.pre() &&
           same_release(p, v);
}

/// PEP 440: `<V` must not match a pre-release of V unless V is one. `p` is a pre-release of `v`
/// when it is one and the final release it leads to is `v`: the release for an alpha, beta or
/// rc (`1.0rc1` of `1.0`), the release and post-release for a dev release (`1.0.post1.dev0` of
/// `1.0.post1`, `1.0.dev0` of `1.0` but not of `1.0.post1`).
bool is_pre_release_of(const Version& p, const Version& v) {
    if (!p.is_prerelease() || v.is_prerelease() || !same_release(p, v))
        return false;
    if (p.pre())
        return !v.is_postrelease();
    return p.post() == v.post();
}

bool iequal(std::string_view a, std::string_view b) {
    auto lower = [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
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
    std::string_view s = ascii_trim(text);
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
    s = ascii_trim(s);
    if (s.empty())
        return Failure::no_version;

    if (op == Operator::arbitrary) {
        if (std::any_of(s.begin(), s.end(), ascii_space)) {
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
    std::string message = "invalid version specifier " + quote(ascii_trim(text)) + ": ";
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
    return op_ != Operator::not_equal && version_.is_prerelease();
}

bool Specifier::contains(const Version& version, Prereleases prereleases) const {
    if (op_ == Operator::arbitrary)
        return contains(version, version.to_string(), prereleases);
    return contains(version, std::string_view(), prereleases);
}

bool Specifier::contains(const Version& version, std::string_view raw,
                         Prereleases prereleases) const {
    if (version.is_prerelease()) {
        if (prereleases == Prereleases::deny)
            return false;
        if (prereleases == Prereleases::by_spec && !allows_prereleases())
            return false;
    }
    return matches(version, raw);
}

bool Specifier::matches(const Version& v, std::string_view raw) const {
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
        // Ordered clauses compare public versions: local labels do not count (`<=2` matches
        // `2.0+local`, `>2` does not match `2.0+local`, `<2` does not match `2.0+local`).
        case Operator::less_equal:
            return v.compare_public(version_) <= 0;
        case Operator::greater_equal:
            return v.compare_public(version_) >= 0;
        case Operator::less:
            // `<2.0` excludes `2.0rc1` and `2.0.dev1`, but `<2.0.post1` matches them.
            return v.compare_public(version_) < 0 && !is_pre_release_of(v, version_);
        case Operator::greater:
            // `>2.0` excludes `2.0.post1`, but `>2.0.dev1` matches `2.0.post0`.
            return v.compare_public(version_) > 0 && !is_post_release_of(v, version_);
        case Operator::arbitrary:
            return iequal(raw, arbitrary_);
    }
    return false;
}

std::string Specifier::canonical() const {
    std::string out(pep440::to_string(op_));
    if (op_ == Operator::arbitrary) {
        for (char c : arbitrary_)
            out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        return out;
    }
    if (wildcard_ || op_ == Operator::compatible)
        return to_string();
    // The normal form with the release's trailing zeros dropped (`2.8.0` → `2.8`, `0.0` → `0`).
    std::string text = version_.to_string();
    std::size_t start = text.find('!');
    start = start == std::string::npos ? 0 : start + 1;
    std::size_t end = start;
    while (end < text.size() && (text[end] == '.' || (text[end] >= '0' && text[end] <= '9')))
        ++end;
    if (end > start && text[end - 1] == '.')
        --end;  // `1.0.post1` → release `1.0`, then `.post1`
    std::string release = text.substr(start, end - start);
    while (release.size() > 2 && release.ends_with(".0"))
        release.resize(release.size() - 2);
    return out + text.substr(0, start) + release + text.substr(end);
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
        std::string_view part = ascii_trim(text.substr(start, end - start));
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
            if (ascii_trim(text) != clause)
                e.within("in the specifier set " + quote(ascii_trim(text)));
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
    for (const auto& s : specifiers_) {
        if (s == specifier)
            return;  // `==2.8` after `==2.8.0`: the same clause
    }
    std::string key = specifier.to_string();
    auto it = std::lower_bound(
        specifiers_.begin(), specifiers_.end(), key,
        [](const Specifier& s, const std::string& k) { return s.to_string() < k; });
    specifiers_.insert(it, std::move(specifier));
}

bool SpecifierSet::operator==(const SpecifierSet& other) const {
    auto keys = [](const std::vector<Specifier>& clauses) {
        std::vector<std::string> out;
        for (const auto& s : clauses)
            out.push_back(s.canonical());
        std::sort(out.begin(), out.end());
        return out;
    };
    return keys(specifiers_) == keys(other.specifiers_);
}

bool SpecifierSet::allows_prereleases() const {
    return std::any_of(specifiers_.begin(), specifiers_.end(),
                       [](const Specifier& s) { return s.allows_prereleases(); });
}

bool SpecifierSet::contains(const Version& version, Prereleases prereleases) const {
    bool arbitrary = std::any_of(specifiers_.begin(), specifiers_.end(),
                                 [](const Specifier& s) { return s.op() == Operator::arbitrary; });
    return contains(version, arbitrary ? version.to_string() : std::string(), prereleases);
}

bool SpecifierSet::contains(const Version& version, std::string_view raw,
                            Prereleases prereleases) const {
    if (version.is_prerelease()) {
        if (prereleases == Prereleases::deny)
            return false;
        if (prereleases == Prereleases::by_spec && !allows_prereleases())
            return false;
    }
    return std::all_of(specifiers_.begin(), specifiers_.end(), [&](const Specifier& s) {
        return s.contains(version, raw, Prereleases::allow);
    });
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
