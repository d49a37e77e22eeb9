#include "builder/net/netrc.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <cstdlib>
#include <system_error>

namespace airlock::net {
namespace {

struct Token {
    std::string text;
    std::size_t line = 0;
    std::size_t column = 0;
};

/// Splits on white space; `"..."` quotes a token with spaces (curl accepts them, with `\"`).
class Tokenizer {
  public:
    explicit Tokenizer(std::string_view text) : text_(text) {}

    std::optional<Token> next() {
        while (pos_ < text_.size() && is_space(text_[pos_]))
            advance();
        if (pos_ >= text_.size())
            return std::nullopt;
        Token token{{}, line_, column_};
        if (text_[pos_] == '"') {
            advance();
            while (pos_ < text_.size() && text_[pos_] != '"') {
                if (text_[pos_] == '\\' && pos_ + 1 < text_.size())
                    advance();
                token.text += text_[pos_];
                advance();
            }
            if (pos_ < text_.size())
                advance();
            return token;
        }
        while (pos_ < text_.size() && !is_space(text_[pos_])) {
            token.text += text_[pos_];
            advance();
        }
        return token;
    }

    /// Skips the rest of the current line.
    void skip_line() {
        while (pos_ < text_.size() && text_[pos_] != '\n')
            advance();
    }

    /// Skips a `macdef` body: everything up to and including the next empty line.
    void skip_macro() {
        while (pos_ < text_.size() && text_[pos_] != '\n')
            advance();
        while (pos_ < text_.size()) {
            advance();  // the newline
            if (pos_ >= text_.size() || text_[pos_] == '\n')
                return;
            while (pos_ < text_.size() && text_[pos_] != '\n')
                advance();
        }
    }

  private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
    void advance() {
        if (text_[pos_] == '\n') {
            ++line_;
            column_ = 1;
        } else {
            ++column_;
        }
        ++pos_;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t column_ = 1;
};

}  // namespace

std::vector<NetrcEntry> parse_netrc(std::string_view text, const std::filesystem::path& path) {
    std::vector<NetrcEntry> entries;
    Tokenizer tokens(text);
    auto fail = [&](const Token& at, const std::string& message) {
        SourceLocation where{path.string(), at.line, at.column};
        throw Error(source_excerpt(where, line_of(text, at.line), message,
                                   std::max<std::size_t>(1, at.text.size())),
                    Exit::user);
    };
    NetrcEntry* current = nullptr;
    while (auto token = tokens.next()) {
        const auto& word = token->text;
        if (word.starts_with('#')) {  // a comment runs to the end of its line (curl, Python)
            tokens.skip_line();
            continue;
        }
        auto value = [&](std::string_view keyword) {
            auto v = tokens.next();
            if (!v)
                fail(*token, "`" + std::string(keyword) + "` has no value");
            return v->text;
        };
        if (word == "machine") {
            entries.push_back(
                {ascii_lower(value("machine")), {}, {path.string(), token->line, token->column}});
            current = &entries.back();
        } else if (word == "default") {
            entries.push_back({"", {}, {path.string(), token->line, token->column}});
            current = &entries.back();
        } else if (word == "login" || word == "password" || word == "account") {
            if (!current)
                fail(*token, "`" + word + "` before any `machine` or `default` entry");
            auto v = value(word);
            if (word == "login")
                current->credentials.user = v;
            else if (word == "password")
                current->credentials.password = v;
        } else if (word == "macdef") {
            value("macdef");
            tokens.skip_macro();
            current = nullptr;
        } else {
            fail(*token, "unexpected " + quote(word) +
                             "; a netrc entry is `machine HOST login USER password SECRET`");
        }
    }
    return entries;
}

std::optional<std::filesystem::path> netrc_path(
    const std::function<std::optional<std::string>(std::string_view)>& env) {
    if (auto file = env("NETRC"); file && !file->empty())
        return std::filesystem::path(*file);
    if (auto home = env("HOME"); home && !home->empty())
        return std::filesystem::path(*home) / ".netrc";
    return std::nullopt;
}

std::vector<NetrcEntry> read_netrc(
    const std::function<std::optional<std::string>(std::string_view)>& env) {
    auto path = netrc_path(env);
    std::error_code ec;
    if (!path || !std::filesystem::exists(*path, ec))
        return {};
    auto text = read_file(*path, "the netrc file", "it is $NETRC, else ~/.netrc");
    return within("reading " + quote(path->string()), [&] { return parse_netrc(text, *path); });
}

void add_netrc(CredentialStore& store, const std::vector<NetrcEntry>& entries) {
    for (const auto& entry : entries)
        store.add_host(entry.machine, entry.credentials);
}

std::vector<NetrcEntry> read_process_netrc() {
    return read_netrc([](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (!value)
            return std::nullopt;
        return std::string(value);
    });
}

}  // namespace airlock::net
