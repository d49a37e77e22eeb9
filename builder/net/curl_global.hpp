#pragma once
/// libcurl's process-wide initialisation, shared by every transfer.

namespace airlock::net {

/// Calls curl_global_init exactly once (thread-safe); every module that makes a handle calls it.
void ensure_curl_global_init();

}  // namespace airlock::net
