#pragma once
/// The keys the installer trusts (minisign public keys): given one by one with --key, or every
/// `*.pub` in a trust directory such as /etc/airlock/trusted.d.

#include "core/bundle/public_key.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::verify {

inline constexpr const char* default_trust_dir = "/etc/airlock/trusted.d";

/// Loads every key in `keys` and every `*.pub` in `trust_dir` (sorted by name). Without either,
/// uses default_trust_dir when it exists. Throws Error naming the file for an unreadable key,
/// and when no key at all is found (saying how to give one).
bundle::TrustedKeys load_trusted_keys(const std::vector<std::filesystem::path>& keys,
                                      const std::optional<std::filesystem::path>& trust_dir);

/// "1A2B3C4D5E6F7A8B (from keys/release.pub)" for messages; the id alone when unknown.
std::string describe_key(const bundle::KeyId& id, const bundle::TrustedKeys& trusted);

}  // namespace airlock::verify
