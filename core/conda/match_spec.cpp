#include "core/conda/match_spec.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"
#include "core/conda/package_filename.hpp"
#include "core/conda/parse_error.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace airlock::conda {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

/// conda's known subdirs: the last path segment of a channel that is one of these is a subdir.
bool is_known_subdir(std::string_view s) {
    static constexpr std::array<std::string_view, 20> subdirs = {
        "noarch",        "linux-32",      "linux-64",
        "linux-aarch64", "linux-armv6l",  "linux-armv7l",
        "linux-ppc64",   "linux-ppc64le", "linux-riscv64",
        "linux-s390x",   "osx-64",        "osx-arm64",
        "win-32",        "win-64",        "win-arm64",
        "zos-z",         "freebsd-64",    "emscripten-wasm32",
        "wasi-wasm32",   "osx-32",
    };
    return std::find(subdirs.begin(), subdirs.end(), s) != subdirs.end();
}

std::vector<std::string> feature_set(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ','))
            ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != ',')
            ++j;
        if (j > i)
            out.emplace_back(text.substr(i, j - i));
        i = j;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : " ") + s;
    return out;
}

/// The reason in an Error thrown by a sub-parser ("invalid … `x`: <reason>\n…").
std::string reason_of(const Error& e) {
    std::string_view what = e.what();
    what = what.substr(0, what.find('\n'));
    auto at = what.find("`: ");
    return std::string(at == std::string_view::npos ? what : what.substr(at + 3));
}

bool is_build_pattern_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '+' || c == '!' || c == '*';
}

}  // namespace

struct MatchSpecParser {
    std::string_view text;
    MatchSpec spec;

    [[noreturn]] void fail(std::string_view message, std::size_t at = 0,
                           std::size_t length = 0) const {
        throw_parse_error("match spec", text, message, at, length);
    }

    std::size_t offset_of(std::string_view part) const {
        return static_cast<std::size_t>(part.data() - text.data());
    }

    void set_channel(std::string_view value, std::size_t at) {
        value = ascii_trim(value);
        if (value.empty())
            fail("empty channel before `::`", at, 2);
        for (std::size_t i = 0; i < value.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(value[i]);
            if (c <= 0x20 || c >= 0x7f)
                fail("a channel has no spaces or control characters", offset_of(value) + i, 1);
            // A channel is a name or a URL; anything else (brackets, parentheses, quotes,
            // commas, `=`, `|`) would be read back as part of the spec's own syntax.
            if (!std::isalnum(c) && std::string_view("-._~:/@%+*!$&;").find(static_cast<char>(c)) ==
                                        std::string_view::npos)
                fail(
                    "a channel is a name or URL of letters, digits and - . _ ~ : / @ % + * ! $ "
                    "& ;",
                    offset_of(value) + i, 1);
        }
        std::string_view channel = value;
        if (auto slash = value.rfind('/'); slash != std::string_view::npos) {
            std::string_view last = value.substr(slash + 1);
            if (is_known_subdir(last)) {
                spec.subdir_ = std::string(last);
                channel = value.substr(0, slash);
            }
        }
        while (channel.size() > 1 && channel.back() == '/')
            channel.remove_suffix(1);
        spec.channel_ = channel == "*" ? std::string() : std::string(channel);
    }

    void set_version(std::string_view version, std::size_t at, std::size_t length) {
        try {
            spec.version_ = VersionSpec::parse(version);
        } catch (const Error& e) {
            fail("invalid version spec: " + reason_of(e), at, length);
        }
    }

    void set_build(std::string_view build, std::size_t at, std::size_t length) {
        for (char c : build) {
            if (!is_build_pattern_char(c))
                fail("invalid build string (letters, digits, `_` `.` `+` `!` and `*` globs)", at,
                     length);
        }
        if (build.empty())
            fail("empty build string", at, length);
        spec.build_ = StringMatcher(std::string(build));
    }

    void set_name(std::string_view name, std::size_t at) {
        if (name.find('*') != std::string_view::npos) {
            for (std::size_t i = 0; i < name.size(); ++i) {
                char c = name[i];
                if (c != '*' && !PackageName::is_valid(std::string_view(&c, 1)))
                    fail("invalid character in a package name pattern", at + i, 1);
            }
            spec.name_.reset();
            spec.name_matcher_ = StringMatcher(lower(name));
            return;
        }
        try {
            spec.name_ = PackageName::parse(name);
        } catch (const Error& e) {
            fail(reason_of(e), at, name.size());
        }
        spec.name_matcher_ = StringMatcher(spec.name_->normalized());
    }

    /// `key=value` pairs inside `[...]`, applied after everything else (they override).
    struct Pair {
        std::string_view key;
        std::string_view value;
        std::size_t at = 0;  // of the value
    };

    std::vector<Pair> bracket_pairs(std::string_view inside) {
        std::vector<Pair> pairs;
        std::size_t i = 0;
        auto separator = [](char c) { return c == ',' || ascii_space(c); };
        while (i < inside.size()) {
            while (i < inside.size() && separator(inside[i]))
                ++i;
            if (i == inside.size())
                break;
            std::size_t key_start = i;
            while (i < inside.size() && (std::isalnum(static_cast<unsigned char>(inside[i])) ||
                                         inside[i] == '_' || inside[i] == '-'))
                ++i;
            std::string_view key = inside.substr(key_start, i - key_start);
            if (key.empty() || i == inside.size() || inside[i] != '=')
                fail("expected key=value inside `[...]`", offset_of(inside) + key_start,
                     std::max<std::size_t>(1, i - key_start));
            ++i;
            std::string_view value;
            std::size_t value_at = i;
            if (i < inside.size() && (inside[i] == '\'' || inside[i] == '"')) {
                char quote = inside[i++];
                auto close = inside.find(quote, i);
                if (close == std::string_view::npos)
                    fail("quote not closed", offset_of(inside) + i - 1, 1);
                value = inside.substr(i, close - i);
                value_at = i;
                i = close + 1;
            } else {
                std::size_t start = i;
                while (i < inside.size() && !separator(inside[i]))
                    ++i;
                value = inside.substr(start, i - start);
            }
            if (value.empty())
                fail("empty value for `" + std::string(key) + "`", offset_of(inside) + key_start,
                     key.size());
            pairs.push_back({key, value, offset_of(inside) + value_at});
        }
        return pairs;
    }

    void apply(const Pair& p) {
        std::string_view key = p.key;
        std::size_t at = p.at, length = p.value.size();
        if (key == "version") {
            set_version(p.value, at, length);
        } else if (key == "build" || key == "build_string") {
            set_build(p.value, at, length);
        } else if (key == "build_number") {
            try {
                spec.build_number_ = BuildNumberSpec::parse(p.value);
            } catch (const Error& e) {
                fail("invalid build_number: " + reason_of(e), at, length);
            }
        } else if (key == "channel") {
            std::string old_subdir = spec.subdir_;
            set_channel(p.value, at);
            if (spec.subdir_.empty())
                spec.subdir_ = old_subdir;
        } else if (key == "subdir") {
            spec.subdir_ = std::string(p.value);
        } else if (key == "name") {
            set_name(p.value, at);
        } else if (key == "md5") {
            spec.md5_ = lower(p.value);
        } else if (key == "sha256") {
            spec.sha256_ = lower(p.value);
        } else if (key == "fn") {
            spec.fn_ = std::string(p.value);
        } else if (key == "url") {
            spec.url_ = std::string(p.value);
        } else if (key == "license") {
            spec.license_ = StringMatcher(lower(p.value));
        } else if (key == "license_family") {
            spec.license_family_ = StringMatcher(lower(p.value));
        } else if (key == "track_features") {
            spec.track_features_ = feature_set(p.value);
        } else if (key == "features") {
            spec.features_ = feature_set(p.value);
        } else {
            fail("cannot match on field `" + printable(key) + "`", offset_of(key), key.size());
        }
    }

    /// conda's _parse_version_plus_build: the shortest version after which comes ` ` or `=`
    /// (not right after an operator) and a build without `-=,|<>~`.
    void version_and_build(std::string_view rest) {
        std::size_t at = offset_of(rest);
        std::string_view version = rest;
        std::string_view build;
        for (std::size_t q = 1; q < rest.size(); ++q) {
            char sep = rest[q];
            char before = rest[q - 1];
            if ((sep != ' ' && sep != '=') ||
                std::string_view("=!|,<>~").find(before) != std::string_view::npos)
                continue;
            std::string_view candidate = ascii_trim(rest.substr(q + 1));
            if (candidate.empty() || candidate.find_first_of("-=,|<>~") != std::string_view::npos)
                continue;
            version = rest.substr(0, q);
            build = candidate;
            break;
        }
        std::string v;
        for (char c : version) {
            if (!ascii_space(c))
                v += c;
        }
        if (!build.empty()) {
            for (char c : build) {
                if (ascii_space(c))
                    fail("a build string has no spaces", offset_of(build), build.size());
            }
        }
        // `=1.2` means 1.2.* unless a build follows; `==1.2` alone is exact.
        if (!v.empty() && v[0] == '=') {
            std::string test = v.substr(1);
            if (v.starts_with("==") && build.empty()) {
                v = v.substr(2);
                if (v.empty() || v.find_first_of("=,|") != std::string::npos)
                    v = "==" + v;  // leave compound or odd specs to the version parser
            } else if (test.find_first_of("=,|") == std::string::npos) {
                v = build.empty() && !test.empty() && test.back() != '*' ? test + "*" : test;
            }
        }
        if (v.empty())
            fail("expected a version", at, rest.size());
        set_version(v, at, version.size());
        if (!build.empty())
            set_build(build, offset_of(build), build.size());
    }

    MatchSpec parse() {
        spec.source_ = std::string(text);
        std::string_view s = text;
        if (auto hash = s.find('#'); hash != std::string_view::npos)
            s = s.substr(0, hash);
        s = ascii_trim(s);
        if (s.empty())
            fail("empty match spec");
        for (std::size_t i = 0; i < s.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            if ((c < 0x20 && c != '\t') || c >= 0x7f)
                fail("control or non-ASCII character", offset_of(s) + i, 1);
        }
        // A package file or its URL (`numpy-1.26.4-py312h_0.conda`, `https://…/x-1-0.tar.bz2`),
        // in any case. Not any text ending so: `1.=2.conda` is the name `1.` at versions
        // `2.conda*`.
        if (auto lower = ascii_lower(s);
            (lower.ends_with(".conda") || lower.ends_with(".tar.bz2")) &&
            (lower.find('/') != std::string::npos || PackageFilename::try_parse(lower)))
            fail("package files and URLs are not match specs", offset_of(s), s.size());
        if (s.back() == '@')
            fail("legacy feature specs (`name@`) are not supported", offset_of(s), s.size());

        std::vector<Pair> pairs;
        if (auto open = s.find('['); open != std::string_view::npos) {
            auto close = s.rfind(']');
            if (close == std::string_view::npos || close < open)
                fail("`[` is not closed", offset_of(s) + open, 1);
            if (close + 1 != s.size())
                fail("unexpected text after `]`", offset_of(s) + close + 1, s.size() - close - 1);
            pairs = bracket_pairs(s.substr(open + 1, close - open - 1));
            s = ascii_trim(s.substr(0, open));
            if (s.find('[') != std::string_view::npos)
                fail("only one `[...]` section is allowed", offset_of(s) + s.find('['), 1);
        } else if (auto close = s.find(']'); close != std::string_view::npos) {
            fail("`]` without `[`", offset_of(s) + close, 1);
        }
        if (auto paren = s.find_first_of("()"); paren != std::string_view::npos)
            fail("parentheses are not supported here (use [version='...'])", offset_of(s) + paren,
                 1);

        if (auto colons = s.rfind("::"); colons != std::string_view::npos) {
            set_channel(s.substr(0, colons), offset_of(s) + colons);
            s = ascii_trim(s.substr(colons + 2));
        }
        if (auto colon = s.find(':'); colon != std::string_view::npos)
            fail("`:` here (a channel is written `channel::name`)", offset_of(s) + colon, 1);

        std::size_t name_end = 0;
        while (name_end < s.size() &&
               std::string_view(" \t=<>!~").find(s[name_end]) == std::string_view::npos)
            ++name_end;
        if (name_end == 0)
            fail("no package name found", offset_of(s), 1);
        set_name(s.substr(0, name_end), offset_of(s));
        std::string_view rest = ascii_trim(s.substr(name_end));
        if (!rest.empty())
            version_and_build(rest);

        for (const auto& p : pairs)
            apply(p);
        return std::move(spec);
    }
};

MatchSpec MatchSpec::parse(std::string_view text) {
    return MatchSpecParser{text, {}}.parse();
}

std::optional<MatchSpec> MatchSpec::try_parse(std::string_view text) {
    try {
        return parse(text);
    } catch (const Error&) {
        return std::nullopt;
    }
}

bool MatchSpec::matches(const PackageRecord& r) const {
    if (!name_matcher_.matches(r.name.normalized()))
        return false;
    if (version_ && !version_->matches(r.version))
        return false;
    if (build_ && !build_->matches(r.build))
        return false;
    if (build_number_ && !build_number_->matches(r.build_number))
        return false;
    if (!channel_.empty() && r.channel != channel_) {
        std::string_view c = r.channel;
        while (!c.empty() && c.back() == '/')
            c.remove_suffix(1);
        if (!(c.ends_with(channel_) && c.size() > channel_.size() &&
              c[c.size() - channel_.size() - 1] == '/'))
            return false;
    }
    if (!subdir_.empty() && r.subdir != subdir_)
        return false;
    if (!md5_.empty() && r.md5 != md5_)
        return false;
    if (!sha256_.empty() && r.sha256 != sha256_)
        return false;
    if (!fn_.empty() && r.fn != fn_)
        return false;
    if (!url_.empty() && r.url != url_)
        return false;
    if (license_ && !license_->matches(lower(r.license)))
        return false;
    if (license_family_ && !license_family_->matches(lower(r.license_family)))
        return false;
    if (track_features_) {
        std::vector<std::string> have = r.track_features;
        std::sort(have.begin(), have.end());
        have.erase(std::unique(have.begin(), have.end()), have.end());
        if (have != *track_features_)
            return false;
    }
    if (features_ && feature_set(r.features) != *features_)
        return false;
    return true;
}

std::string MatchSpec::to_string() const {
    std::string out;
    std::vector<std::string> brackets;
    // Written so that parse() reads the same value back: bare when it has no separator, `=` or
    // leading quote; else in the quotes it does not contain (a value holding both kinds of quote
    // came unquoted, so it has no separator and reads back bare).
    auto bracket = [&](std::string_view key, const std::string& value) {
        const bool separator = std::any_of(value.begin(), value.end(),
                                           [](char c) { return c == ',' || ascii_space(c); });
        const bool quoting = separator || value.find('=') != std::string::npos ||
                             value.starts_with('\'') || value.starts_with('"');
        if (quoting && value.find('\'') == std::string::npos)
            brackets.push_back(std::string(key) + "='" + value + "'");
        else if (quoting && value.find('"') == std::string::npos)
            brackets.push_back(std::string(key) + "=\"" + value + "\"");
        else
            brackets.push_back(std::string(key) + "=" + value);
    };
    bool exact_channel = !channel_.empty() && channel_.find('*') == std::string::npos;
    if (exact_channel)
        out += channel_;
    else if (!channel_.empty())
        bracket("channel", channel_);
    if (!subdir_.empty()) {
        // `channel/subdir::` reads back as a subdir only for the subdirs conda knows.
        if (exact_channel && is_known_subdir(subdir_))
            out += "/" + subdir_;
        else
            bracket("subdir", subdir_);
    }
    out += (out.empty() ? "" : "::") + name_matcher_.pattern();

    bool version_exact = false;
    if (version_ && !version_->is_any()) {
        std::string v = version_->to_string();
        if (v.find_first_of("><$^|,") != std::string::npos) {
            brackets.push_back("version='" + v + "'");
        } else if (v.starts_with("!=") || v.starts_with("~=")) {
            if (build_)
                brackets.push_back("version='" + v + "'");
            else
                out += v;
        } else if (auto star = v.find('*'); star != std::string::npos && star != v.size() - 1) {
            // A glob (`1*.*`, `_3*.*`): `=1*` would parse back as the prefix `1`.
            brackets.push_back("version='" + v + "'");
        } else if (v.ends_with("..*") ||
                   (v.starts_with("=") && (v.ends_with("*") || !v.starts_with("==")))) {
            // `=10.` would parse back as `10.*`; `===` (from `==*`) and `===1` (from the
            // version spec `=1`) not at all: keep the text.
            brackets.push_back("version='" + v + "'");
        } else if (v.ends_with(".*")) {
            out += "=" + v.substr(0, v.size() - 2);
        } else if (v.ends_with("*")) {
            out += "=" + v.substr(0, v.size() - 1);
        } else if (v.starts_with("==")) {
            out += v;
            version_exact = true;
        } else {
            out += "==" + v;
            version_exact = true;
        }
    }
    if (build_) {
        const std::string& b = build_->pattern();
        if (b.find('*') != std::string::npos || !version_exact)
            brackets.push_back("build=" + b);
        else
            out += "=" + b;
    }
    if (build_number_)
        bracket("build_number", build_number_->to_string());
    if (track_features_)
        bracket("track_features", join(*track_features_));
    if (features_)
        bracket("features", join(*features_));
    if (!url_.empty() && channel_.empty())
        bracket("url", url_);
    if (!md5_.empty())
        bracket("md5", md5_);
    if (!sha256_.empty())
        bracket("sha256", sha256_);
    if (license_)
        bracket("license", license_->pattern());
    if (license_family_)
        bracket("license_family", license_family_->pattern());
    if (!fn_.empty() && url_.empty())
        bracket("fn", fn_);
    if (!brackets.empty()) {
        out += "[";
        for (std::size_t i = 0; i < brackets.size(); ++i)
            out += (i ? "," : "") + brackets[i];
        out += "]";
    }
    return out;
}

}  // namespace airlock::conda
