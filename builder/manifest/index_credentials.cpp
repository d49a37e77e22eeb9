#include "builder/manifest/index_credentials.hpp"

namespace airlock::manifest {

net::CredentialStore credential_store(const std::vector<IndexSpec>& indexes) {
    net::CredentialStore store;
    for (const auto& index : indexes) {
        for (const auto& entry : index.credentials)
            store.add(net::Url::parse(entry.root), entry.credentials);
    }
    return store;
}

net::CredentialStore credential_store(const Manifest& manifest) {
    auto store = credential_store(manifest.indexes);
    if (manifest.conda) {
        for (const auto& entry : manifest.conda->credentials)
            store.add(net::Url::parse(entry.root), entry.credentials);
    }
    return store;
}

}  // namespace airlock::manifest
