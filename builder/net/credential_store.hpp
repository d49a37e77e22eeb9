#pragma once
/// Credentials for index servers (RFC 9110 §11 basic authentication), kept in memory and
/// attached to each request when it is made (CURLOPT_USERNAME/PASSWORD), never to a URL string
/// that could be stored, written or printed. `.netrc` entries (netrc.hpp) are added per host.

#include "builder/net/url.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace airlock::net {

class CredentialStore {
  public:
    /// Credentials for requests under `root` (an index URL or a mirror root, credential-free).
    void add(const Url& root, Credentials credentials);

    /// Credentials for every request to `host` (any scheme and port), as a `.netrc` `machine`
    /// entry gives them; an empty host is the `default` entry, for hosts without any other.
    /// The first entry for a host wins (as curl reads .netrc).
    void add_host(std::string host, Credentials credentials);

    /// The credentials for a request to `url`: those of the root on the same origin (scheme,
    /// host, port; a default port or none are the same) whose path is the longest prefix of the
    /// URL's path, else the first root on that origin (index pages under /simple/, files under
    /// /packages/, as pip does), else the host's entry, else the default entry; nullptr when
    /// none applies.
    const Credentials* find(const Url& url) const;
    const Credentials* find(std::string_view url) const;

    bool empty() const { return entries_.empty() && hosts_.empty(); }

  private:
    struct Entry {
        std::string origin;
        std::string path;
        Credentials credentials;
    };
    std::vector<Entry> entries_;
    std::vector<std::pair<std::string, Credentials>> hosts_;  ///< "" is the default entry
};

}  // namespace airlock::net
