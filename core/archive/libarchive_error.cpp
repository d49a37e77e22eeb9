#include "core/archive/libarchive_error.hpp"

#include "core/base/error.hpp"

#include <archive.h>

namespace airlock::archive {

void throw_libarchive_error(struct ::archive* a, const std::string& what,
                            const std::exception_ptr& io_error) {
    if (io_error)
        std::rethrow_exception(io_error);
    const char* msg = archive_error_string(a);
    throw Error(what + ": " + (msg != nullptr ? msg : "libarchive error"));
}

}  // namespace airlock::archive
