#include "builder/index/zip_reader.hpp"

#include "core/base/error.hpp"
#include "core/pep503/name.hpp"
#include "core/wheel/filename.hpp"

#include <zlib.h>

#include <algorithm>

namespace airlock::index {
namespace {

constexpr std::uint32_t eocd_signature = 0x06054b50;
constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
constexpr std::uint32_t zip64_eocd_signature = 0x06064b50;
constexpr std::uint32_t central_signature = 0x02014b50;
constexpr std::uint32_t local_signature = 0x04034b50;

std::uint64_t le(std::string_view bytes, std::size_t at, int width) {
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    }
    return value;
}

Error corrupt(const std::string& what) {
    return Error("not a valid zip archive: " + what, Exit::user);
}

}  // namespace

ZipDirectoryLocation locate_central_directory(std::string_view tail, std::uint64_t file_size,
                                              const RangeReader& read) {
    if (tail.size() < 22)
        throw corrupt("shorter than an end-of-central-directory record");
    const std::uint64_t tail_start = file_size - tail.size();
    std::size_t at = tail.size() - 22;
    while (true) {
        if (le(tail, at, 4) == eocd_signature && at + 22 + le(tail, at + 20, 2) <= tail.size())
            break;
        if (at == 0)
            throw corrupt("no end-of-central-directory record");
        --at;
    }
    ZipDirectoryLocation loc;
    loc.entries = le(tail, at + 10, 2);
    loc.size = le(tail, at + 12, 4);
    loc.offset = le(tail, at + 16, 4);
    bool has_locator = at >= 20 && le(tail, at - 20, 4) == zip64_locator_signature;
    if (has_locator) {
        std::uint64_t record_offset = le(tail, at - 20 + 8, 8);
        std::string fetched;
        std::string_view record;
        if (record_offset >= tail_start && record_offset - tail_start + 56 <= tail.size()) {
            record = tail.substr(record_offset - tail_start, 56);
        } else {
            fetched = read(record_offset, 56);
            record = fetched;
        }
        if (record.size() < 56 || le(record, 0, 4) != zip64_eocd_signature) {
            throw corrupt("the ZIP64 end-of-central-directory record is missing");
        }
        loc.entries = le(record, 32, 8);
        loc.size = le(record, 40, 8);
        loc.offset = le(record, 48, 8);
    }
    if (loc.offset + loc.size > file_size)
        throw corrupt("the central directory lies past the end");
    return loc;
}

std::vector<ZipEntry> parse_central_directory(std::string_view directory) {
    std::vector<ZipEntry> entries;
    std::size_t at = 0;
    while (at + 46 <= directory.size() && le(directory, at, 4) == central_signature) {
        ZipEntry e;
        e.method = static_cast<std::uint16_t>(le(directory, at + 10, 2));
        e.crc32 = static_cast<std::uint32_t>(le(directory, at + 16, 4));
        e.compressed_size = le(directory, at + 20, 4);
        e.uncompressed_size = le(directory, at + 24, 4);
        std::size_t name_length = le(directory, at + 28, 2);
        std::size_t extra_length = le(directory, at + 30, 2);
        std::size_t comment_length = le(directory, at + 32, 2);
        e.local_header_offset = le(directory, at + 42, 4);
        if (at + 46 + name_length + extra_length + comment_length > directory.size()) {
            throw corrupt("a central directory header is cut short");
        }
        e.name = std::string(directory.substr(at + 46, name_length));
        // ZIP64 extended information: only the fields that overflowed, in this order.
        std::string_view extra = directory.substr(at + 46 + name_length, extra_length);
        for (std::size_t x = 0; x + 4 <= extra.size();) {
            auto id = le(extra, x, 2);
            std::size_t size = le(extra, x + 2, 2);
            if (id == 0x0001) {
                std::size_t p = x + 4;
                auto take = [&](std::uint64_t& field) {
                    if (field == 0xFFFFFFFF && p + 8 <= x + 4 + size && p + 8 <= extra.size()) {
                        field = le(extra, p, 8);
                        p += 8;
                    }
                };
                take(e.uncompressed_size);
                take(e.compressed_size);
                take(e.local_header_offset);
            }
            x += 4 + size;
        }
        entries.push_back(std::move(e));
        at += 46 + name_length + extra_length + comment_length;
    }
    return entries;
}

std::uint64_t local_header_size(std::string_view header30) {
    if (header30.size() < 30 || le(header30, 0, 4) != local_signature) {
        throw corrupt("a local file header is missing");
    }
    return 30 + le(header30, 26, 2) + le(header30, 28, 2);
}

std::string extract_member(const ZipEntry& entry, std::string_view data) {
    if (data.size() < entry.compressed_size)
        throw corrupt(quote(entry.name) + " is cut short");
    data = data.substr(0, entry.compressed_size);
    std::string out;
    if (entry.method == 0) {
        out = std::string(data);
    } else if (entry.method == 8) {
        out.resize(entry.uncompressed_size);
        z_stream z{};
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
            throw Error("zlib could not start", Exit::internal);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        z.avail_in = static_cast<uInt>(data.size());
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        int rc = inflate(&z, Z_FINISH);
        auto produced = z.total_out;
        inflateEnd(&z);
        if (rc != Z_STREAM_END || produced != entry.uncompressed_size) {
            throw corrupt(quote(entry.name) + " does not inflate to its recorded size");
        }
    } else {
        throw corrupt(quote(entry.name) + " uses compression method " +
                      std::to_string(entry.method) + " (only stored and deflate are supported)");
    }
    if (out.size() != entry.uncompressed_size)
        throw corrupt(quote(entry.name) + " has the wrong size");
    auto crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
    if (crc != entry.crc32)
        throw corrupt(quote(entry.name) + " fails its CRC-32 check");
    return out;
}

const ZipEntry* find_wheel_metadata(const std::vector<ZipEntry>& entries,
                                    std::string_view wheel_filename) {
    std::string expected;
    if (auto parsed = wheel::WheelFilename::try_parse(wheel_filename)) {
        expected = parsed->normalized_name;
    }
    const ZipEntry* first = nullptr;
    for (const auto& entry : entries) {
        const std::string_view name = entry.name;
        auto slash = name.find('/');
        if (slash == std::string_view::npos || name.substr(slash) != "/METADATA")
            continue;
        auto dir = name.substr(0, slash);
        if (!dir.ends_with(".dist-info"))
            continue;
        auto project = dir.substr(0, dir.find('-'));
        if (!expected.empty() && pep503::normalize(project) == expected)
            return &entry;
        if (!first)
            first = &entry;
    }
    return first;
}

std::string read_wheel_metadata(std::string_view tail, std::uint64_t file_size,
                                const RangeReader& read, std::string_view wheel_filename) {
    const std::uint64_t tail_start = file_size - tail.size();
    // The bytes [offset, offset+length) from `tail` when there, else from a range read.
    auto bytes = [&](std::uint64_t offset, std::uint64_t length) -> std::string {
        if (offset >= tail_start && offset + length <= file_size) {
            return std::string(tail.substr(offset - tail_start, length));
        }
        return read(offset, length);
    };
    auto loc = locate_central_directory(tail, file_size, read);
    auto directory = bytes(loc.offset, loc.size);
    auto entries = parse_central_directory(directory);
    const ZipEntry* entry = find_wheel_metadata(entries, wheel_filename);
    if (!entry)
        throw corrupt("the wheel has no *.dist-info/METADATA");
    // One read for header + data, guessing the local extra field is no longer than 1 KiB.
    std::uint64_t guess =
        std::min<std::uint64_t>(30 + entry->name.size() + 1024 + entry->compressed_size,
                                file_size - entry->local_header_offset);
    auto chunk = bytes(entry->local_header_offset, guess);
    auto header = local_header_size(chunk);
    if (header + entry->compressed_size > chunk.size()) {
        chunk += bytes(entry->local_header_offset + chunk.size(),
                       header + entry->compressed_size - chunk.size());
    }
    return extract_member(*entry, std::string_view(chunk).substr(header));
}

std::string read_wheel_metadata(std::string_view wheel, std::string_view wheel_filename) {
    auto whole = [&](std::uint64_t offset, std::uint64_t length) {
        if (offset > wheel.size())
            return std::string();
        return std::string(wheel.substr(offset, length));
    };
    return read_wheel_metadata(wheel, wheel.size(), whole, wheel_filename);
}

}  // namespace airlock::index
