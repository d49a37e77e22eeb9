#pragma once
/// URLs (RFC 3986) through libcurl's URL API (CURLU): parsing, reference resolution and origins,
/// the one URL parser of airlock-build. A Url never holds credentials: parse() splits any
/// `user:password@` off into Credentials, which live in memory only (see credential_store.hpp),
/// so every URL that is stored, written or printed is credential-free by construction.

#include <optional>
#include <string>
#include <string_view>

namespace airlock::net {

/// A user name and password for one server; never part of a URL string, never written.
struct Credentials {
    std::string user;
    std::string password;  ///< percent-decoded
};

class Url {
  public:
    /// Parses an absolute http://, https:// or file:// URL. Any `user:password@` is removed and,
    /// when `credentials` is given, returned there (percent-decoded). A default port is dropped
    /// (`http://h:80/x` is `http://h/x`). Throws Error (Exit::user) quoting the text without its
    /// credentials.
    static Url parse(std::string_view text, std::optional<Credentials>* credentials = nullptr);
    /// Like parse(), without credentials, without throwing.
    static std::optional<Url> try_parse(std::string_view text);

    /// `reference` (an href) resolved against this URL (RFC 3986 §5.2). Credentials written in
    /// the reference are dropped; nullopt when the result is not a valid http(s)/file URL.
    std::optional<Url> resolve(std::string_view reference) const;

    /// The whole URL (fragment included), credential-free.
    const std::string& str() const { return text_; }
    const std::string& scheme() const { return scheme_; }  ///< lower case: http, https, file
    const std::string& host() const { return host_; }      ///< lower case; "" for file://
    unsigned port() const { return port_; }  ///< the effective port (80/443 by default); 0: file
    /// The path, percent-escapes kept, without query and fragment ("/simple/torch/").
    const std::string& path() const { return path_; }
    /// `scheme://host[:port]`, the port only when it is not the scheme's default, so origins
    /// with and without a default port compare equal. `file://` for files.
    std::string origin() const;
    /// The URL without its `#fragment`.
    std::string without_fragment() const;

    bool operator==(const Url& other) const { return text_ == other.text_; }

  private:
    Url() = default;
    static std::optional<Url> from_handle(void* handle, std::string* problem);

    std::string text_;
    std::string scheme_;
    std::string host_;
    std::string path_;
    unsigned port_ = 0;
};

/// The text with any `user:password@` removed, for messages: a Url's text when it parses,
/// else the text with its authority's userinfo masked as `***@`.
std::string redact(std::string_view text);

/// `file://` and the absolute path, percent-encoded (RFC 8089): what a local directory or file
/// is as a URL.
std::string file_url(const std::string& absolute_path);

/// Url::parse(url).origin(), or "" when `url` does not parse.
std::string origin_of(std::string_view url);

}  // namespace airlock::net
