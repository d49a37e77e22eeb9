#include "builder/index/zip_reader.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

using namespace airlock;
using namespace airlock::index;

namespace {

struct Member {
    std::string name;
    std::string data;
    bool deflate = true;
};

void put(std::string& out, std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i)
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::string raw_deflate(const std::string& data) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

/// A zip as Python's zipfile writes it; `zip64` adds ZIP64 records and extra fields (as for
/// archives over 4 GiB) with 0xFFFFFFFF in the classic fields; `comment` ends the archive.
std::string make_zip(const std::vector<Member>& members, bool zip64 = false,
                     const std::string& comment = "", const std::string& local_extra = "") {
    std::string out, directory;
    for (const auto& m : members) {
        auto stored = m.deflate ? raw_deflate(m.data) : m.data;
        auto crc = crc32(0L, reinterpret_cast<const Bytef*>(m.data.data()),
                         static_cast<uInt>(m.data.size()));
        std::uint64_t offset = out.size();
        put(out, 0x04034b50, 4);
        put(out, 20, 2);
        put(out, 0, 2);
        put(out, m.deflate ? 8 : 0, 2);
        put(out, 0, 4);
        put(out, crc, 4);
        put(out, stored.size(), 4);
        put(out, m.data.size(), 4);
        put(out, m.name.size(), 2);
        put(out, local_extra.size(), 2);
        out += m.name + local_extra + stored;
        std::string extra;
        if (zip64) {
            put(extra, 0x0001, 2);
            put(extra, 24, 2);
            put(extra, m.data.size(), 8);
            put(extra, stored.size(), 8);
            put(extra, offset, 8);
        }
        put(directory, 0x02014b50, 4);
        put(directory, 45, 2);
        put(directory, 20, 2);
        put(directory, 0, 2);
        put(directory, m.deflate ? 8 : 0, 2);
        put(directory, 0, 4);
        put(directory, crc, 4);
        put(directory, zip64 ? 0xFFFFFFFF : stored.size(), 4);
        put(directory, zip64 ? 0xFFFFFFFF : m.data.size(), 4);
        put(directory, m.name.size(), 2);
        put(directory, extra.size(), 2);
        put(directory, 0, 2);
        put(directory, 0, 2);
        put(directory, 0, 2);
        put(directory, 0, 4);
        put(directory, zip64 ? 0xFFFFFFFF : offset, 4);
        directory += m.name + extra;
    }
    std::uint64_t directory_offset = out.size();
    out += directory;
    if (zip64) {
        std::uint64_t record = out.size();
        put(out, 0x06064b50, 4);
        put(out, 44, 8);
        put(out, 45, 2);
        put(out, 45, 2);
        put(out, 0, 4);
        put(out, 0, 4);
        put(out, members.size(), 8);
        put(out, members.size(), 8);
        put(out, directory.size(), 8);
        put(out, directory_offset, 8);
        put(out, 0x07064b50, 4);
        put(out, 0, 4);
        put(out, record, 8);
        put(out, 1, 4);
    }
    put(out, 0x06054b50, 4);
    put(out, 0, 2);
    put(out, 0, 2);
    put(out, zip64 ? 0xFFFF : members.size(), 2);
    put(out, zip64 ? 0xFFFF : members.size(), 2);
    put(out, zip64 ? 0xFFFFFFFF : directory.size(), 4);
    put(out, zip64 ? 0xFFFFFFFF : directory_offset, 4);
    put(out, comment.size(), 2);
    out += comment;
    return out;
}

const std::string metadata =
    "Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1+cu124\nRequires-Dist: filelock\n";

std::vector<Member> torch_like() {
    return {{"torch/__init__.py", std::string(5000, 'x')},
            {"torch/_payload.bin", std::string(70000, 'y'), false},
            {"torch-2.5.1+cu124.dist-info/METADATA", metadata},
            {"torch-2.5.1+cu124.dist-info/WHEEL", "Wheel-Version: 1.0\n"},
            {"torch-2.5.1+cu124.dist-info/RECORD", std::string(3000, 'r')}};
}

/// Counts the reads a remote source would need.
struct CountingSource {
    std::string data;
    int reads = 0;
    RangeReader reader() {
        return [this](std::uint64_t offset, std::uint64_t length) {
            ++reads;
            return data.substr(offset, length);
        };
    }
};

}  // namespace

TEST(ZipReader, CentralDirectoryEntries) {
    auto zip = make_zip(torch_like());
    auto loc = locate_central_directory(zip, zip.size(), nullptr);
    EXPECT_EQ(loc.entries, 5u);
    auto entries = parse_central_directory(std::string_view(zip).substr(loc.offset, loc.size));
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[1].name, "torch/_payload.bin");
    EXPECT_EQ(entries[1].method, 0);
    EXPECT_EQ(entries[1].uncompressed_size, 70000u);
    EXPECT_EQ(entries[2].method, 8);
    const ZipEntry* meta =
        find_wheel_metadata(entries, "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl");
    ASSERT_NE(meta, nullptr);
    EXPECT_EQ(meta->name, "torch-2.5.1+cu124.dist-info/METADATA");
}

TEST(ZipReader, MetadataFromMemoryWithCommentAndLocalExtra) {
    auto zip = make_zip(torch_like(), false, "a zip comment", std::string(12, '\0'));
    EXPECT_EQ(read_wheel_metadata(zip, "torch-2.5.1-py3-none-any.whl"), metadata);
}

TEST(ZipReader, Zip64Records) {
    auto zip = make_zip(torch_like(), true);
    auto loc = locate_central_directory(zip, zip.size(), nullptr);
    EXPECT_EQ(loc.entries, 5u);
    EXPECT_EQ(read_wheel_metadata(zip), metadata);
}

TEST(ZipReader, RangeReadsOnlyTheTailDirectoryAndMember) {
    CountingSource source{make_zip(torch_like())};
    // A small tail: the directory and METADATA lie before it, so two more reads are needed.
    auto tail = source.data.substr(source.data.size() - 64);
    EXPECT_EQ(read_wheel_metadata(tail, source.data.size(), source.reader(),
                                  "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl"),
              metadata);
    EXPECT_EQ(source.reads, 2);
    // A tail that holds everything after the payload: no further reads.
    source.reads = 0;
    tail = source.data.substr(source.data.size() - 9000);
    EXPECT_EQ(read_wheel_metadata(tail, source.data.size(), source.reader()), metadata);
    EXPECT_EQ(source.reads, 0);
}

TEST(ZipReader, PicksTheWheelsOwnDistInfo) {
    auto members = torch_like();
    members.insert(members.begin(), {"vendored-1.0.dist-info/METADATA", "Name: vendored\n"});
    auto zip = make_zip(members);
    EXPECT_EQ(read_wheel_metadata(zip, "torch-2.5.1-cp312-cp312-win_amd64.whl"), metadata);
}

TEST(ZipReader, Errors) {
    auto message = [](const std::string& data) {
        try {
            read_wheel_metadata(data);
        } catch (const Error& e) {
            return e.chain().front();
        }
        return std::string("(no error)");
    };
    EXPECT_EQ(message("short"),
              "not a valid zip archive: shorter than an end-of-central-directory record");
    EXPECT_EQ(message(std::string(100, 'z')),
              "not a valid zip archive: no end-of-central-directory record");
    EXPECT_EQ(message(make_zip({{"pkg/__init__.py", "x"}})),
              "not a valid zip archive: the wheel has no *.dist-info/METADATA");
    auto zip = make_zip({{"a-1.dist-info/METADATA", metadata, false}});
    zip[30 + 22] ^= 1;  // corrupt one byte of the stored METADATA
    EXPECT_EQ(message(zip),
              "not a valid zip archive: `a-1.dist-info/METADATA` fails its CRC-32 check");
}
