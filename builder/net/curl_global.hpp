#pragma once
/// libcurl's process-wide initialisation and URL helpers shared by every transfer.

#include <string>
#include <string_view>

namespace airlock::net {

/// Calls curl_global_init exactly once (thread-safe); every module that makes a handle calls it.
void ensure_curl_global_init();

/// The URL with any `user:password@` removed, for messages and logs: credentials never print.
std::string redact(std::string_view url);

/// The "scheme://host:port" part of a URL, used to group connections per host.
std::string origin_of(std::string_view url);

}  // namespace airlock::net
