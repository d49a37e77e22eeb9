#pragma once
/// `list --json` and `verify --json`: what the text listings say, as one JSON object on stdout for
/// scripts. Strings from the bundle are escaped by the JSON encoder (invalid UTF-8 replaced).

#include "core/bundle/reader.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace airlock::verify {

/// The bundle's name, version, sequence, signer and targets with their packages.
/// `key`: the signing key's id ("" when unsigned); `verified`: whether a trusted key checked it.
nlohmann::json listing_json(const bundle::BundleManifest& manifest, const std::string& key,
                            bool verified);

/// `ok`, the bundle, and every problem as {"kind", "path", "detail", "message"}.
nlohmann::json verify_json(const bundle::VerifyReport& report, const std::string& key);

/// The snake_case name of a problem kind ("wrong_hash").
std::string kind_name(bundle::Problem::Kind kind);

/// Two-space indented, invalid UTF-8 replaced, a final newline.
std::string dump_json(const nlohmann::json& value);

}  // namespace airlock::verify
