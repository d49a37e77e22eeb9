#pragma once
/// Reads single members of a ZIP archive (APPNOTE 6.3: end of central directory, ZIP64, central
/// directory, local headers; stored and deflated) through a byte-range source, so a remote wheel's
/// METADATA costs three small range reads instead of the whole file.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::index {

struct ZipEntry {
    std::string name;
    std::uint16_t method = 0;  ///< 0 stored, 8 deflated
    std::uint32_t crc32 = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t uncompressed_size = 0;
    std::uint64_t local_header_offset = 0;
};

/// Where the central directory is, from the end-of-central-directory record (ZIP64 aware).
struct ZipDirectoryLocation {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint64_t entries = 0;
};

/// Reads `length` bytes at `offset` of the archive; may return fewer only at the end of file.
using RangeReader = std::function<std::string(std::uint64_t offset, std::uint64_t length)>;

/// Finds the EOCD in `tail`, the last bytes of a `file_size`-byte archive; `read` fetches the
/// ZIP64 record when it lies before `tail`. Throws airlock::Error when this is not a zip.
ZipDirectoryLocation locate_central_directory(std::string_view tail, std::uint64_t file_size,
                                              const RangeReader& read);

/// Parses the central directory headers in `directory`.
std::vector<ZipEntry> parse_central_directory(std::string_view directory);

/// The length of the local header (30 + name + extra) given its first 30 bytes.
std::uint64_t local_header_size(std::string_view header30);

/// Inflates (or copies) a member's data and checks its size and CRC-32.
std::string extract_member(const ZipEntry& entry, std::string_view data);

/// The `<name>.dist-info/METADATA` entry of a wheel (the one at the top level); nullptr if none.
const ZipEntry* find_wheel_metadata(const std::vector<ZipEntry>& entries,
                                    std::string_view wheel_filename = {});

/// METADATA of a wheel seen through range reads: `tail` is its last bytes (one suffix request),
/// then the central directory (when not inside `tail`) and the METADATA member are read.
std::string read_wheel_metadata(std::string_view tail, std::uint64_t file_size,
                                const RangeReader& read, std::string_view wheel_filename = {});

/// METADATA of an in-memory wheel.
std::string read_wheel_metadata(std::string_view wheel, std::string_view wheel_filename = {});

}  // namespace airlock::index
