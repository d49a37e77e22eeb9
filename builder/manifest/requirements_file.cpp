#include "builder/manifest/requirements_file.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/pep508/requirement.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

namespace airlock::manifest {
namespace {

/// One logical line: continuations joined, the comment cut, with where it starts.
struct Logical {
    std::string text;
    std::size_t line = 0;    ///< 1-based, of its first physical line
    std::size_t column = 1;  ///< 1-based column of `text` in that line
};

std::vector<Logical> logical_lines(std::string_view text) {
    std::vector<Logical> out;
    std::size_t number = 0;
    std::size_t pos = 0;
    Logical current;
    bool continuing = false;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string line(text.substr(pos, end - pos));
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!continuing)
            current = Logical{"", number, 1};
        bool continues = !line.empty() && line.back() == '\\';
        if (continues)
            line.pop_back();
        current.text += line;
        continuing = continues;
        if (!continuing)
            out.push_back(current);
        if (end == text.size())
            break;
        pos = end + 1;
    }
    if (continuing)
        out.push_back(current);
    for (auto& l : out) {
        // pip: a `#` at the start or after whitespace starts a comment.
        for (std::size_t i = 0; i < l.text.size(); ++i) {
            if (l.text[i] == '#' &&
                (i == 0 || std::isspace(static_cast<unsigned char>(l.text[i - 1])))) {
                l.text.resize(i);
                break;
            }
        }
        std::size_t lead = 0;
        while (lead < l.text.size() && std::isspace(static_cast<unsigned char>(l.text[lead])))
            ++lead;
        l.text.erase(0, lead);
        l.column += lead;
        while (!l.text.empty() && std::isspace(static_cast<unsigned char>(l.text.back())))
            l.text.pop_back();
    }
    return out;
}

/// Whitespace-separated tokens with their offsets in `text`.
std::vector<std::pair<std::string, std::size_t>> tokens(const std::string& text) {
    std::vector<std::pair<std::string, std::size_t>> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (i == text.size())
            break;
        std::size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        out.emplace_back(text.substr(start, i - start), start);
    }
    return out;
}

/// Runs of whitespace outside quotes become one space (continuation lines leave indentation
/// inside a requirement), and the ends are trimmed.
std::string collapse_spaces(const std::string& text) {
    std::string out;
    char quote_char = 0;
    for (char c : text) {
        bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (quote_char) {
            out += c;
            if (c == quote_char)
                quote_char = 0;
        } else if (space) {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        } else {
            if (c == '"' || c == '\'')
                quote_char = c;
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

class Parser {
  public:
    Parser(std::string_view text, const std::filesystem::path& path, RequirementsFile& out,
           bool constraint)
        : text_(text), path_(path), out_(out), constraint_(constraint) {}

    void run() {
        for (const auto& line : logical_lines(text_)) {
            if (line.text.empty())
                continue;
            if (line.text[0] == '-')
                option_line(line);
            else
                requirement_line(line);
        }
    }

  private:
    SourceLocation at(const Logical& line, std::size_t offset) const {
        return {path_.string(), line.line, line.column + offset};
    }

    [[noreturn]] void fail(const Logical& line, std::size_t offset, const std::string& message,
                           std::size_t span = 1, const std::string& hint = {}) const {
        Error error(source_excerpt(at(line, offset), line_of(text_, line.line), message, span));
        if (!hint.empty())
            error.with_hint(hint);
        throw error;
    }

    /// `-r FILE`, `-rFILE`, `--requirement=FILE`, `--requirement FILE`: the option's name and
    /// value (empty when none follows), and the offset of the value.
    struct Option {
        std::string name;
        std::string value;
        std::size_t value_offset = 0;
        std::size_t end = 0;  ///< tokens used
    };

    static Option split_option(const std::vector<std::pair<std::string, std::size_t>>& tokens,
                               std::size_t i, bool takes_value) {
        static const std::set<std::string> short_with_value = {"-r", "-c", "-i", "-f", "-e"};
        Option o;
        const auto& [token, offset] = tokens[i];
        o.end = i + 1;
        if (token.starts_with("--")) {
            auto eq = token.find('=');
            o.name = token.substr(0, eq);
            if (eq != std::string::npos) {
                o.value = token.substr(eq + 1);
                o.value_offset = offset + eq + 1;
                return o;
            }
        } else {
            o.name = token.substr(0, 2);
            if (token.size() > 2 && short_with_value.count(o.name)) {
                o.value = token.substr(2);
                if (o.value.starts_with("="))
                    o.value.erase(0, 1);
                o.value_offset = offset + token.size() - o.value.size();
                return o;
            }
        }
        if (takes_value && i + 1 < tokens.size()) {
            o.value = tokens[i + 1].first;
            o.value_offset = tokens[i + 1].second;
            o.end = i + 2;
        }
        return o;
    }

    void option_line(const Logical& line) {
        auto parts = tokens(line.text);
        static const std::set<std::string> with_value = {"-r",
                                                         "--requirement",
                                                         "-c",
                                                         "--constraint",
                                                         "-i",
                                                         "--index-url",
                                                         "--extra-index-url",
                                                         "-f",
                                                         "--find-links",
                                                         "-e",
                                                         "--editable",
                                                         "--trusted-host",
                                                         "--no-binary",
                                                         "--only-binary",
                                                         "--use-feature",
                                                         "--config-settings",
                                                         "--global-option"};
        auto name_of = [](const std::string& token) {
            if (token.starts_with("--"))
                return token.substr(0, token.find('='));
            return token.substr(0, 2);
        };
        std::string name = name_of(parts[0].first);
        auto o = split_option(parts, 0, with_value.count(name) > 0);
        if (o.end < parts.size()) {
            fail(line, parts[o.end].second,
                 "unexpected " + quote(parts[o.end].first) + " after " + quote(o.name) +
                     "; give one option per line",
                 parts[o.end].first.size());
        }
        auto need_value = [&] {
            if (o.value.empty())
                fail(line, 0, quote(o.name) + " needs a value", o.name.size());
        };
        if (o.name == "-r" || o.name == "--requirement" || o.name == "-c" ||
            o.name == "--constraint") {
            need_value();
            include(line, o, constraint_ || o.name == "-c" || o.name == "--constraint");
        } else if (o.name == "-i" || o.name == "--index-url") {
            need_value();
            out_.index_urls.push_back({o.value, at(line, o.value_offset)});
        } else if (o.name == "--extra-index-url") {
            need_value();
            out_.extra_index_urls.push_back({o.value, at(line, o.value_offset)});
        } else if (o.name == "-f" || o.name == "--find-links") {
            need_value();
            out_.find_links.push_back({o.value, at(line, o.value_offset)});
        } else if (o.name == "--no-index") {
            out_.no_index = true;
        } else if (o.name == "--pre") {
            out_.pre = true;
        } else if (o.name == "--require-hashes") {
            out_.require_hashes = true;
        } else if (o.name == "--only-binary" || o.name == "--prefer-binary") {
            // airlock installs wheels only: already so.
        } else if (o.name == "-e" || o.name == "--editable") {
            fail(line, 0,
                 "editable requirements (" + quote(o.name) +
                     ") are not supported: a bundle carries built wheels for another machine",
                 o.name.size(),
                 "build a wheel of the project (`pip wheel --no-deps PATH`), publish it on an "
                 "index the manifest names, and require it by name and version");
        } else if (o.name == "--no-binary") {
            fail(line, 0, "`--no-binary` asks for source builds, and airlock bundles wheels only",
                 o.name.size(), "remove the line; airlock picks a wheel for every package");
        } else if (o.name == "--trusted-host") {
            fail(line, 0, "`--trusted-host` (TLS without verification) is not supported",
                 o.name.size(),
                 "give the server's CA with --cert CA.pem, or use an http:// index URL");
        } else {
            fail(line, 0,
                 quote(o.name) +
                     " is not an option airlock reads in a requirements file (it "
                     "reads -r, -c, --hash, --index-url, --extra-index-url, "
                     "--find-links, --no-index, --pre and --require-hashes)",
                 o.name.size());
        }
    }

    void include(const Logical& line, const Option& o, bool constraint) {
        if (o.value.find("://") != std::string::npos) {
            fail(line, o.value_offset, "including a requirements file by URL is not supported",
                 o.value.size(), "download it and give its path");
        }
        std::filesystem::path target = path_.parent_path() / o.value;
        auto normal = std::filesystem::weakly_canonical(target);
        if (std::find(stack().begin(), stack().end(), normal) != stack().end()) {
            fail(line, o.value_offset, quote(o.value) + " includes itself (a loop of -r/-c)",
                 o.value.size());
        }
        auto text = try_read_file(target);
        if (!text) {
            fail(line, o.value_offset,
                 "cannot read " + quote(target.string()) +
                     " (includes are relative to the file that names them)",
                 o.value.size());
        }
        stack().push_back(normal);
        try {
            Parser(*text, target, out_, constraint).run();
        } catch (...) {
            stack().pop_back();
            throw;
        }
        stack().pop_back();
    }

    static std::vector<std::filesystem::path>& stack() {
        static thread_local std::vector<std::filesystem::path> files;
        return files;
    }

    void requirement_line(const Logical& line) {
        auto parts = tokens(line.text);
        // pip: the requirement runs up to the first token that starts with `-`.
        std::size_t first_option = parts.size();
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (parts[i].first.starts_with("-")) {
                first_option = i;
                break;
            }
        }
        std::string text = line.text.substr(
            0, first_option < parts.size() ? parts[first_option].second : line.text.size());
        text = collapse_spaces(text);
        if (text.find("://") != std::string::npos && text.find('@') == std::string::npos) {
            fail(line, 0, "a URL is not a requirement airlock can lock", text.size(),
                 "publish the wheel on an index and require it by name and version");
        }
        if (text.starts_with(".") || text.starts_with("/") || text.ends_with(".whl") ||
            text.ends_with(".tar.gz") || text.ends_with(".zip")) {
            fail(line, 0, "a path is not a requirement airlock can lock", text.size(),
                 "publish the wheel on an index (or a --find-links directory) and require it "
                 "by name and version");
        }
        RequirementLine r;
        r.where = at(line, 0);
        pep508::Requirement parsed;
        try {
            parsed = pep508::Requirement::parse(text);
        } catch (const Error& e) {
            // PEP 508's message and caret, moved onto this file's line.
            std::string what = e.what();
            auto first = what.substr(0, what.find('\n'));
            std::size_t offset = 0, span = text.size();
            auto caret_line = what.rfind('\n');
            if (caret_line != std::string::npos) {
                auto carets = what.substr(caret_line + 1);
                auto begin = carets.find_first_of("~^");
                auto end = carets.find_last_of("~^");
                if (begin != std::string::npos && begin >= 2) {
                    offset = begin - 2;
                    span = end - begin + 1;
                }
            }
            if (!first.starts_with("invalid requirement"))
                first = "invalid requirement: " + first;
            fail(line, offset, first, span);
        }
        if (parsed.url) {
            fail(line, 0, "a direct URL reference is not a requirement airlock can lock",
                 text.size(), "publish the wheel on an index and require it by name and version");
        }
        r.text = text;
        r.name = parsed.normalized_name();
        static const std::regex sha256("sha256:([0-9a-fA-F]{64})");
        for (std::size_t i = first_option; i < parts.size();) {
            auto o = split_option(parts, i, true);
            if (o.name != "--hash") {
                fail(line, parts[i].second,
                     quote(o.name) +
                         " is not an option airlock reads on a requirement (it reads "
                         "--hash)",
                     o.name.size());
            }
            std::smatch m;
            if (!std::regex_match(o.value, m, sha256)) {
                auto offset = o.value.empty() ? parts[i].second : o.value_offset;
                fail(line, offset,
                     o.value.empty() ? std::string("`--hash` needs a value: --hash=sha256:<hex>")
                                     : quote(o.value) +
                                           " is not a sha256 hash; airlock checks files by "
                                           "sha256: write --hash=sha256:<64 hex digits>",
                     std::max<std::size_t>(1, o.value.size()),
                     "`pip hash FILE` prints a file's sha256 pin");
            }
            std::string hex = m[1].str();
            std::transform(hex.begin(), hex.end(), hex.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (std::find(r.sha256.begin(), r.sha256.end(), hex) == r.sha256.end())
                r.sha256.push_back(hex);
            i = o.end;
        }
        if (!r.sha256.empty())
            out_.require_hashes = true;
        (constraint_ ? out_.constraints : out_.requirements).push_back(std::move(r));
    }

    std::string_view text_;
    std::filesystem::path path_;
    RequirementsFile& out_;
    bool constraint_;
};

bool exact_pin(const pep508::Requirement& r) {
    const auto& specs = r.specifier.specifiers();
    return std::any_of(specs.begin(), specs.end(), [](const pep440::Specifier& s) {
        return (s.op() == pep440::Operator::equal && !s.is_wildcard()) ||
               s.op() == pep440::Operator::arbitrary;
    });
}

}  // namespace

void parse_requirements_text(std::string_view text, const std::filesystem::path& path,
                             RequirementsFile& out, bool constraint) {
    Parser(text, path, out, constraint).run();
}

void read_requirements_file(const std::filesystem::path& path, RequirementsFile& out,
                            bool constraint) {
    auto text = read_file(path, "the requirements file");
    parse_requirements_text(text, path, out, constraint);
}

void check_hash_mode(const RequirementsFile& file) {
    if (!file.require_hashes)
        return;
    for (const auto& r : file.requirements) {
        auto parsed = pep508::Requirement::parse(r.text);
        auto line = try_read_file(r.where.file).value_or("");
        if (r.sha256.empty()) {
            throw Error(source_excerpt(r.where, line_of(line, r.where.line),
                                       quote(r.text) +
                                           " has no --hash, and hash-checking mode is on (another "
                                           "requirement has one, or --require-hashes): every "
                                           "requirement needs one",
                                       r.text.size()))
                .with_hint("add --hash=sha256:... (pip-compile --generate-hashes writes them all)");
        }
        if (!exact_pin(parsed)) {
            throw Error(source_excerpt(r.where, line_of(line, r.where.line),
                                       quote(r.text) +
                                           " is not pinned with ==; in hash-checking mode every "
                                           "requirement names one version",
                                       r.text.size()))
                .with_hint("write " + r.name + "==VERSION with the hashes of that version");
        }
    }
}

}  // namespace airlock::manifest
