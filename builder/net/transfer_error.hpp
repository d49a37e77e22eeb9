#pragma once
/// What a failed libcurl transfer means, in words that name the cause (a stall, a redirect
/// loop, a refused redirect, an oversized header) and whether asking again can help.

#include <string>

namespace airlock::net {

struct TransferError {
    std::string message;  ///< credential-free
    bool retryable = false;
    bool connect_failed = false;  ///< refused, unreachable, connect timeout
    bool tls_failed = false;      ///< the certificate was not accepted
};

/// `easy` is the CURL* that failed with `code` (a CURLcode) and error buffer `errbuf`; `url`
/// the URL asked; `header_overflow` whether the engine stopped it for oversized headers.
TransferError describe_transfer_error(void* easy, int code, const char* errbuf,
                                      const std::string& url, bool header_overflow);

}  // namespace airlock::net
