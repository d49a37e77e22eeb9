#pragma once
/// `.netrc` (the format of BSD ftp(1), as curl and pip read it): `machine HOST login USER
/// password SECRET` entries and a `default` entry, tokens separated by any white space.
/// The file is `$NETRC`, else `~/.netrc`; its passwords stay in memory (credential_store.hpp).

#include "builder/net/credential_store.hpp"
#include "builder/net/url.hpp"
#include "core/base/source_excerpt.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::net {

struct NetrcEntry {
    std::string machine;  ///< lower-case host name; empty for the `default` entry
    Credentials credentials;
    SourceLocation where;  ///< the `machine` (or `default`) token
};

/// Parses netrc text; `path` is used in messages. `account` is skipped, `macdef` bodies (up to
/// an empty line) are skipped. Throws Error (file:line:col) on `login`/`password` outside an
/// entry, a keyword without its value, or an unknown token.
std::vector<NetrcEntry> parse_netrc(std::string_view text, const std::filesystem::path& path);

/// `$NETRC` when set, else `$HOME/.netrc`; nullopt when neither can be formed.
std::optional<std::filesystem::path> netrc_path(
    const std::function<std::optional<std::string>(std::string_view)>& env);

/// The entries of netrc_path(env); none when the file does not exist (as curl and pip do).
std::vector<NetrcEntry> read_netrc(
    const std::function<std::optional<std::string>(std::string_view)>& env);

/// Adds each entry to `store` for its host (`default`: for every other host).
void add_netrc(CredentialStore& store, const std::vector<NetrcEntry>& entries);

/// read_netrc of the process environment.
std::vector<NetrcEntry> read_process_netrc();

}  // namespace airlock::net
