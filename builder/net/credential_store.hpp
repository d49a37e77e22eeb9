#pragma once
/// Credentials for index servers (RFC 9110 §11 basic authentication), kept in memory and
/// attached to each request when it is made (CURLOPT_USERNAME/PASSWORD), never to a URL string
/// that could be stored, written or printed. ~/.netrc ($NETRC) is read by libcurl per request
/// for servers without an entry here.

#include "builder/net/url.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace airlock::net {

class CredentialStore {
  public:
    /// Credentials for requests under `root` (an index URL or a mirror root, credential-free).
    void add(const Url& root, Credentials credentials);

    /// The credentials for a request to `url`: those of the root on the same origin (scheme,
    /// host, port; a default port or none are the same) whose path is the longest prefix of the
    /// URL's path, else the first root on that origin (index pages under /simple/, files under
    /// /packages/, as pip does); nullptr when no root shares the origin.
    const Credentials* find(const Url& url) const;
    const Credentials* find(std::string_view url) const;

    bool empty() const { return entries_.empty(); }

  private:
    struct Entry {
        std::string origin;
        std::string path;
        Credentials credentials;
    };
    std::vector<Entry> entries_;
};

}  // namespace airlock::net
