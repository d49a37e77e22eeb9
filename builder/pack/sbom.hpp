#pragma once
/// CycloneDX 1.5 JSON SBOM of a bundle (https://cyclonedx.org/docs/1.5/json/): one component per
/// payload file with its purl (`pkg:pypi/<name>@<version>`, or for conda packages
/// `pkg:conda/<name>@<version>?build=…&channel=…&subdir=…&type=conda|tar.bz2`) and sha256.
/// Deterministic: the serial number is derived from the content and the timestamp from the
/// manifest.

#include "core/bundle/bundle_manifest.hpp"

#include "core/conda/package_record.hpp"

#include <map>
#include <string>

namespace airlock::pack {

/// The SBOM text for the payload files of `manifest`: those under `wheels/`, and the conda
/// packages of `conda` (bundle path → record).
std::string make_sbom(const bundle::BundleManifest& manifest,
                      const std::map<std::string, const conda::PackageRecord*>& conda = {});

/// `pkg:conda/<name>@<version>?build=…&channel=…&subdir=…&type=…` (qualifiers sorted and
/// percent-encoded, as the purl spec asks); the channel without credentials.
std::string conda_purl(const conda::PackageRecord& record);

/// `pkg:pypi/<name>@<version>` with the name PEP 503-normalised and percent-encoded.
std::string pypi_purl(std::string_view name, std::string_view version);

}  // namespace airlock::pack
