#pragma once
/// The bundle manifest read WITHOUT checking its signature, for `list` when no key is given: the
/// output says so. Everything that installs or exports goes through core/bundle's verified reader.

#include "core/bundle/bundle_manifest.hpp"
#include "core/bundle/public_key.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace airlock::verify {

struct PeekedManifest {
    bundle::BundleManifest manifest;
    std::optional<bundle::KeyId> claimed_key;  ///< the key id the signature names (unchecked)
};

PeekedManifest peek_manifest(const std::vector<std::filesystem::path>& parts);

}  // namespace airlock::verify
