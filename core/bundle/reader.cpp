#include "core/bundle/reader.hpp"

#include "core/archive/file_parts.hpp"
#include "core/archive/tar_reader.hpp"
#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"
#include "core/base/program.hpp"
#include "core/base/terminal_text.hpp"
#include "core/bundle/minisign.hpp"
#include "core/bundle/self_extracting.hpp"
#include "core/digest/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <set>

namespace airlock::bundle {
namespace fs = std::filesystem;
using archive::EntryType;
using archive::TarEntry;

namespace {

/// tar's traditional record: writers pad the archive to a multiple of it.
constexpr std::uint64_t tar_record = 20 * 512;

/// The bundle's bytes, decompressed when they are zstd.
class BundleStream {
  public:
    explicit BundleStream(const std::vector<fs::path>& parts) : parts_(parts), files_(parts) {
        // A self-extracting file (an installer, the bundle, a trailer) is read from where its
        // trailer says the bundle is; anything else as the parts it is.
        if (parts.size() == 1) {
            if (auto embedded = find_embedded_bundle(parts.front()))
                embedded_ = std::make_unique<EmbeddedBundleSource>(parts.front(), *embedded);
        }
        archive::ByteSource& bytes = embedded_ ? static_cast<archive::ByteSource&>(*embedded_)
                                               : static_cast<archive::ByteSource&>(files_);
        std::string head(4, '\0');
        std::size_t got = 0;
        while (got < 4) {
            std::size_t n = bytes.read(head.data() + got, 4 - got);
            if (n == 0)
                break;
            got += n;
        }
        head.resize(got);
        zstd_ = archive::is_zstd(head);
        if (zstd_) {
            source_ = std::make_unique<archive::ZstdSource>(bytes, head);
        } else {
            source_ = std::make_unique<archive::PrefixedSource>(bytes, head);
        }
        tar_ = std::make_unique<archive::TarReader>(*source_);
    }
    archive::TarReader& tar() { return *tar_; }
    /// After the last entry: a self-extracting file is read to the end of its bundle, where its
    /// trailer's sha256 is checked (throws Error on a mismatch).
    void finish_embedded() {
        if (!embedded_)
            return;
        std::vector<char> rest(1 << 16);
        while (embedded_->read(rest.data(), rest.size()) > 0) {
        }
    }

    /// After the last entry: only zero padding may follow the end-of-archive marker, and no part
    /// may begin after the archive's last record (a stale `.partNNN` of another bundle). Throws
    /// Error naming the offset or the part.
    void expect_end() {
        const std::uint64_t end = tar_->end_offset();
        if (!tar_->end_marker_complete()) {
            throw Error("the archive is truncated: it ends at offset " + std::to_string(end) +
                        " without its end-of-archive marker (two zero blocks of 512 bytes)")
                .with_hint(
                    "the copy was cut short where an entry ends; copy it again from its source "
                    "and compare its sha256");
        }
        if (!zstd_) {
            // Uncompressed, the tar offset is the offset in the parts read one after the other.
            const std::uint64_t record_end = (end + tar_record - 1) / tar_record * tar_record;
            std::uint64_t start = 0;
            for (std::size_t i = 0; i < parts_.size(); ++i) {
                if (i > 0 && start >= record_end) {
                    throw Error("the bundle part " + quote(parts_[i].string()) +
                                " is not part of this bundle: the archive ends at offset " +
                                std::to_string(end) + ", in " + quote(part_at(end).string()))
                        .with_hint(
                            "it is left over from another bundle of the same name; "
                            "remove it, or copy every part of the right bundle again");
                }
                start += part_size(i);
            }
        }
        std::optional<std::uint64_t> at;
        try {
            at = tar_->data_after_end();
        } catch (const Error& e) {
            if (e.exit() != Exit::user)
                throw;
            std::string where;
            if (parts_.size() > 1)
                where = " (reading " + quote(files_.current().string()) + ")";
            throw Error(
                "unexpected data after the end of the archive (the end-of-archive marker "
                "ends at offset " +
                std::to_string(end) + "): " + e.what() + where)
                .with_hint(
                    "something was appended to the bundle after it was written; copy it again "
                    "from its source");
        }
        if (!at)
            return;
        std::string where;
        if (parts_.size() > 1)
            where = zstd_ ? " (reading " + quote(files_.current().string()) + ")"
                          : " (in " + quote(part_at(*at).string()) + ")";
        throw Error(
            "unexpected data after the end of the archive: the end-of-archive marker ends "
            "at offset " +
            std::to_string(end) + ", but offset " + std::to_string(*at) + where +
            " is not zero padding")
            .with_hint(
                "something was appended to the bundle after it was written; copy it again "
                "from its source");
    }

  private:
    std::uint64_t part_size(std::size_t i) const {
        std::error_code ec;
        auto size = fs::file_size(parts_[i], ec);
        return ec ? 0 : size;
    }
    /// The part holding offset `at` of the (uncompressed) stream.
    const fs::path& part_at(std::uint64_t at) const {
        std::uint64_t start = 0;
        for (std::size_t i = 0; i < parts_.size(); ++i) {
            start += part_size(i);
            if (at < start)
                return parts_[i];
        }
        return parts_.back();
    }

    std::vector<fs::path> parts_;
    bool zstd_ = false;
    archive::PartsSource files_;
    std::unique_ptr<EmbeddedBundleSource> embedded_;
    std::unique_ptr<archive::ByteSource> source_;
    std::unique_ptr<archive::TarReader> tar_;
};

std::string read_small_entry(archive::TarReader& tar, const TarEntry& e, std::uint64_t limit) {
    if (e.type != EntryType::file) {
        throw Error(quote(e.path) + " is not a regular file");
    }
    if (e.size > limit) {
        // Refused on the header's word, before one byte of it is read or parsed.
        throw Error(quote(e.path) + " is " + human_size(e.size) + ", more than the " +
                    human_size(limit) + " airlock reads for it")
            .with_hint(
                "airlock-build never writes one that big: the bundle was altered or not "
                "made by airlock-build");
    }
    std::string out;
    out.reserve(e.size);
    for (auto block = tar.read_block(); !block.empty(); block = tar.read_block()) {
        out.append(block.data(), block.size());
        if (out.size() > e.size)
            throw Error(quote(e.path) + " is longer than its header says");
    }
    if (out.size() != e.size)
        throw Error(quote(e.path) + " is truncated");
    return out;
}

void write_all(int fd, const char* data, std::size_t size, const fs::path& path) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error("cannot write " + quote(path.string()) + ": " + std::strerror(errno))
                .with_hint("check the free space under the destination");
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

/// Creates `dest/rel` (and its parent directories, which the caller's fresh tree cannot
/// already hold as symlinks: only regular files are ever written) exclusively.
int create_file(const fs::path& dest, const std::string& rel, fs::path& full) {
    full = dest / rel;
    std::error_code ec;
    fs::create_directories(full.parent_path(), ec);
    if (ec) {
        throw Error("cannot create " + quote(full.parent_path().string()) + ": " + ec.message());
    }
    int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw Error("cannot create " + quote(full.string()) + ": " + std::strerror(errno));
    }
    return fd;
}

void write_small_file(const fs::path& dest, const std::string& rel, const std::string& bytes) {
    fs::path full;
    int fd = create_file(dest, rel, full);
    try {
        write_all(fd, bytes.data(), bytes.size(), full);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

std::string type_name(const TarEntry& e) {
    switch (e.type) {
        case EntryType::symlink:
            return "a symlink to " + quote(e.link_target);
        case EntryType::hardlink:
            return "a hardlink to " + quote(e.link_target);
        case EntryType::directory:
            return "a directory";
        case EntryType::other:
            return "a device, fifo or sparse file";
        case EntryType::file:
            return "a regular file";
    }
    return "?";
}

struct Opened {
    std::unique_ptr<BundleStream> stream;
    std::string manifest_text;
    std::optional<std::string> signature_text;
    std::optional<TarEntry> pending;  ///< the first payload entry, already read
};

Opened open_bundle(const std::vector<fs::path>& parts) {
    Opened o;
    o.stream = std::make_unique<BundleStream>(parts);
    auto& tar = o.stream->tar();
    auto first = tar.next();
    if (!first || first->path != manifest_path) {
        throw Error("not an airlock bundle: the first entry is " +
                    (first ? quote(first->path) : std::string("missing")) + ", not " +
                    quote(manifest_path));
    }
    o.manifest_text = read_small_entry(tar, *first, max_manifest_size);
    o.pending = tar.next();
    if (o.pending && o.pending->path == signature_path) {
        o.signature_text = read_small_entry(tar, *o.pending, max_signature_size);
        o.pending = tar.next();
    }
    return o;
}

}  // namespace

std::string Problem::message() const {
    std::string what;
    switch (kind) {
        case Kind::missing:
            what = "missing from the bundle";
            break;
        case Kind::extra:
            what = "not listed in the manifest";
            break;
        case Kind::wrong_size:
            what = "wrong size";
            break;
        case Kind::wrong_hash:
            what = "wrong sha256";
            break;
        case Kind::unsafe_path:
            what = "unsafe path";
            break;
        case Kind::unsafe_type:
            what = "unsafe entry type";
            break;
        case Kind::duplicate:
            what = "appears more than once";
            break;
        case Kind::damaged:
            what = "the archive is damaged";
            break;
    }
    // Everything here came from the archive: the path is quoted (escaped), the detail escaped.
    std::string out = path.empty() ? what : quote(path) + ": " + what;
    if (!detail.empty())
        out += ": " + terminal_text(detail);
    return out;
}

void VerifyReport::throw_if_problems() const {
    if (problems.empty())
        return;
    std::string text = "the bundle " + quote(manifest.name) + " failed verification (" +
                       std::to_string(problems.size()) +
                       (problems.size() == 1 ? " problem" : " problems") + "):";
    for (const auto& p : problems)
        text += "\n  - " + p.message();
    throw Error(text).with_hint(
        "the bundle was damaged in transit or altered after signing; copy it again from its "
        "source and compare its sha256");
}

std::vector<fs::path> bundle_parts(const fs::path& path) {
    return archive::find_parts(path);
}

std::pair<BundleManifest, std::optional<KeyId>> check_manifest(
    const std::string& manifest_text, const std::optional<std::string>& signature_text,
    const TrustedKeys& trusted, AllowUnsigned allow_unsigned) {
    // Order of trust: the size caps held while reading (open_bundle), the signature is checked
    // over the raw bytes, and only bytes a trusted key signed (or the user accepted unsigned)
    // are parsed.
    if (manifest_text.size() > max_manifest_size)
        throw Error(quote(manifest_path) + " is larger than " + human_size(max_manifest_size));
    std::optional<KeyId> key_id;
    std::optional<Signature> signature;
    if (signature_text) {
        signature = Signature::parse(*signature_text, signature_path);
        key_id = within("checking the signature of " + quote(manifest_path),
                        [&] { return verify(manifest_text, *signature, trusted); });
    } else if (allow_unsigned == AllowUnsigned::no) {
        throw Error("the bundle is not signed: it has no " + quote(signature_path))
            .with_hint(
                "rebuild it with `airlock-build build --key KEY`, or accept it knowingly "
                "with --allow-unsigned");
    }
    auto manifest = BundleManifest::parse(manifest_text, manifest_path);
    if (signature) {
        if (signature->trusted_comment != manifest.trusted_comment()) {
            throw Error(
                "the signed comment does not match the manifest's name, version and "
                "sequence");
        }
        return {std::move(manifest), key_id};
    }
    if (manifest.signing == Signing::signed_) {
        throw Error("the bundle " + quote(manifest.name) + " is marked signed but carries no " +
                    quote(signature_path) + ": the signature was removed");
    }
    return {std::move(manifest), std::nullopt};
}

RawHead read_head(const std::vector<fs::path>& parts) {
    auto opened = within("reading the manifest of " + quote(parts.front().string()),
                         [&] { return open_bundle(parts); });
    return {std::move(opened.manifest_text), std::move(opened.signature_text)};
}

VerifyReport read_manifest(const std::vector<fs::path>& parts, const TrustedKeys& trusted,
                           AllowUnsigned allow_unsigned) {
    auto opened = within("reading the manifest of " + quote(parts.front().string()),
                         [&] { return open_bundle(parts); });
    VerifyReport report;
    std::tie(report.manifest, report.key_id) =
        check_manifest(opened.manifest_text, opened.signature_text, trusted, allow_unsigned);
    report.manifest_text = std::move(opened.manifest_text);
    return report;
}

VerifyReport read_bundle(const std::vector<fs::path>& parts, const TrustedKeys& trusted,
                         const std::optional<fs::path>& extract_to, AllowUnsigned allow_unsigned,
                         const ReadProgress& progress) {
    auto opened = within("reading the manifest of " + quote(parts.front().string()),
                         [&] { return open_bundle(parts); });
    VerifyReport report;
    std::tie(report.manifest, report.key_id) =
        check_manifest(opened.manifest_text, opened.signature_text, trusted, allow_unsigned);
    report.manifest_text = opened.manifest_text;
    if (extract_to) {
        write_small_file(*extract_to, std::string(manifest_path), opened.manifest_text);
        if (opened.signature_text) {
            write_small_file(*extract_to, std::string(signature_path), *opened.signature_text);
        }
    }

    auto& tar = opened.stream->tar();
    std::set<std::string> seen{std::string(manifest_path)};
    if (opened.signature_text)
        seen.insert(std::string(signature_path));
    auto problem = [&](Problem::Kind kind, const std::string& path, std::string detail = {}) {
        report.problems.push_back({kind, path, std::move(detail)});
    };
    bool damaged = false;
    std::string reading;  // the entry whose data is being read, for a damaged-archive problem
    std::optional<TarEntry> entry = std::move(opened.pending);
    ReadCount count;
    for (const auto& f : report.manifest.files)
        count.total_bytes += f.size;
    count.total_files = report.manifest.files.size();
    try {
        for (; entry; entry = tar.next()) {
            throw_if_interrupted();
            const TarEntry& e = *entry;
            if (e.type == EntryType::directory &&
                is_safe_relative_path(e.path.substr(0, e.path.size() - (e.path.ends_with('/'))))) {
                continue;  // harmless: directories are made as files need them
            }
            if (!is_safe_relative_path(e.path)) {
                problem(Problem::Kind::unsafe_path, e.path,
                        "absolute, `..`, or otherwise not a plain relative name; not extracted");
                continue;
            }
            if (e.type != EntryType::file) {
                problem(Problem::Kind::unsafe_type, e.path, type_name(e) + "; not extracted");
                continue;
            }
            if (!seen.insert(e.path).second) {
                problem(Problem::Kind::duplicate, e.path);
                continue;
            }
            // From here on the entry's name is one the checked manifest holds.
            const BundleFile* expected = report.manifest.find(e.path);
            if (expected == nullptr) {
                problem(Problem::Kind::extra, e.path, human_size(e.size));
                continue;
            }
            if (e.size != expected->size) {
                problem(Problem::Kind::wrong_size, e.path,
                        "the manifest says " + exact_size(expected->size) + ", the archive " +
                            exact_size(e.size));
                continue;
            }
            digest::Sha256 hash;
            int fd = -1;
            fs::path full;
            if (extract_to)
                fd = create_file(*extract_to, e.path, full);
            std::uint64_t got = 0;
            reading = e.path;
            try {
                for (auto block = tar.read_block(); !block.empty(); block = tar.read_block()) {
                    hash.update(block.data(), block.size());
                    if (fd >= 0)
                        write_all(fd, block.data(), block.size(), full);
                    got += block.size();
                    if (progress) {
                        count.bytes = report.bytes_checked + got;
                        progress(count);
                    }
                }
            } catch (...) {
                if (fd >= 0) {
                    ::close(fd);
                    ::unlink(full.c_str());
                }
                throw;
            }
            reading.clear();
            report.bytes_checked += got;
            ++count.files;
            count.bytes = report.bytes_checked;
            if (progress)
                progress(count);
            std::string computed = hash.hex_digest();
            bool good = got == expected->size && computed == expected->sha256;
            if (fd >= 0) {
                if (::close(fd) != 0) {
                    throw Error("cannot write " + quote(full.string()) + ": " +
                                std::strerror(errno));
                }
                if (!good)
                    ::unlink(full.c_str());
            }
            if (!good) {
                problem(Problem::Kind::wrong_hash, e.path,
                        "expected " + expected->sha256 + ", computed " + computed);
            }
        }
        opened.stream->expect_end();
        opened.stream->finish_embedded();
    } catch (const Error& e) {
        if (e.exit() == Exit::interrupted)
            throw;
        damaged = true;
        problem(Problem::Kind::damaged, reading, e.what());
    }
    if (!damaged) {
        for (const auto& f : report.manifest.files) {
            if (!seen.count(f.path))
                problem(Problem::Kind::missing, f.path);
        }
    }
    return report;
}

}  // namespace airlock::bundle
