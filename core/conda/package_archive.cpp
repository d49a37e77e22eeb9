#include "core/conda/package_archive.hpp"

#include "core/archive/file_parts.hpp"
#include "core/archive/tar_reader.hpp"
#include "core/archive/zip_reader.hpp"
#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/bundle/checked_text.hpp"
#include "core/digest/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <vector>

namespace airlock::conda {
namespace fs = std::filesystem;
using archive::EntryType;
using archive::TarEntry;

namespace {

constexpr std::uint64_t max_info_size = 64ULL << 20;

[[noreturn]] void system_error(const std::string& what, const fs::path& path) {
    throw Error(what + " " + quote(path.string()) + ": " + std::strerror(errno));
}

/// What extraction put at one path.
struct Written {
    EntryType type = EntryType::file;
    std::string sha256;  ///< files
    std::uint64_t size = 0;
};

/// `target`, relative to the directory of `link`, stays inside the package root.
bool link_stays_inside(std::string_view link, std::string_view target) {
    if (target.empty() || target.front() == '/' || target.find('\\') != std::string_view::npos)
        return false;
    std::vector<std::string_view> parts;
    auto push_all = [&](std::string_view path, bool drop_last) {
        std::size_t start = 0;
        std::vector<std::string_view> words;
        while (start <= path.size()) {
            std::size_t end = path.find('/', start);
            if (end == std::string_view::npos)
                end = path.size();
            words.push_back(path.substr(start, end - start));
            start = end + 1;
        }
        if (drop_last)
            words.pop_back();
        for (auto w : words) {
            if (w.empty() || w == ".")
                continue;
            if (w == "..") {
                if (parts.empty())
                    return false;
                parts.pop_back();
            } else {
                parts.push_back(w);
            }
        }
        return true;
    };
    return push_all(link, true) && push_all(target, false);
}

class Extractor {
  public:
    Extractor(fs::path root) : root_(std::move(root)) {}

    /// Extracts every entry of `tar`; `info_only` for a .conda's info tar (nothing else allowed),
    /// `payload_only` for its pkg tar (no info/).
    void extract_tar(archive::TarReader& tar, bool info_only, bool payload_only) {
        while (auto e = tar.next()) {
            std::string path = e->path;
            while (path.starts_with("./"))
                path.erase(0, 2);
            if (e->type == EntryType::directory && path.ends_with('/'))
                path.pop_back();
            if (path.empty())
                continue;  // "./"
            if (!bundle::is_safe_relative_path(path))
                throw Error("unsafe path " + quote(e->path) +
                            " (absolute, `..`, empty component, backslash or control character)");
            const bool in_info = path == "info" || path.starts_with("info/");
            if (info_only && !in_info)
                throw Error("the info archive holds " + quote(path) + ", which is not under info/");
            if (payload_only && in_info)
                throw Error("the payload archive holds " + quote(path) + " under info/");
            within(quote(path), [&] { add(tar, *e, path); });
        }
    }

    const std::map<std::string, Written>& written() const { return written_; }

    /// The payload's files and sizes from info/paths.json, known before the payload is read (a
    /// .conda's info member is read first): a file it does not list, or of another size, is
    /// refused at its header, before a byte of it is written (a small package cannot unpack
    /// into gigabytes first).
    void expect_files(std::map<std::string, std::optional<std::uint64_t>> files) {
        expected_ = std::move(files);
    }
    void make_directory(const std::string& path) {
        ensure_parents(path);
        if (::mkdir((root_ / path).c_str(), 0755) != 0 && errno != EEXIST)
            system_error("cannot create the directory", root_ / path);
        written_[path] = Written{EntryType::directory, {}, 0};
    }

  private:
    void check_not_through_symlink(const std::string& path) const {
        for (std::size_t slash = path.find('/'); slash != std::string::npos;
             slash = path.find('/', slash + 1)) {
            auto it = written_.find(path.substr(0, slash));
            if (it != written_.end() && it->second.type != EntryType::directory)
                throw Error("the path passes through " + quote(path.substr(0, slash)) +
                            ", which is not a directory");
        }
    }

    void ensure_parents(const std::string& path) {
        check_not_through_symlink(path);
        for (std::size_t slash = path.find('/'); slash != std::string::npos;
             slash = path.find('/', slash + 1)) {
            std::string dir = path.substr(0, slash);
            if (written_.count(dir))
                continue;
            if (::mkdir((root_ / dir).c_str(), 0755) != 0 && errno != EEXIST)
                system_error("cannot create the directory", root_ / dir);
            written_[dir] = Written{EntryType::directory, {}, 0};
        }
    }

    void add(archive::TarReader& tar, const TarEntry& e, const std::string& path) {
        if (auto it = written_.find(path); it != written_.end()) {
            if (e.type == EntryType::directory && it->second.type == EntryType::directory)
                return;
            throw Error("the path appears twice in the package");
        }
        const fs::path dest = root_ / path;
        switch (e.type) {
            case EntryType::directory:
                make_directory(path);
                return;
            case EntryType::file:
                ensure_parents(path);
                write_file(tar, e, path, dest);
                return;
            case EntryType::symlink:
                ensure_parents(path);
                if (!link_stays_inside(path, e.link_target))
                    throw Error("the symlink points outside the package: " + quote(e.link_target));
                if (::symlink(e.link_target.c_str(), dest.c_str()) != 0)
                    system_error("cannot create the symlink", dest);
                written_[path] = Written{EntryType::symlink, {}, e.link_target.size()};
                return;
            case EntryType::hardlink: {
                std::string target = e.link_target;
                while (target.starts_with("./"))
                    target.erase(0, 2);
                auto it = written_.find(target);
                if (it == written_.end() || it->second.type != EntryType::file)
                    throw Error("a hardlink to " + quote(e.link_target) +
                                ", which is not a file earlier in the package");
                ensure_parents(path);
                std::error_code ec;
                fs::copy_file(root_ / target, dest, ec);
                if (ec)
                    throw Error("cannot copy " + quote(target) + ": " + ec.message());
                written_[path] = it->second;
                return;
            }
            case EntryType::other:
                break;
        }
        throw Error("unsafe entry type (device, fifo or sparse file); not extracted");
    }

    void write_file(archive::TarReader& tar, const TarEntry& e, const std::string& path,
                    const fs::path& dest) {
        if (path.starts_with("info/") && e.size > max_info_size)
            throw Error("it is " + std::to_string(e.size) + " bytes, more than the " +
                        std::to_string(max_info_size) +
                        " allowed for package metadata; not extracted");
        if (expected_ && !path.starts_with("info/")) {
            auto it = expected_->find(path);
            if (it == expected_->end())
                throw Error("the package holds " + quote(path) +
                            ", which info/paths.json does not list; not extracted");
            if (it->second && *it->second != e.size)
                throw Error("wrong size: info/paths.json says " + std::to_string(*it->second) +
                            " bytes, the package's entry holds " + std::to_string(e.size) +
                            "; not extracted");
        }
        int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            system_error("cannot create", dest);
        digest::Sha256 hash;
        std::uint64_t total = 0;
        try {
            for (auto block = tar.read_block(); !block.empty(); block = tar.read_block()) {
                hash.update(block.data(), block.size());
                total += block.size();
                const char* p = block.data();
                std::size_t left = block.size();
                while (left > 0) {
                    ssize_t n = ::write(fd, p, left);
                    if (n < 0) {
                        if (errno == EINTR)
                            continue;
                        system_error("cannot write", dest);
                    }
                    p += n;
                    left -= static_cast<std::size_t>(n);
                }
            }
            if (total != e.size)
                throw Error("the entry holds " + std::to_string(total) +
                            " bytes, its header says " + std::to_string(e.size));
            // Permission bits as packaged, without setuid/setgid/sticky.
            if (::fchmod(fd, static_cast<mode_t>(e.mode & 0777)) != 0)
                system_error("cannot set the mode of", dest);
        } catch (...) {
            ::close(fd);
            throw;
        }
        if (::close(fd) != 0)
            system_error("cannot write", dest);
        written_[path] = Written{EntryType::file, hash.hex_digest(), total};
    }

    fs::path root_;
    std::map<std::string, Written> written_;
    std::optional<std::map<std::string, std::optional<std::uint64_t>>> expected_;
};

std::optional<std::string> read_info(const fs::path& root, const std::string& rel,
                                     const std::map<std::string, Written>& written) {
    auto it = written.find(rel);
    if (it == written.end())
        return std::nullopt;
    if (it->second.type != EntryType::file)
        throw Error(quote(rel) + " is not a regular file");
    if (it->second.size > max_info_size)
        throw Error(quote(rel) + " is " + std::to_string(it->second.size) +
                    " bytes, more than the " + std::to_string(max_info_size) + " allowed");
    int fd = ::open((root / rel).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        system_error("cannot open", root / rel);
    std::string out(it->second.size, '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        ssize_t n = ::read(fd, out.data() + got, out.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            throw Error("cannot read " + quote(rel));
        }
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return out;
}

/// Checks the extracted files against the package's list; fills in what a legacy list lacks.
void check_against_paths(Extractor& x, PathsJson& paths) {
    const auto& written = x.written();
    std::set<std::string> listed;
    for (auto& e : paths.entries) {
        listed.insert(e.path);
        auto it = written.find(e.path);
        if (it == written.end()) {
            if (e.type == PathType::directory) {
                x.make_directory(e.path);
                continue;
            }
            throw Error("info/paths.json lists " + quote(e.path) + ", which the package lacks");
        }
        const Written& w = it->second;
        if (paths.legacy) {
            if (w.type == EntryType::symlink)
                e.type = PathType::softlink;
            else if (w.type == EntryType::directory)
                e.type = PathType::directory;
        }
        switch (e.type) {
            case PathType::hardlink:
                if (w.type != EntryType::file)
                    throw Error(quote(e.path) +
                                " is a file in info/paths.json but not in the package");
                if (e.size && *e.size != w.size)
                    throw Error(quote(e.path) + ": wrong size: info/paths.json says " +
                                std::to_string(*e.size) + " bytes, the package holds " +
                                std::to_string(w.size));
                if (e.sha256 && *e.sha256 != w.sha256)
                    throw Error(quote(e.path) + ": wrong sha256: info/paths.json says " +
                                *e.sha256 + ", computed " + w.sha256);
                if (!e.size)
                    e.size = w.size;
                if (!e.sha256)
                    e.sha256 = w.sha256;
                break;
            case PathType::softlink:
                if (w.type != EntryType::symlink)
                    throw Error(quote(e.path) +
                                " is a symlink in info/paths.json but not in the package");
                break;
            case PathType::directory:
                if (w.type != EntryType::directory)
                    throw Error(quote(e.path) +
                                " is a directory in info/paths.json but not in the package");
                break;
        }
    }
    for (const auto& [path, w] : written) {
        if (w.type == EntryType::directory || path.starts_with("info/") || listed.count(path))
            continue;
        throw Error("the package holds " + quote(path) + ", which info/paths.json does not list");
    }
}

/// One pass over a .conda's members, each checked; extracts its info member (`info_pass`) or its
/// payload member, skipping the other unread.
void extract_conda_pass(const fs::path& file, Extractor& x, const std::string& stem,
                        bool info_pass) {
    archive::ZipReader zip(file);
    bool info = false;
    bool pkg = false;
    while (auto entry = zip.next()) {
        if (entry->type == EntryType::directory)
            continue;
        if (entry->path == "metadata.json")
            continue;
        const bool is_info = entry->path == "info-" + stem + ".tar.zst";
        const bool is_pkg = entry->path == "pkg-" + stem + ".tar.zst";
        if ((!is_info && !is_pkg) || entry->type != EntryType::file)
            throw Error("unexpected member " + quote(entry->path) +
                        " (a .conda holds metadata.json, info-" + stem + ".tar.zst and pkg-" +
                        stem + ".tar.zst)");
        if ((is_info && info) || (is_pkg && pkg))
            throw Error("the member " + quote(entry->path) + " appears twice");
        (is_info ? info : pkg) = true;
        if (is_info != info_pass)
            continue;
        within("reading " + quote(entry->path), [&] {
            archive::ZstdSource zstd(zip.data());
            archive::TarReader tar(zstd);
            x.extract_tar(tar, is_info, is_pkg);
        });
    }
    if (!info)
        throw Error("no info-" + stem + ".tar.zst member");
    if (!pkg)
        throw Error("no pkg-" + stem + ".tar.zst member");
}

/// The info member first, wherever the zip holds it, so the payload is checked against
/// info/paths.json entry by entry as it is read.
void extract_conda(const fs::path& file, const fs::path& dest, Extractor& x,
                   const std::string& stem) {
    extract_conda_pass(file, x, stem, true);
    if (auto text = read_info(dest, "info/paths.json", x.written())) {
        auto paths = within("info/paths.json", [&] { return PathsJson::parse(*text); });
        std::map<std::string, std::optional<std::uint64_t>> files;
        for (const auto& e : paths.entries)
            if (e.type != PathType::directory)
                files[e.path] = e.type == PathType::hardlink ? e.size : std::nullopt;
        x.expect_files(std::move(files));
    }
    extract_conda_pass(file, x, stem, false);
}

}  // namespace

ExtractedPackage extract_package(const fs::path& file, const fs::path& dest) {
    return within("extracting the conda package " + quote(file.filename().string()), [&] {
        const std::string name = file.filename().string();
        std::error_code ec;
        if (!fs::create_directory(dest, ec) || ec)
            throw Error("cannot create " + quote(dest.string()) +
                        (ec ? ": " + ec.message() : ": it exists"));
        Extractor x(dest);
        if (name.ends_with(".conda")) {
            extract_conda(file, dest, x, name.substr(0, name.size() - 6));
        } else if (name.ends_with(".tar.bz2")) {
            archive::PartsSource raw({file});
            archive::Bzip2Source bz(raw);
            archive::TarReader tar(bz);
            x.extract_tar(tar, false, false);
        } else {
            throw Error("not a conda package file name (.conda or .tar.bz2)");
        }
        ExtractedPackage out;
        out.dir = dest;
        out.filename = name;
        auto index = read_info(dest, "info/index.json", x.written());
        if (!index)
            throw Error("the package has no info/index.json");
        out.index = within("info/index.json", [&] { return IndexJson::parse(*index); });
        const std::string stem =
            name.substr(0, name.rfind(name.ends_with(".conda") ? ".conda" : ".tar.bz2"));
        if (stem != out.index.stem())
            throw Error("info/index.json names the package " + quote(out.index.stem()) +
                        ", its file name says " + quote(stem));
        if (auto paths = read_info(dest, "info/paths.json", x.written())) {
            out.paths = PathsJson::parse(*paths);
        } else {
            auto files = read_info(dest, "info/files", x.written());
            if (!files)
                throw Error("the package has neither info/paths.json nor info/files");
            out.paths = PathsJson::from_legacy(
                *files, read_info(dest, "info/has_prefix", x.written()).value_or(""),
                read_info(dest, "info/no_link", x.written()).value_or(""));
        }
        if (auto link = read_info(dest, "info/link.json", x.written()))
            out.link = LinkJson::parse(*link);
        check_against_paths(x, out.paths);
        return out;
    });
}

}  // namespace airlock::conda
