#include "installer/conda/prefix_installer.hpp"

#include "core/base/error.hpp"
#include "core/base/program.hpp"
#include "core/bundle/checked_text.hpp"
#include "core/conda/package_archive.hpp"
#include "core/digest/sha256.hpp"
#include "installer/conda/installed_records.hpp"
#include "installer/conda/placeholder.hpp"
#include "installer/conda/prefix_journal.hpp"
#include "installer/conda/prefix_record.hpp"
#include "installer/conda/python_layout.hpp"
#include "installer/conda/shebang.hpp"
#include "installer/host/process.hpp"
#include "installer/install/install_journal.hpp"
#include "installer/install/temp_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <ostream>
#include <set>

namespace airlock::install::conda {
namespace fs = std::filesystem;
using airlock::conda::ExtractedPackage;
using airlock::conda::FileMode;
using airlock::conda::PathType;

namespace {

[[noreturn]] void system_error(const std::string& what, const fs::path& path) {
    throw Error(what + " " + quote(path.string()) + ": " + std::strerror(errno));
}

std::string read_whole(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        system_error("cannot open", path);
    std::string out;
    char buf[1 << 16];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ::close(fd);
            system_error("cannot read", path);
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

void write_new(const fs::path& path, std::string_view bytes, mode_t mode) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        system_error("cannot create", path);
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ::close(fd);
            system_error("cannot write", path);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, mode) != 0 || ::close(fd) != 0)
        system_error("cannot write", path);
}

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/// The environment under construction: what is placed where, and by which package.
class Stage {
  public:
    Stage(fs::path root, std::ostream& err) : root_(std::move(root)), err_(err) {}
    const fs::path& root() const { return root_; }

    /// Makes the parents of `rel` (refusing a path through a file or symlink) and removes an
    /// earlier package's file at `rel` (conda's clobber: the later package wins, with a warning).
    void prepare(const std::string& rel, const std::string& package) {
        if (rel == "conda-meta" || rel.starts_with("conda-meta/"))
            throw Error("the package would write " + quote(rel) +
                        " inside conda-meta/, which holds the installer's records");
        for (std::size_t slash = rel.find('/'); slash != std::string::npos;
             slash = rel.find('/', slash + 1)) {
            std::string dir = rel.substr(0, slash);
            auto it = placed_.find(dir);
            if (it != placed_.end()) {
                if (it->second.type != PathType::directory)
                    throw Error(quote(rel) + " would pass through " + quote(dir) + ", a " +
                                std::string(airlock::conda::to_string(it->second.type)) + " of " +
                                it->second.package);
                continue;
            }
            if (::mkdir((root_ / dir).c_str(), 0755) != 0 && errno != EEXIST)
                system_error("cannot create the directory", root_ / dir);
            placed_[dir] = {PathType::directory, package};
        }
        auto it = placed_.find(rel);
        if (it == placed_.end())
            return;
        if (it->second.type == PathType::directory)
            throw Error(quote(rel) + " is a directory of " + it->second.package +
                        "; the package holds a file there");
        err_ << "warning: " << package << " replaces " << rel << " of " << it->second.package
             << "\n";
        if (::unlink((root_ / rel).c_str()) != 0)
            system_error("cannot replace", root_ / rel);
        placed_.erase(it);
    }
    void placed(const std::string& rel, PathType type, const std::string& package) {
        placed_[rel] = {type, package};
    }
    bool is_directory(const std::string& rel) const {
        auto it = placed_.find(rel);
        return it != placed_.end() && it->second.type == PathType::directory;
    }

  private:
    struct Owner {
        PathType type;
        std::string package;
    };
    fs::path root_;
    std::ostream& err_;
    std::map<std::string, Owner> placed_;
};

struct Package {
    const CondaPackage* source = nullptr;
    ExtractedPackage extracted;
    bool noarch_python = false;
    bool keep = false;  ///< with update: installed already, left as it is
    std::vector<InstalledPath> paths;
    std::vector<std::pair<std::string, std::string>> to_compile;  ///< (prefix path, pyc path)
};

void link_package(Package& pkg, Stage& stage, const std::string& prefix,
                  const std::optional<PythonLayout>& python) {
    const auto& ex = pkg.extracted;
    const std::string who = ex.index.stem();
    for (const auto& e : ex.paths.entries) {
        std::string rel = pkg.noarch_python ? python->noarch_target(e.path) : e.path;
        if (!bundle::is_safe_relative_path(rel))
            throw Error("unsafe path " + quote(rel));
        within("installing " + quote(e.path), [&] {
            const fs::path src = ex.dir / e.path;
            const fs::path dst = stage.root() / rel;
            InstalledPath rec;
            rec.path = rel;
            rec.path_type = std::string(airlock::conda::to_string(e.type));
            rec.no_link = e.no_link;
            switch (e.type) {
                case PathType::directory:
                    if (stage.is_directory(rel))
                        break;
                    stage.prepare(rel, who);
                    if (::mkdir(dst.c_str(), 0755) != 0 && errno != EEXIST)
                        system_error("cannot create the directory", dst);
                    stage.placed(rel, PathType::directory, who);
                    break;
                case PathType::softlink: {
                    std::error_code ec;
                    auto target = fs::read_symlink(src, ec);
                    if (ec)
                        throw Error("cannot read the symlink: " + ec.message());
                    stage.prepare(rel, who);
                    if (::symlink(target.c_str(), dst.c_str()) != 0)
                        system_error("cannot create the symlink", dst);
                    stage.placed(rel, PathType::softlink, who);
                    rec.sha256 = e.sha256.value_or("");
                    rec.size = e.size;
                    break;
                }
                case PathType::hardlink: {
                    stage.prepare(rel, who);
                    rec.sha256 = e.sha256.value_or("");
                    rec.size = e.size;
                    if (e.prefix_placeholder) {
                        struct stat st {};
                        if (::lstat(src.c_str(), &st) != 0)
                            system_error("cannot read", src);
                        std::string data = read_whole(src);
                        std::string out =
                            e.file_mode == FileMode::binary
                                ? replace_binary_placeholder(data, *e.prefix_placeholder, prefix)
                                : replace_long_shebang(replace_text_placeholder(
                                      data, *e.prefix_placeholder, prefix));
                        write_new(dst, out, st.st_mode & 0777);
                        rec.sha256_in_prefix = digest::sha256_hex(out);
                        rec.size = out.size();
                        rec.prefix_placeholder = *e.prefix_placeholder;
                        rec.file_mode = std::string(airlock::conda::to_string(e.file_mode));
                    } else if (::rename(src.c_str(), dst.c_str()) != 0) {
                        system_error("cannot move into place", src);
                    }
                    stage.placed(rel, PathType::hardlink, who);
                    if (pkg.noarch_python && rel.ends_with(".py") &&
                        rel.starts_with(python->site_packages + "/"))
                        pkg.to_compile.emplace_back(rel, python->pyc_path(rel));
                    break;
                }
            }
            pkg.paths.push_back(std::move(rec));
        });
    }
    if (!pkg.noarch_python || !ex.link)
        return;
    for (const auto& ep : ex.link->entry_points) {
        const std::string rel = python->bin_dir + "/" + ep.command;
        within("writing the entry point " + quote(ep.command), [&] {
            stage.prepare(rel, who);
            std::string script = entry_point_script(ep, prefix + "/" + python->executable);
            write_new(stage.root() / rel, script, 0775);
            stage.placed(rel, PathType::hardlink, who);
            InstalledPath rec;
            rec.path = rel;
            rec.path_type = "unix_python_entry_point";
            rec.sha256 = digest::sha256_hex(script);
            rec.size = script.size();
            pkg.paths.push_back(std::move(rec));
        });
    }
}

/// Byte-compiles the noarch-python modules with the environment's own Python, isolated (-I: no
/// PYTHON* variables, no user site) and with `dfile` set so tracebacks name the final prefix.
void byte_compile(std::vector<Package>& packages, const fs::path& stage, const std::string& prefix,
                  const PythonLayout& python, const fs::path& work, std::ostream& out) {
    // `stage` is the prefix itself by now; dfile keeps the recorded names right either way.
    std::string list;
    std::size_t count = 0;
    for (const auto& p : packages)
        for (const auto& [rel, pyc] : p.to_compile) {
            list += (stage / rel).string() + "\n" + (stage / pyc).string() + "\n" + prefix + "/" +
                    rel + "\n";
            ++count;
        }
    if (count == 0)
        return;
    const fs::path list_file = work / "compile.txt";
    write_new(list_file, list, 0600);
    static constexpr const char* script =
        "import sys, py_compile\n"
        "lines = open(sys.argv[1], encoding='utf-8').read().split('\\n')\n"
        "for i in range(0, len(lines) - 2, 3):\n"
        "    try:\n"
        "        py_compile.compile(lines[i], cfile=lines[i + 1], dfile=lines[i + 2], "
        "doraise=True)\n"
        "    except Exception:\n"
        "        pass\n";
    const fs::path exe = stage / python.executable;
    std::vector<std::string> argv = {exe.string(), "-I", "-c", script, list_file.string()};
    out << "byte-compiling " << count << " modules with " << python.executable << "\n"
        << std::flush;
    auto r = host::capture({argv, host::isolated_environment()});
    throw_if_interrupted();
    if (r.status != 0)
        throw Error("byte-compiling with the environment's Python failed (exit " +
                    std::to_string(r.status) + "): " + r.err);
    for (auto& p : packages)
        for (const auto& [rel, pyc] : p.to_compile) {
            std::error_code ec;
            if (!fs::is_regular_file(stage / pyc, ec))
                continue;  // conda too records only what compiled
            InstalledPath rec;
            rec.path = pyc;
            rec.path_type = "pyc_file";
            p.paths.push_back(std::move(rec));
        }
}

bool is_empty_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

}  // namespace

/// `extracting 3/12 numpy-2.1.0-…` on the install phase's line.
static void show(const PrefixOptions& o, const char* step, std::size_t i, std::size_t n,
                 const std::string& what) {
    if (o.progress)
        o.progress->update([&] {
            return std::string(step) + " " + std::to_string(i + 1) + "/" + std::to_string(n) + " " +
                   what;
        });
}

PrefixSummary install_prefix(const PrefixOptions& o, std::ostream& out, std::ostream& err) {
    fs::path dest = fs::absolute(o.prefix).lexically_normal();
    if (dest.has_filename() == false)
        dest = dest.parent_path();
    const std::string prefix = dest.string();
    for (char c : prefix)
        if (static_cast<unsigned char>(c) < 0x20)
            throw Error("the prefix " + quote(prefix) + " holds a control character", Exit::usage);
    std::error_code ec;
    std::vector<InstalledRecord> installed;
    if (o.update) {
        if (!fs::is_directory(fs::symlink_status(dest, ec)) ||
            !fs::is_directory(fs::symlink_status(dest / "conda-meta", ec)))
            throw Error(quote(prefix) + " is not a conda environment (no conda-meta/ directory)")
                .with_hint("leave --update out to create a new environment there");
        installed = within("reading the environment " + quote(prefix),
                           [&] { return read_installed_records(dest); });
    } else if (fs::exists(fs::symlink_status(dest, ec)) && !is_empty_dir(dest)) {
        throw Error(quote(prefix) + " exists and is not an empty directory")
            .with_hint("choose a new directory for --prefix (it is created)");
    }
    if (o.packages.empty())
        throw Error("no conda packages to install", Exit::usage);

    // An update stages beside the prefix: everything moves in by rename.
    const fs::path parent = o.update ? dest.parent_path() : o.tmp_dir.value_or(dest.parent_path());
    TempTree tmp(parent, o.journal ? o.journal->temp_prefix(parent, ".airlock-conda-")
                                   : std::string(".airlock-conda-"));
    const fs::path stage_dir = tmp.path() / "prefix";
    fs::create_directory(stage_dir);

    // 1. Extract and check every package.
    std::vector<Package> packages;
    packages.reserve(o.packages.size());
    std::map<std::string, std::string> names;
    for (std::size_t i = 0; i < o.packages.size(); ++i) {
        throw_if_interrupted();
        Package p;
        p.source = &o.packages[i];
        show(o, "extracting", i, o.packages.size(), o.packages[i].file.filename().string());
        p.extracted = airlock::conda::extract_package(o.packages[i].file,
                                                      tmp.path() / ("pkg" + std::to_string(i)));
        const auto& name = p.extracted.index.name;
        if (auto [it, fresh] = names.emplace(name, p.extracted.filename); !fresh)
            throw Error("two packages named " + quote(name) + ": " + quote(it->second) + " and " +
                        quote(p.extracted.filename));
        packages.push_back(std::move(p));
    }
    out << "verified " << packages.size() << " conda packages\n" << std::flush;

    // 2. Plan: the environment's Python and the placeholders that cannot take this prefix.
    std::optional<PythonLayout> python;
    for (const auto& p : packages)
        if (p.extracted.index.name == "python")
            python = within("the python package", [&] {
                return PythonLayout::of(p.extracted.index.version, Platform::unix_like);
            });
    for (auto& p : packages) {
        const auto& ex = p.extracted;
        p.noarch_python = ex.index.noarch == "python" || (ex.link && ex.link->noarch == "python");
        if (p.noarch_python && !python)
            throw Error(quote(ex.index.stem()) +
                        " is a noarch: python package, but no python package is installed with it")
                .with_hint("install it together with a python package");
    }

    // With update: what stays (same name-version-build and sha256), what goes.
    std::vector<const InstalledRecord*> removed;
    std::set<std::string> kept_files;  ///< a path two packages list stays with the kept one
    std::size_t kept = 0;
    if (o.update) {
        std::map<std::string, const InstalledRecord*> by_stem;
        for (const auto& r : installed)
            by_stem[r.stem()] = &r;
        for (auto& p : packages) {
            const auto& ex = p.extracted;
            auto it = by_stem.find(ex.index.stem());
            if (it == by_stem.end() || it->second->name != ex.index.name ||
                it->second->sha256.empty())
                continue;
            const std::string sha =
                p.source->sha256.empty() ? digest::sha256_file(p.source->file) : p.source->sha256;
            p.keep = it->second->sha256 == sha;
        }
        bool python_kept = true;
        for (const auto& p : packages)
            if (p.extracted.index.name == "python")
                python_kept = p.keep;
        std::set<std::string> kept_stems;
        for (auto& p : packages) {
            // A new Python: the noarch packages move to its site-packages.
            if (p.noarch_python && !python_kept)
                p.keep = false;
            if (p.keep) {
                kept_stems.insert(p.extracted.index.stem());
                ++kept;
            }
        }
        for (const auto& r : installed)
            if (!kept_stems.contains(r.stem()))
                removed.push_back(&r);
            else
                kept_files.insert(r.files.begin(), r.files.end());
    }

    for (auto& p : packages) {
        if (p.keep)
            continue;
        const auto& ex = p.extracted;
        for (const auto& e : ex.paths.entries)
            if (e.prefix_placeholder && e.file_mode == FileMode::binary &&
                prefix.size() > e.prefix_placeholder->size())
                throw Error("the prefix " + quote(prefix) + " (" + std::to_string(prefix.size()) +
                            " bytes) is longer than the placeholder compiled into " +
                            quote(e.path) + " of " + quote(ex.index.stem()) + " (" +
                            std::to_string(e.prefix_placeholder->size()) + " bytes)")
                    .with_hint("choose a prefix of at most " +
                               std::to_string(e.prefix_placeholder->size()) + " bytes");
        for (const auto& e : ex.paths.entries)
            if (e.path.starts_with("bin/.") &&
                (e.path.ends_with("-post-link.sh") || e.path.ends_with("-pre-link.sh")))
                err << "warning: " << ex.index.stem() << " has a link script (" << e.path
                    << "); airlock does not run package scripts\n";
    }

    // 3. Place every file.
    Stage stage(stage_dir, err);
    for (auto& p : packages) {
        throw_if_interrupted();
        if (p.keep)
            continue;
        show(o, "linking", static_cast<std::size_t>(&p - packages.data()), packages.size(),
             p.extracted.index.stem());
        within("installing " + quote(p.extracted.index.stem()),
               [&] { link_package(p, stage, prefix, python); });
    }
    if (python) {
        bool any = false;
        for (const auto& p : packages)
            any = any || !p.to_compile.empty();
        std::error_code e2;
        if (any && !fs::exists(stage_dir / python->executable, e2) &&
            !(o.update && fs::exists(dest / python->executable, e2)))
            throw Error("the python package has no " + quote(python->executable) +
                        " to byte-compile with");
    }

    // 4. Into place. The environment's own programs (the Python that byte-compiles) find their
    // libraries and files only under the final prefix, so the rest runs there; a failure from
    // here on removes the prefix again.
    // With update, the removed packages go aside and the staged tree moves in under the journal,
    // which puts everything back on any failure until it is committed.
    throw_if_interrupted();
    std::optional<CreatedDirectory> created;
    std::optional<PrefixJournal> journal;
    if (o.update) {
        journal.emplace(dest, tmp.path() / "backup", err, o.journal);
        std::vector<std::string> aside;
        for (const auto* r : removed) {
            for (auto f = r->files.rbegin(); f != r->files.rend(); ++f)
                if (!kept_files.contains(*f))
                    aside.push_back(*f);
            aside.push_back("conda-meta/" + r->record_file);
        }
        journal->move_aside_all(aside);
        test_crash_point("moved-aside");
        journal->move_in(stage_dir);
        // Byte-compiling creates each missing pyc and, when missing, its __pycache__ directory:
        // the outermost path that does not exist yet is what a rollback removes (a pyc alone
        // would leave an empty __pycache__ behind).
        std::vector<std::string> pycs;
        std::set<std::string> recorded;
        for (const auto& p : packages)
            for (const auto& c : p.to_compile) {
                fs::path rel = c.second;
                if (struct stat st{}; ::lstat((dest / rel).c_str(), &st) == 0)
                    continue;
                for (struct stat st{}; rel.has_parent_path() &&
                                       ::lstat((dest / rel.parent_path()).c_str(), &st) != 0;)
                    rel = rel.parent_path();
                if (recorded.insert(rel.string()).second)
                    pycs.push_back(rel.string());
            }
        journal->created_all(pycs);
    } else {
        created.emplace(dest);
        if (::rename(stage_dir.c_str(), dest.c_str()) != 0)
            system_error("cannot move the new environment to", dest);
    }
    test_crash_point("moved-in");
    if (python)
        byte_compile(packages, dest, prefix, *python, tmp.path(), out);
    test_crash_point("byte-compiled");

    // 5. conda-meta, its history last (conda takes a directory with conda-meta/history for an
    // environment).
    fs::create_directory(dest / "conda-meta");
    PrefixSummary summary;
    std::vector<std::string> dists;
    for (auto& p : packages) {
        if (p.keep)
            continue;
        const auto& ex = p.extracted;
        PrefixRecordInput in;
        in.index_json = ex.index.text;
        in.fn = ex.filename;
        in.url = p.source->url;
        in.channel = p.source->channel;
        in.sha256 =
            p.source->sha256.empty() ? digest::sha256_file(p.source->file) : p.source->sha256;
        in.md5 = p.source->md5;
        in.size = fs::file_size(p.source->file);
        in.requested_spec = p.source->requested_spec;
        in.link_source = fs::absolute(p.source->file).string();
        in.paths = std::move(p.paths);
        summary.files += in.paths.size();
        const std::string record = "conda-meta/" + ex.index.stem() + ".json";
        if (journal) {
            // Written beside and renamed in, so a rollback knows it by its inode.
            const fs::path next = tmp.path() / ("record-" + std::to_string(dists.size()) + ".json");
            write_new(next, prefix_record_json(in), 0644);
            journal->move_aside(record);
            journal->place(next, record);
        } else {
            write_new(dest / record, prefix_record_json(in), 0644);
        }
        dists.push_back(dist_string(p.source->channel, ex.index.subdir, ex.index.stem()));
    }
    std::string command = o.command;
    for (auto& c : command)
        if (c == '\n' || c == '\r')
            c = ' ';
    std::vector<std::string> gone;
    for (const auto* r : removed)
        gone.push_back(dist_string(r->channel, r->subdir, r->stem()));
    std::string history = history_entry(utc_now(), command, dists, o.specs, gone);
    if (journal) {
        // The old history plus the new entry, swapped in whole.
        const fs::path old = dest / "conda-meta" / "history";
        if (struct stat st{}; ::lstat(old.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            std::string before = read_whole(old);
            if (!before.empty() && !before.ends_with('\n'))
                before += '\n';
            history = before + history;
        }
        const fs::path next = tmp.path() / "history";
        write_new(next, history, 0644);
        journal->move_aside("conda-meta/history");
        journal->place(next, "conda-meta/history");
    } else {
        write_new(dest / "conda-meta" / "history", history, 0644);
    }
    summary.packages = packages.size() - kept;
    summary.removed = removed.size();
    summary.unchanged = kept;
    test_crash_point("meta-written");
    if (o.before_commit)
        o.before_commit(dest);
    if (created)
        created->commit();
    if (journal)
        journal->commit();
    if (o.journal)
        tmp.release();  // it holds the backup: the durable journal's commit or rollback removes it
    else
        tmp.remove();
    return summary;
}

}  // namespace airlock::install::conda
