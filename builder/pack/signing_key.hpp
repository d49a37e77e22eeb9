#pragma once
/// Getting at the builder's minisign secret key: passwords from AIRLOCK_KEY_PASSWORD or the
/// terminal (echo off, never from a pipe).

#include "core/bundle/secret_key.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace airlock::pack {

enum class Confirm { yes, no };

/// The environment variable that supplies key passwords to unattended builds.
inline constexpr const char* password_env = "AIRLOCK_KEY_PASSWORD";

/// AIRLOCK_KEY_PASSWORD when set; otherwise asks on the terminal with echo off (twice, and
/// compares, with Confirm::yes). Throws Error when there is no terminal to ask on.
std::string obtain_password(const std::string& prompt, Confirm confirm);

/// Loads a secret key file, asking for its password (as obtain_password does) when it has one.
bundle::SecretKey load_signing_key(const std::filesystem::path& path);

}  // namespace airlock::pack
