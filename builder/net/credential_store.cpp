#include "builder/net/credential_store.hpp"

namespace airlock::net {

void CredentialStore::add(const Url& root, Credentials credentials) {
    auto path = root.path();
    if (!path.ends_with('/'))
        path += '/';
    entries_.push_back({root.origin(), std::move(path), std::move(credentials)});
}

void CredentialStore::add_host(std::string host, Credentials credentials) {
    for (const auto& [known, _] : hosts_)
        if (known == host)
            return;
    hosts_.emplace_back(std::move(host), std::move(credentials));
}

const Credentials* CredentialStore::find(const Url& url) const {
    const Entry* best = nullptr;
    const Entry* first = nullptr;
    const auto origin = url.origin();
    auto path = url.path();
    if (!path.ends_with('/'))
        path += '/';
    for (const auto& entry : entries_) {
        if (entry.origin != origin)
            continue;
        if (!first)
            first = &entry;
        if (path.starts_with(entry.path) && (!best || entry.path.size() > best->path.size()))
            best = &entry;
    }
    const Entry* chosen = best ? best : first;
    if (chosen)
        return &chosen->credentials;
    if (url.scheme() == "file")
        return nullptr;
    const Credentials* fallback = nullptr;
    for (const auto& [host, credentials] : hosts_) {
        if (host == url.host())
            return &credentials;
        if (host.empty() && !fallback)
            fallback = &credentials;
    }
    return fallback;
}

const Credentials* CredentialStore::find(std::string_view url) const {
    if (empty())
        return nullptr;
    auto parsed = Url::try_parse(url);
    return parsed ? find(*parsed) : nullptr;
}

}  // namespace airlock::net
