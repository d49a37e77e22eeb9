#include "core/bundle/reader.hpp"
#include "core/base/error.hpp"
#include "core/bundle/minisign.hpp"
#include "core/bundle/writer.hpp"
#include "core/digest/sha256.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <map>

namespace airlock::bundle {
namespace fs = std::filesystem;
namespace {

using test_support::read_file;
using test_support::write_file;

TEST(BundleManifest, RoundTripsAndSorts) {
    BundleManifest m;
    m.name = "lab";
    m.version = "2026.1";
    m.sequence = 42;
    m.created = rfc3339_utc(1767225600);
    m.builder = "airlock-build 0.1.0";
    m.targets = {
        {"linux", "3.12", "manylinux_2_28_x86_64", "12.4", "==3.12.*", {Ecosystem::pip}, {}, {}},
        {"win", "3.12", "win_amd64", std::nullopt, "", {Ecosystem::pip}, {}, {}}};
    m.files = {
        {"wheels/b.whl", 3, std::string(64, 'b'), {"https://x/b.whl"}, {"win"}, "b", "1", ""},
        {"wheels/a \"q\".whl", 1, std::string(64, 'a'), {}, {}, "", "", ""}};
    std::string text = m.to_toml();
    auto back = BundleManifest::parse(text, "m.toml");
    EXPECT_EQ(back.to_toml(), text);
    EXPECT_EQ(back.created, "2026-01-01T00:00:00Z");
    ASSERT_EQ(back.files.size(), 2u);
    EXPECT_EQ(back.files[0].path, "wheels/a \"q\".whl");
    EXPECT_EQ(back.files[1].urls, std::vector<std::string>{"https://x/b.whl"});
    EXPECT_EQ(back.targets[0].cuda, "12.4");
    EXPECT_FALSE(back.targets[1].cuda);
    EXPECT_EQ(back.files_for("linux").size(), 1u);
    EXPECT_EQ(back.files_for("win").size(), 2u);
}

TEST(BundleManifest, ErrorsPointAtTheLine) {
    std::string base =
        "format = 1\n[bundle]\nname = \"x\"\nversion = \"1\"\nsequence = 1\n"
        "created = \"c\"\nsigned = true\n";
    auto message = [](const std::string& text) {
        try {
            BundleManifest::parse(text, "m.toml");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message(base + "[[file]]\npath = \"../etc/passwd\"\nsize = 1\nsha256 = \"" +
                      std::string(64, 'a') + "\"\n"),
              "m.toml:9:8: [[file]] #1: path `../etc/passwd` is not allowed: not a plain relative "
              "path (absolute, `..`, empty component, backslash, control character or too long)");
    EXPECT_EQ(message(base + "[[file]]\npath = \"a\"\nsize = 1\n"),
              "m.toml:8:1: [[file]] #1: missing `sha256`");
    EXPECT_NE(message("format = 1\n[bundle\n").find("m.toml:2:"), std::string::npos);
    EXPECT_NE(message("format = 3\n").find("format 3 is not supported"), std::string::npos);
}

TEST(SafePaths, Table) {
    for (std::string good : std::vector<std::string>{
             "a", "wheels/x-1.0-py3-none-any.whl", "conda/linux-64/x.conda",
             "wheels/caf\xc3\xa9-1.0-py3-none-any.whl", std::string(255, 'x')}) {
        EXPECT_TRUE(is_safe_relative_path(good)) << good;
    }
    for (std::string bad : std::vector<std::string>{
             "", "/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/", "a\\b", "..", ".", "a/\n",
             "a\x1b[2J", "a\x7f", "a\xff", "rtl\xe2\x80\xae", std::string(256, 'x'),
             "a/" + std::string(1100, 'x')}) {
        EXPECT_FALSE(is_safe_relative_path(bad)) << bad;
    }
}

TEST(CheckedText, NamesVersionsAndPaths) {
    auto refused = [](auto make) {
        try {
            make();
        } catch (const Error&) {
            return true;
        }
        return false;
    };
    for (std::string good : {"torch-lab", "lab_2.0", "A1"}) {
        EXPECT_FALSE(refused([&] { (void)BundleName{good}; })) << good;
        EXPECT_FALSE(refused([&] { (void)TargetName{good}; })) << good;
    }
    for (std::string bad :
         std::vector<std::string>{"", "x/../../y", "/abs", "..", ".hidden", "a b",
                                  "lab\x1b]0;x\x07", "-rf", std::string(101, 'a'), "caf\xc3\xa9"}) {
        EXPECT_TRUE(refused([&] { (void)BundleName{bad}; })) << bad;
        EXPECT_TRUE(refused([&] { (void)TargetName{bad}; })) << bad;
    }
    for (std::string good : {"", "numpy", "zope.interface", "Foo_Bar-2"})
        EXPECT_FALSE(refused([&] { (void)PackageName{good}; })) << good;
    for (std::string bad : {"/abs/dir", "a/b", "..", "-x", "x-", "n\x1b"})
        EXPECT_TRUE(refused([&] { (void)PackageName{bad}; })) << bad;
    for (std::string good : {"", "1.0", "2.5.1+cu124", "1!2.0rc1.post3.dev4", "2026.11.1"})
        EXPECT_FALSE(refused([&] { (void)VersionText{good}; })) << good;
    for (std::string bad : {"1.0/../x", "../1", "1 0", "1\n", ".1"})
        EXPECT_TRUE(refused([&] { (void)VersionText{bad}; })) << bad;
    // The message escapes what it quotes.
    try {
        (void)BundleName{"lab\x1b[31m"};
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(
            std::string(e.what()),
            "bundle name `lab\\x1b[31m` is not allowed: use 1-100 letters, digits, `.`, `_` and "
            "`-`, starting with a letter or digit");
    }
}

TEST(BundleManifest, RefusesHostileStringsAtTheirLine) {
    auto message = [](const std::string& name, const std::string& extra = "") {
        std::string text = "format = 1\n[bundle]\nname = \"" + name +
                           "\"\nversion = \"1\"\nsequence = 1\ncreated = \"c\"\nsigned = true\n" +
                           extra;
        try {
            BundleManifest::parse(text, "m.toml");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("x/../y").substr(0, 29), "m.toml:3:8: [bundle]: bundle ");
    EXPECT_NE(message("a\\u001b[2J").find("`a\\x1b[2J`"), std::string::npos);
    EXPECT_NE(message("ok", "[[file]]\npath = \"wheels/a.whl\"\nsize = 1\nsha256 = \"" +
                                std::string(64, 'a') + "\"\npackage = \"/abs/dir\"\n")
                  .find("package name `/abs/dir`"),
              std::string::npos);
    EXPECT_NE(message("ok", "[[target]]\nname = \"t\"\npython = \"3.12/..\"\nplatform = \"any\"\n")
                  .find("not a Python version"),
              std::string::npos);
}

TEST(CheckManifest, NothingIsParsedBeforeTrust) {
    // Not TOML at all: an unsigned bundle is refused for being unsigned, not for its syntax.
    try {
        check_manifest("[[[ not toml", std::nullopt, {}, AllowUnsigned::no);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("is not signed"), std::string::npos) << e.what();
    }
}

class BundleIo : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir_ / "src");
        key_ = generate_keypair();
        add("wheels/alpha-1.0-py3-none-any.whl", "ALPHA-WHEEL-CONTENT-" + std::string(5000, 'a'));
        add("wheels/beta-2.0-py3-none-any.whl", "BETA-WHEEL-CONTENT");
        add("airlock/requirements.t1.txt", "alpha==1.0 --hash=sha256:...\n", true);
        manifest_.name = "lab";
        manifest_.version = "1.0";
        manifest_.sequence = 7;
        manifest_.created = rfc3339_utc(0);
        manifest_.builder = "test";
        manifest_.targets = {
            {"t1", "3.12", "manylinux_2_17_x86_64", std::nullopt, "", {Ecosystem::pip}, {}, {}}};
    }
    void add(const std::string& path, const std::string& bytes, bool in_memory = false) {
        EntrySource s;
        s.path = path;
        if (in_memory) {
            s.bytes = bytes;
        } else {
            s.file = dir_ / "src" / fs::path(path).filename();
            write_file(s.file, bytes);
        }
        sources_.push_back(s);
        manifest_.files.push_back(
            {path, bytes.size(), digest::sha256_hex(bytes), {}, {}, "", "", ""});
    }

    WrittenBundle write(const std::string& name, bool sign = true, WriteOptions o = {}) {
        o.output = dir_ / name;
        return write_bundle_archive(manifest_, sources_, sign ? &key_.secret : nullptr, o);
    }

    VerifyReport read(const fs::path& p, std::optional<fs::path> to = std::nullopt,
                      AllowUnsigned allow = AllowUnsigned::no) {
        if (to)
            fs::create_directories(*to);
        return read_bundle(bundle_parts(p), {key_.public_key}, to, allow);
    }

    std::string error_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.what();
        }
        return "no error";
    }

    test_support::TempDir temp_{"airlock-bundle-test-"};
    fs::path dir_ = temp_.path();
    KeyPair key_;
    BundleManifest manifest_;
    std::vector<EntrySource> sources_;
};

TEST_F(BundleIo, WritesReadsAndExtracts) {
    auto written = write("b.tar");
    ASSERT_EQ(written.files.size(), 1u);
    auto report = read(dir_ / "b.tar", dir_ / "out");
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].message());
    EXPECT_EQ(report.key_id, key_.public_key.id);
    EXPECT_EQ(report.manifest.name, "lab");
    EXPECT_EQ(read_file(dir_ / "out/wheels/beta-2.0-py3-none-any.whl"), "BETA-WHEEL-CONTENT");
    EXPECT_EQ(read_file(dir_ / "out/airlock/manifest.toml"), written.manifest_text);
    EXPECT_TRUE(fs::exists(dir_ / "out/airlock/manifest.toml.minisig"));
    // Verify mode writes nothing.
    auto verify_only = read(dir_ / "b.tar");
    EXPECT_TRUE(verify_only.ok());
    EXPECT_GT(verify_only.bytes_checked, 5000u);
    // Only the manifest (for `list`).
    auto head = read_manifest(bundle_parts(dir_ / "b.tar"), {key_.public_key}, AllowUnsigned::no);
    EXPECT_EQ(head.manifest.sequence, 7u);
}

TEST_F(BundleIo, SplitAndZstdReadAsOneStream) {
    WriteOptions o;
    o.compression = Compression::zstd;
    o.split_size = 700;
    auto written = write("b.tar.zst", true, o);
    EXPECT_GE(written.files.size(), 2u);
    EXPECT_TRUE(read(written.files[1]).ok());
    o.compression = Compression::none;
    written = write("p.tar", true, o);
    EXPECT_GT(written.files.size(), 5u);
    EXPECT_TRUE(read(dir_ / "p.tar", dir_ / "out").ok());
}

TEST_F(BundleIo, FlippedWheelByteIsWrongHash) {
    write("b.tar");
    std::string bytes = read_file(dir_ / "b.tar");
    auto at = bytes.find("BETA-WHEEL");
    ASSERT_NE(at, std::string::npos);
    bytes[at] = 'X';
    write_file(dir_ / "b.tar", bytes);
    auto report = read(dir_ / "b.tar", dir_ / "out");
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0].kind, Problem::Kind::wrong_hash);
    EXPECT_EQ(report.problems[0].path, "wheels/beta-2.0-py3-none-any.whl");
    EXPECT_FALSE(fs::exists(dir_ / "out/wheels/beta-2.0-py3-none-any.whl"));
    EXPECT_NE(error_of([&] { report.throw_if_problems(); }).find("wrong sha256: expected"),
              std::string::npos);
}

TEST_F(BundleIo, FlippedManifestOrSignatureByteIsRefused) {
    write("b.tar");
    std::string good = read_file(dir_ / "b.tar");
    std::string bytes = good;
    bytes[bytes.find("sequence = 7")] = 'S';
    write_file(dir_ / "b.tar", bytes);
    EXPECT_NE(error_of([&] { read(dir_ / "b.tar"); }).find("does not match"), std::string::npos);

    bytes = good;
    auto line = bytes.find('\n', bytes.find("untrusted comment: airlock bundle")) + 20;
    bytes[line] = bytes[line] == 'A' ? 'B' : 'A';
    write_file(dir_ / "b.tar", bytes);
    EXPECT_NE(error_of([&] { read(dir_ / "b.tar", dir_ / "out"); }), "no error");
    EXPECT_FALSE(fs::exists(dir_ / "out/wheels"));
}

TEST_F(BundleIo, WrongKeyAndUnsigned) {
    write("b.tar");
    auto other = generate_keypair();
    auto msg = error_of([&] {
        read_bundle(bundle_parts(dir_ / "b.tar"), {other.public_key}, std::nullopt,
                    AllowUnsigned::yes);
    });
    EXPECT_NE(msg.find(to_string(key_.public_key.id)), std::string::npos) << msg;
    EXPECT_NE(msg.find(to_string(other.public_key.id)), std::string::npos) << msg;

    write("u.tar", false);
    EXPECT_NE(error_of([&] { read(dir_ / "u.tar"); }).find("is not signed"), std::string::npos);
    auto report = read(dir_ / "u.tar", std::nullopt, AllowUnsigned::yes);
    EXPECT_TRUE(report.ok());
    EXPECT_FALSE(report.key_id);
}

TEST_F(BundleIo, TruncatedIsCaught) {
    write("b.tar");
    for (auto size : {std::uintmax_t{1000}, std::uintmax_t{3000}, std::uintmax_t{5120}}) {
        fs::path p = dir_ / ("t" + std::to_string(size) + ".tar");
        fs::copy_file(dir_ / "b.tar", p);
        fs::resize_file(p, size);
        // Cut inside the signature: a thrown Error; inside a wheel: a `damaged` problem.
        std::string error = error_of([&] {
            auto report = read(p);
            EXPECT_FALSE(report.ok()) << size;
            EXPECT_EQ(report.problems.at(0).kind, Problem::Kind::damaged);
            EXPECT_NE(report.problems.at(0).message().find("truncated"), std::string::npos);
        });
        if (error != "no error") {
            EXPECT_NE(error.find("truncated"), std::string::npos) << error;
        }
    }
}

/// A hand-made archive: the good manifest and signature, then whatever `add` puts in.
fs::path evil_archive(const fs::path& good, const fs::path& out,
                      const std::function<void(struct archive*)>& add) {
    struct archive* r = archive_read_new();
    archive_read_support_format_tar(r);
    EXPECT_EQ(archive_read_open_filename(r, good.c_str(), 10240), ARCHIVE_OK);
    struct archive* w = archive_write_new();
    archive_write_set_format_pax_restricted(w);
    archive_write_open_filename(w, out.c_str());
    archive_entry* e;
    while (archive_read_next_header(r, &e) == ARCHIVE_OK) {
        archive_write_header(w, e);
        char buf[8192];
        la_ssize_t n;
        while ((n = archive_read_data(r, buf, sizeof buf)) > 0)
            archive_write_data(w, buf, n);
    }
    add(w);
    archive_read_free(r);
    archive_write_free(w);
    return out;
}

void add_entry(struct archive* w, const char* path, int type, const char* data = "",
               const char* link = nullptr) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, 0644);
    if (link)
        archive_entry_set_symlink(e, link);
    archive_entry_set_size(e, type == AE_IFREG ? static_cast<la_int64_t>(std::strlen(data)) : 0);
    archive_write_header(w, e);
    if (type == AE_IFREG)
        archive_write_data(w, data, std::strlen(data));
    archive_entry_free(e);
}

TEST_F(BundleIo, UnsafeAndExtraEntriesAreRefusedAndNeverWritten) {
    write("b.tar");
    auto p = evil_archive(dir_ / "b.tar", dir_ / "evil.tar", [](struct archive* w) {
        add_entry(w, "../escape.txt", AE_IFREG, "x");
        add_entry(w, "/tmp/airlock-abs-escape.txt", AE_IFREG, "x");
        add_entry(w, "wheels/link", AE_IFLNK, "", "/etc/passwd");
        add_entry(w, "extra.txt", AE_IFREG, "extra");
        add_entry(w, "wheels/beta-2.0-py3-none-any.whl", AE_IFREG, "dup");
    });
    fs::create_directories(dir_ / "dest/inner");
    auto report = read(p, dir_ / "dest/inner");
    std::map<Problem::Kind, std::string> kinds;
    for (const auto& pr : report.problems)
        kinds[pr.kind] = pr.path;
    EXPECT_EQ(kinds[Problem::Kind::unsafe_path], "/tmp/airlock-abs-escape.txt");
    EXPECT_EQ(kinds[Problem::Kind::unsafe_type], "wheels/link");
    EXPECT_EQ(kinds[Problem::Kind::extra], "extra.txt");
    EXPECT_EQ(kinds[Problem::Kind::duplicate], "wheels/beta-2.0-py3-none-any.whl");
    EXPECT_EQ(report.problems.size(), 5u);
    EXPECT_FALSE(fs::exists(dir_ / "dest/escape.txt"));
    EXPECT_FALSE(fs::exists("/tmp/airlock-abs-escape.txt"));
    EXPECT_FALSE(fs::exists(dir_ / "dest/inner/extra.txt"));
    EXPECT_FALSE(fs::is_symlink(dir_ / "dest/inner/wheels/link"));
    EXPECT_EQ(read_file(dir_ / "dest/inner/wheels/beta-2.0-py3-none-any.whl"),
              "BETA-WHEEL-CONTENT");
}

TEST_F(BundleIo, WriterRefusesSourcesThatDifferFromTheManifest) {
    write_file(dir_ / "src/beta-2.0-py3-none-any.whl", "BETA-WHEEL-CONTENT-CHANGED");
    EXPECT_NE(error_of([&] { write("b.tar"); }), "no error");
    EXPECT_FALSE(fs::exists(dir_ / "b.tar"));
    for (auto& e : fs::directory_iterator(dir_))
        EXPECT_EQ(e.path().filename(), "src");
}

}  // namespace
}  // namespace airlock::bundle
