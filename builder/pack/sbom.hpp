#pragma once
/// CycloneDX 1.5 JSON SBOM of a bundle (https://cyclonedx.org/docs/1.5/json/): one component per
/// payload file with its purl (`pkg:pypi/<name>@<version>`) and sha256. Deterministic: the
/// serial number is derived from the content and the timestamp from the manifest.

#include "core/bundle/bundle_manifest.hpp"

#include <string>

namespace airlock::pack {

/// The SBOM text for the payload files of `manifest` (those under `wheels/`).
std::string make_sbom(const bundle::BundleManifest& manifest);

/// `pkg:pypi/<name>@<version>` with the name PEP 503-normalised and percent-encoded.
std::string pypi_purl(std::string_view name, std::string_view version);

}  // namespace airlock::pack
