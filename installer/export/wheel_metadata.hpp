#pragma once
/// A wheel's core metadata, read from `<name>-<version>.dist-info/METADATA` inside the wheel's
/// zip archive (PEP 427) without unpacking it.

#include "core/wheel/metadata.hpp"

#include <filesystem>

namespace airlock::exporter {

/// Throws Error naming the wheel when it is not a readable zip, has no (or more than one)
/// top-level `.dist-info/METADATA`, or the metadata lacks Name/Version.
wheel::CoreMetadata read_wheel_metadata(const std::filesystem::path& wheel);

}  // namespace airlock::exporter
