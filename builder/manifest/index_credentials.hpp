#pragma once
/// The credentials the manifest's [[index]] URLs carried, as one in-memory store for requests.

#include "builder/manifest/manifest.hpp"
#include "builder/net/credential_store.hpp"

#include <vector>

namespace airlock::manifest {

/// Every index's and mirror's credentials, each scoped to the root it was written on.
net::CredentialStore credential_store(const std::vector<IndexSpec>& indexes);

/// The indexes' and the [conda] channels' credentials.
net::CredentialStore credential_store(const Manifest& manifest);

}  // namespace airlock::manifest
