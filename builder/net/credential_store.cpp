#include "builder/net/credential_store.hpp"

namespace airlock::net {

void CredentialStore::add(const Url& root, Credentials credentials) {
    auto path = root.path();
    if (!path.ends_with('/'))
        path += '/';
    entries_.push_back({root.origin(), std::move(path), std::move(credentials)});
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
    return chosen ? &chosen->credentials : nullptr;
}

const Credentials* CredentialStore::find(std::string_view url) const {
    if (entries_.empty())
        return nullptr;
    auto parsed = Url::try_parse(url);
    return parsed ? find(*parsed) : nullptr;
}

}  // namespace airlock::net
