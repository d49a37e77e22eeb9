#include "core/archive/file_parts.hpp"
#include "core/archive/tar_reader.hpp"
#include "core/archive/tar_writer.hpp"
#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/process.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <random>

namespace airlock::archive {
namespace fs = std::filesystem;
namespace {

class ArchiveTest : public ::testing::Test {
  protected:
    fs::path write_file(const std::string& name, const std::string& bytes) {
        fs::path p = dir_ / name;
        test_support::write_file(p, bytes);
        return p;
    }

    static std::string random_bytes(std::size_t n, unsigned seed) {
        std::mt19937 rng(seed);
        std::string s(n, '\0');
        for (auto& c : s)
            c = static_cast<char>(rng());
        return s;
    }

    /// name → contents of every entry read back from `parts`.
    static std::vector<std::pair<std::string, std::string>> read_all(
        const std::vector<fs::path>& parts) {
        PartsSource files(parts);
        std::string head(4, '\0');
        head.resize(files.read(head.data(), 4));
        std::unique_ptr<ByteSource> source;
        if (is_zstd(head)) {
            source = std::make_unique<ZstdSource>(files, head);
        } else {
            source = std::make_unique<PrefixedSource>(files, head);
        }
        TarReader reader(*source);
        std::vector<std::pair<std::string, std::string>> out;
        while (auto e = reader.next()) {
            std::string data;
            for (auto block = reader.read_block(); !block.empty(); block = reader.read_block()) {
                data.append(block.data(), block.size());
            }
            EXPECT_EQ(data.size(), e->size);
            out.emplace_back(e->path, data);
        }
        return out;
    }

    test_support::TempDir temp_{"airlock-archive-test-"};
    fs::path dir_ = temp_.path();
};

std::vector<fs::path> write_archive(const fs::path& dest, std::optional<std::uint64_t> split,
                                    bool zstd, const fs::path& big, const std::string& big_bytes) {
    PartsSink files(dest, split);
    std::unique_ptr<ZstdSink> z;
    ByteSink* sink = &files;
    if (zstd) {
        z = std::make_unique<ZstdSink>(files, 3, 2);
        sink = z.get();
    }
    TarWriter tar(*sink, 1700000000);
    tar.add_bytes("airlock/manifest.toml", "hello\n");
    tar.add_file("wheels/" + std::string(120, 'x') + ".whl", big, big_bytes.size(),
                 digest::sha256_hex(big_bytes));
    tar.finish();
    return files.commit();
}

TEST_F(ArchiveTest, GnuTarReadsWhatTheWriterWrites) {
    // Short names, a name split into ustar prefix + name, one only pax can hold, and non-ASCII.
    std::vector<std::string> names = {
        "airlock/manifest.toml", std::string(60, 'p') + "/" + std::string(90, 'n') + ".whl",
        "wheels/" + std::string(120, 'x') + ".whl", "wheels/caf\xc3\xa9-1.0-py3-none-any.whl"};
    fs::path tar_path = dir_ / "t.tar";
    {
        PartsSink files(tar_path, std::nullopt);
        TarWriter tar(files, 1700000000);
        for (const auto& name : names)
            tar.add_bytes(name, "content of " + name + "\n");
        tar.finish();
        files.commit();
    }
    EXPECT_EQ(fs::file_size(tar_path) % 10240, 0u);
    auto tar = test_support::run_process(
        {"tar", "--quoting-style=literal", "-tf", tar_path.string()}, test_support::Stderr::merged);
    EXPECT_EQ(tar.exit_code, 0) << tar.output;
    const std::string& listing = tar.output;
    std::string expected;
    for (const auto& name : names)
        expected += name + "\n";
    EXPECT_EQ(listing, expected);
    auto read = read_all({tar_path});
    ASSERT_EQ(read.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(read[i].first, names[i]);
        EXPECT_EQ(read[i].second, "content of " + names[i] + "\n");
    }
}

TEST_F(ArchiveTest, RoundTripPlainSplitAndZstd) {
    std::string big = random_bytes(3'000'000, 1);
    fs::path src = write_file("big.bin", big);
    for (bool zstd : {false, true}) {
        for (std::optional<std::uint64_t> split :
             {std::optional<std::uint64_t>{}, std::optional<std::uint64_t>{1'000'000}}) {
            fs::path dest = dir_ / (std::string("out") + (zstd ? "-z" : "") + (split ? "-s" : ""));
            auto parts = write_archive(dest, split, zstd, src, big);
            if (split) {
                EXPECT_GE(parts.size(), 3u);
                EXPECT_EQ(parts[0], part_path(dest, 0));
                EXPECT_EQ(find_parts(dest), parts);
                EXPECT_EQ(find_parts(parts[1]), parts);
            } else {
                EXPECT_EQ(parts, std::vector<fs::path>{dest});
            }
            auto entries = read_all(parts);
            ASSERT_EQ(entries.size(), 2u);
            EXPECT_EQ(entries[0].first, "airlock/manifest.toml");
            EXPECT_EQ(entries[0].second, "hello\n");
            EXPECT_EQ(entries[1].first, "wheels/" + std::string(120, 'x') + ".whl");
            EXPECT_TRUE(entries[1].second == big);
        }
    }
}

TEST_F(ArchiveTest, SameInputSameBytes) {
    std::string big = random_bytes(300'000, 2);
    fs::path src = write_file("big.bin", big);
    for (bool zstd : {false, true}) {
        auto a = write_archive(dir_ / "a", std::nullopt, zstd, src, big);
        fs::last_write_time(src, fs::file_time_type::clock::now() - std::chrono::hours(5));
        auto b = write_archive(dir_ / "b", std::nullopt, zstd, src, big);
        EXPECT_EQ(digest::sha256_file(a[0]), digest::sha256_file(b[0])) << "zstd=" << zstd;
        if (!zstd) {
            // The pax header for the long name carries nothing of this process (no pid).
            std::string bytes = test_support::read_file(a[0]);
            EXPECT_NE(bytes.find("PaxHeader"), std::string::npos);
            EXPECT_EQ(bytes.find("PaxHeader." + std::to_string(::getpid())), std::string::npos);
            EXPECT_EQ(bytes.find("atime"), std::string::npos);
            EXPECT_EQ(bytes.find("ctime"), std::string::npos);
        }
    }
}

TEST_F(ArchiveTest, WrongSourceHashOrSizeLeavesNothing) {
    fs::path src = write_file("f.bin", "abc");
    {
        PartsSink files(dir_ / "out", std::nullopt);
        TarWriter tar(files, 0);
        EXPECT_THROW(tar.add_file("f", src, 3, std::string(64, '0')), Error);
        EXPECT_THROW(tar.add_file("g", src, 4), Error);
    }
    EXPECT_FALSE(fs::exists(dir_ / "out"));
    for (auto& e : fs::directory_iterator(dir_))
        EXPECT_EQ(e.path().filename(), "f.bin");
}

TEST_F(ArchiveTest, BigFileThatDiffersFromTheLockIsCaughtAndTheWriterGoesOn) {
    // Big enough to be hashed on the hasher thread (more than tar_writer.cpp's chunk_size).
    std::string big = random_bytes(1'100'000, 7);
    fs::path src = write_file("big.bin", big);
    auto message = [&](std::uint64_t size, const std::string& sha) {
        PartsSink files(dir_ / "out", std::nullopt);
        TarWriter tar(files, 0);
        try {
            tar.add_file("f", src, size, sha);
        } catch (const Error& e) {
            return std::string(e.what()) + " | " + e.hint();
        }
        return std::string("no error");
    };
    std::string sha = digest::sha256_hex(big);
    std::string wrong = message(big.size(), std::string(64, '0'));
    EXPECT_NE(wrong.find("sha256 mismatch for"), std::string::npos) << wrong;
    EXPECT_NE(wrong.find("computed " + sha), std::string::npos) << wrong;
    EXPECT_NE(wrong.find("delete it and fetch again"), std::string::npos) << wrong;
    std::string shorter = message(big.size() + 1, sha);
    EXPECT_NE(shorter.find("is 1100000 bytes long, expected 1100001"), std::string::npos)
        << shorter;
    std::string longer = message(big.size() - 1, sha);
    EXPECT_NE(longer.find("is longer than the expected 1099999 bytes"), std::string::npos)
        << longer;
    {
        // A file that failed half-way leaves no hashed bytes behind for the next one.
        PartsSink files(dir_ / "out", std::nullopt);
        TarWriter tar(files, 0);
        EXPECT_THROW(tar.add_file("short", src, big.size() + 300'000, sha), Error);
        EXPECT_NO_THROW(tar.add_file("good", src, big.size(), sha));
        EXPECT_THROW(tar.add_file("bad", src, big.size(), std::string(64, '0')), Error);
        EXPECT_NO_THROW(tar.add_file("good again", src, big.size(), sha));
    }
    // Two big files in a row through the same hasher read back whole.
    PartsSink good(dir_ / "good", std::nullopt);
    TarWriter tar(good, 0);
    tar.add_file("a", src, big.size(), sha);
    tar.add_file("b", src, big.size(), sha);
    tar.finish();
    auto entries = read_all(good.commit());
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_TRUE(entries[0].second == big && entries[1].second == big);
}

TEST_F(ArchiveTest, PartsSinkKeepsTheOrderOfSmallAndLargeWrites) {
    std::string expected;
    {
        PartsSink sink(dir_ / "s", std::uint64_t{100'003});
        for (unsigned i = 0; i < 40; ++i) {
            std::string piece = random_bytes(i % 3 == 0 ? 70'000 + i : 100 + i * 7, i);
            sink.write(piece.data(), piece.size());
            expected += piece;
        }
        sink.finish();
        auto parts = sink.commit();
        std::string got;
        for (const auto& p : parts) {
            EXPECT_LE(fs::file_size(p), 100'003u);
            got += test_support::read_file(p);
        }
        EXPECT_TRUE(got == expected);
    }
}

TEST_F(ArchiveTest, TruncatedStreamsAreErrors) {
    std::string big = random_bytes(200'000, 3);
    fs::path src = write_file("big.bin", big);
    for (bool zstd : {false, true}) {
        fs::path dest = dir_ / (zstd ? "z" : "p");
        auto parts = write_archive(dest, std::nullopt, zstd, src, big);
        fs::resize_file(parts[0], fs::file_size(parts[0]) / 2);
        EXPECT_THROW(read_all(parts), Error) << "zstd=" << zstd;
    }
}

TEST_F(ArchiveTest, TheEndOfArchiveMarkerIsTold) {
    std::string big = random_bytes(1000, 4);
    fs::path src = write_file("big.bin", big);
    auto parts = write_archive(dir_ / "m", std::nullopt, false, src, big);
    const auto size = fs::file_size(parts[0]);
    auto ends_whole = [&](std::uint64_t cut) {
        fs::resize_file(parts[0], cut);
        PartsSource files(parts);
        TarReader reader(files);
        while (auto e = reader.next()) {
            for (auto block = reader.read_block(); !block.empty(); block = reader.read_block()) {
            }
        }
        return reader.end_marker_complete();
    };
    // The writer's last entry ends 1024 bytes (the marker) before the end, less record padding.
    std::uint64_t end = 0;
    {
        PartsSource files(parts);
        TarReader reader(files);
        while (reader.next()) {
        }
        end = reader.end_offset();
    }
    ASSERT_LE(end, size);
    EXPECT_TRUE(ends_whole(end));
    EXPECT_FALSE(ends_whole(end - 512));   // one zero block
    EXPECT_FALSE(ends_whole(end - 1024));  // cut where the last entry ends
}

TEST_F(ArchiveTest, MissingMiddlePartIsNamed) {
    write_file("b.part000", "x");
    write_file("b.part002", "x");
    try {
        find_parts(dir_ / "b");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("b.part001"), std::string::npos) << e.what();
    }
    EXPECT_THROW(find_parts(dir_ / "nothing"), Error);
}

}  // namespace
}  // namespace airlock::archive
