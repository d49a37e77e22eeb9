#pragma once
/// How the tar reader and writer turn a libarchive failure into an Error: an exception raised by
/// our own byte source or sink (the real cause, e.g. a disk error) wins over libarchive's text.

#include <exception>
#include <string>

struct archive;

namespace airlock::archive {

[[noreturn]] void throw_libarchive_error(struct ::archive* a, const std::string& what,
                                         const std::exception_ptr& io_error);

}  // namespace airlock::archive
