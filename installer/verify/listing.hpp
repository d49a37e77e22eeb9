#pragma once
/// The text `airlock-install list` prints: the bundle's identity, who signed it, its targets and
/// the packages each target installs.

#include "core/bundle/bundle_manifest.hpp"

#include <string>

namespace airlock::verify {

/// `signer` is already phrased: "key 1A2B… (verified)", "key 1A2B… (NOT verified: …)", "unsigned".
std::string render_listing(const bundle::BundleManifest& manifest, const std::string& signer);

}  // namespace airlock::verify
