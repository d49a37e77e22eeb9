#include "installer/install/install_journal.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/bundle/bundle_manifest.hpp"
#include "core/bundle/checked_text.hpp"
#include "installer/install/marked_processes.hpp"
#include "installer/install/tree_copy.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <ostream>
#include <thread>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view magic = "airlock-install journal 1";

std::string escape(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c <= 0x20 || c == '%' || c == 0x7f) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            auto digit = [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                                   : (c | 0x20) - 'a' + 10;
            };
            out += static_cast<char>(digit(s[i + 1]) * 16 + digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string now_utc() {
    return bundle::rfc3339_utc(std::time(nullptr));
}

bool lexists(const fs::path& p, struct stat& st) {
    return ::lstat(p.c_str(), &st) == 0;
}

bool lexists(const fs::path& p) {
    struct stat st {};
    return lexists(p, st);
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

void write_all(int fd, std::string_view bytes, const fs::path& file) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error("cannot write the install journal " + quote(file.string()) + ": " +
                        std::strerror(errno));
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fdatasync(fd) != 0)
        throw Error("cannot write the install journal " + quote(file.string()) + ": " +
                    std::strerror(errno));
}

/// One journal line: a verb and up to two arguments.
struct Entry {
    std::string verb;
    std::string arg;
    std::string arg2;
    fs::path backup;  ///< for `aside`: the backup directory in force
};

std::vector<Entry> parse(const std::vector<std::string>& lines) {
    std::vector<Entry> out;
    fs::path backup;
    for (const auto& line : lines) {
        Entry e;
        auto sp = line.find(' ');
        e.verb = line.substr(0, sp);
        if (sp != std::string::npos) {
            auto rest = std::string_view(line).substr(sp + 1);
            auto sp2 = rest.find(' ');
            e.arg = unescape(rest.substr(0, sp2));
            if (sp2 != std::string_view::npos)
                e.arg2 = unescape(rest.substr(sp2 + 1));
        }
        if (e.verb == "backup")
            backup = e.arg;
        e.backup = backup;
        out.push_back(std::move(e));
    }
    return out;
}

/// A temporary tree of airlock's (`.airlock-…`, beside the destination or in --tmp-dir).
bool ours_temp(const fs::path& p) {
    return p.is_absolute() && p.lexically_normal() == p &&
           p.filename().string().starts_with(".airlock-");
}

/// A path the journal names beside the destination must be one of airlock's own (a tampered
/// journal must not make recovery remove anything else).
bool ours_beside(const fs::path& p, const fs::path& destination) {
    const auto name = p.filename().string();
    return p.is_absolute() && p.parent_path() == destination.parent_path() &&
           name.starts_with(".") && name.find(".airlock-") != std::string::npos;
}

/// Whether `p` lies inside one of the temporary trees: `temp` entries name a tree, `temps`
/// entries a name prefix (`<parent>/.airlock-…-<stamp>-`) of the trees made with it.
bool ours_within(const fs::path& p, const std::vector<fs::path>& temps,
                 const std::vector<fs::path>& prefixes) {
    if (p.lexically_normal() != p)
        return false;
    for (const auto& t : temps) {
        auto rel = p.lexically_relative(t);
        if (!rel.empty() && *rel.begin() != "..")
            return true;
    }
    for (const auto& t : prefixes) {
        auto rel = p.lexically_relative(t.parent_path());
        if (!rel.empty() && *rel.begin() != ".." &&
            rel.begin()->string().starts_with(t.filename().string()))
            return true;
    }
    return false;
}

/// What a rollback did, for the recovery report.
struct Replayed {
    bool committed = false;
    bool removed_new = false;
    bool restored_snapshot = false;
    int put_back = 0;
    int removed = 0;
    int temps = 0;
    std::vector<std::string> problems;
};

Replayed replay(const fs::path& destination, const std::vector<Entry>& entries) {
    Replayed r;
    std::vector<fs::path> temps;
    std::vector<fs::path> prefixes;
    for (const auto& e : entries) {
        if (e.verb == "commit")
            r.committed = true;
        if (e.verb == "temp" && ours_temp(e.arg))
            temps.push_back(e.arg);
        if (e.verb == "temps" && ours_temp(e.arg))
            prefixes.push_back(e.arg);
    }
    auto problem = [&](const std::string& what, const fs::path& p, const std::string& why) {
        r.problems.push_back(what + " " + terminal_text(p.string()) + ": " + why);
    };
    auto remove_tree = [&](const fs::path& p) {
        std::error_code ec;
        fs::remove_all(p, ec);
        if (ec)
            problem("could not remove", p, ec.message());
        return !ec;
    };
    auto rel_ok = [&](const std::string& rel) {
        if (bundle::is_safe_relative_path(rel))
            return true;
        r.problems.push_back("the journal names an unsafe path " + quote(rel) + "; skipped");
        return false;
    };
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const auto& e = *it;
        if (e.verb == "snapshot") {
            if (!ours_beside(e.arg, destination)) {
                r.problems.push_back("the journal names a foreign snapshot " + quote(e.arg));
                continue;
            }
            if (!lexists(e.arg))
                continue;  // never moved aside, or already put back
            if (r.committed) {
                remove_tree(e.arg);
                continue;
            }
            if (lexists(destination) && !remove_tree(destination))
                continue;
            if (::rename(fs::path(e.arg).c_str(), destination.c_str()) != 0)
                problem("could not put back", destination, std::strerror(errno));
            else
                r.restored_snapshot = true;
        } else if (e.verb == "temp") {  // journals of earlier versions
            if (ours_temp(e.arg) && lexists(e.arg) && remove_tree(e.arg))
                ++r.temps;
        } else if (e.verb == "temps") {
            // Every tree made with the prefix (recorded before the tree was made, so a kill
            // between making it and recording its name leaves nothing behind).
            const fs::path prefix = e.arg;
            if (!ours_temp(prefix))
                continue;
            const auto name = prefix.filename().string();
            std::error_code ec;
            std::vector<fs::path> found;
            for (fs::directory_iterator d(prefix.parent_path(), ec), end; !ec && d != end;
                 d.increment(ec))
                if (d->path().filename().string().starts_with(name))
                    found.push_back(d->path());
            for (const auto& t : found)
                if (remove_tree(t))
                    ++r.temps;
        } else if (r.committed) {
            // The directories that moving aside left empty (a removed package's) go now.
            if (e.verb == "aside" && bundle::is_safe_relative_path(e.arg))
                for (fs::path dir = (destination / e.arg).parent_path();
                     dir.string().size() > destination.string().size(); dir = dir.parent_path())
                    if (::rmdir(dir.c_str()) != 0)
                        break;
            continue;
        } else if (e.verb == "new" || e.verb == "new-empty") {
            struct stat st {};
            if (!lexists(destination, st))
                continue;
            if (e.verb == "new") {
                r.removed_new = remove_tree(destination) || r.removed_new;
                continue;
            }
            std::error_code ec;
            for (fs::directory_iterator d(destination, ec), end; !ec && d != end; d.increment(ec))
                remove_tree(d->path());
            r.removed_new = true;
        } else if (e.verb == "in" || e.verb == "created") {
            if (!rel_ok(e.arg))
                continue;
            const fs::path p = destination / e.arg;
            struct stat st {};
            if (!lexists(p, st))
                continue;
            if (e.verb == "in" && std::to_string(st.st_ino) != e.arg2)
                continue;  // not the path that was moved in (never moved, or already undone)
            if (remove_tree(p))
                ++r.removed;
        } else if (e.verb == "aside") {
            if (!rel_ok(e.arg) || !ours_within(e.backup, temps, prefixes))
                continue;
            const fs::path from = e.backup / e.arg;
            const fs::path to = destination / e.arg;
            if (!lexists(from))
                continue;  // never moved aside, or already put back
            std::error_code ec;
            fs::create_directories(to.parent_path(), ec);
            if (lexists(to))
                remove_tree(to);
            if (::rename(from.c_str(), to.c_str()) != 0)
                problem("could not put back", to, std::strerror(errno));
            else
                ++r.put_back;
        }
    }
    fsync_dir(destination.parent_path());
    return r;
}

std::vector<std::string> read_lines(int fd) {
    std::string text;
    char buf[8192];
    ::lseek(fd, 0, SEEK_SET);
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (true) {
        auto nl = text.find('\n', at);
        if (nl == std::string::npos)
            break;  // a line without its newline was never synced whole: ignored
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    return lines;
}

std::string header_value(const std::vector<Entry>& entries, std::string_view verb) {
    for (const auto& e : entries)
        if (e.verb == verb)
            return e.arg;
    return "";
}

}  // namespace

fs::path InstallJournal::path_for(const fs::path& destination) {
    return destination.parent_path() / ("." + destination.filename().string() + ".airlock-journal");
}

bool InstallJournal::recover(const fs::path& destination, std::ostream& out) {
    const fs::path file = path_for(destination);
    // A journal being created (before it is linked into place) by a killed run: nothing done yet.
    std::error_code ec;
    const std::string stem = file.filename().string() + ".";
    for (fs::directory_iterator it(destination.parent_path(), ec), end; !ec && it != end;
         it.increment(ec)) {
        if (!it->path().filename().string().starts_with(stem))
            continue;
        int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
            ::unlink(it->path().c_str());
        if (fd >= 0)
            ::close(fd);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool told = false;
    while (true) {
        int fd = ::open(file.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            if (errno == ENOENT)
                return false;
            throw Error("cannot open the install journal " + quote(file.string()) + ": " +
                        std::strerror(errno));
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            if (std::chrono::steady_clock::now() > deadline)
                throw Error(
                    "another airlock-install (or a program it started) is still "
                    "installing into " +
                    quote(destination.string()) + ": its journal " + quote(file.string()) +
                    " stays locked")
                    .with_hint("wait for that install to finish, then run this again");
            if (!told)
                out << "waiting for another airlock-install into " << destination.string()
                    << " to finish (its journal " << file.string() << " is locked)\n"
                    << std::flush;
            told = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        struct stat held {
        }, now{};
        if (::fstat(fd, &held) != 0 || ::stat(file.c_str(), &now) != 0 ||
            held.st_ino != now.st_ino) {
            ::close(fd);  // it finished (and removed its journal) while we waited: look again
            continue;
        }
        auto lines = read_lines(fd);
        if (lines.empty() || lines.front() != magic) {
            ::close(fd);
            throw Error("the install journal " + quote(file.string()) +
                        " is not one airlock-install wrote (or is damaged)")
                .with_hint("check " + destination.string() +
                           " by hand, then remove the journal file");
        }
        auto entries = parse(lines);
        const fs::path named = header_value(entries, "destination");
        if (named != destination) {
            ::close(fd);
            throw Error("the install journal " + quote(file.string()) + " is for " +
                        quote(named.string()) + ", not " + quote(destination.string()))
                .with_hint("remove the journal file if it was copied here by mistake");
        }
        out << "recovering: an install into " << terminal_text(destination.string()) << " ("
            << terminal_text(header_value(entries, "what")) << ", airlock-install pid "
            << terminal_text(header_value(entries, "pid")) << ", started "
            << terminal_text(header_value(entries, "started")) << ") did not finish; journal "
            << terminal_text(file.string()) << "\n";
        // Grandchildren of the killed install (ensurepip under `python -m venv`) do not hold the
        // lock: stop them before anything is rolled back under their feet.
        if (auto n =
                stop_marked_processes(header_value(entries, "token"), std::chrono::seconds(10)))
            out << "  stopped " << n << " program" << (n == 1 ? "" : "s")
                << " the interrupted install had started\n";
        auto r = replay(destination, entries);
        if (r.committed) {
            out << "  it had finished; removed what it left behind (" << r.temps
                << " temporary trees and its snapshot)\n";
        } else {
            if (r.restored_snapshot)
                out << "  put back the original " << terminal_text(destination.string())
                    << " from its snapshot (the copy the install was changing is removed)\n";
            if (r.removed_new)
                out << "  removed " << terminal_text(destination.string())
                    << ", which that install had started to create\n";
            if (r.put_back || r.removed)
                out << "  put back " << r.put_back << " paths it had moved aside, removed "
                    << r.removed << " paths it had added\n";
            if (r.temps)
                out << "  removed " << r.temps << " temporary trees beside it\n";
        }
        if (!r.problems.empty()) {
            ::close(fd);
            std::string all;
            for (const auto& p : r.problems)
                all += "\n  " + p;
            throw Error("could not finish rolling back the interrupted install into " +
                        quote(destination.string()) + ":" + all)
                .with_hint("fix the cause (permissions, free space), then run again: the journal " +
                           file.string() + " is kept so the next run retries");
        }
        ::unlink(file.c_str());
        fsync_dir(file.parent_path());
        ::close(fd);
        out << "recovered: " << terminal_text(destination.string())
            << (r.committed ? " holds the finished install\n"
                            : " is as it was before the interrupted install\n")
            << std::flush;
        return true;
    }
}

InstallJournal::InstallJournal(fs::path destination, std::string what, std::ostream& err)
    : destination_(std::move(destination)), file_(path_for(destination_)), err_(err) {
    std::string pattern = file_.string() + ".XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    // Not close-on-exec: pip and the other children hold the lock until they are gone too.
    int fd = ::mkostemp(buf.data(), 0);
    if (fd < 0)
        throw Error("cannot create the install journal " + quote(file_.string()) + ": " +
                    std::strerror(errno))
            .with_hint("the installer records each step beside the destination; check that " +
                       file_.parent_path().string() + " is writable and has free space");
    const fs::path tmp = buf.data();
    stamp_ = std::to_string(::getpid()) + "-" +
             std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    // Names this install in the environment of every program it starts (marked_processes.hpp).
    const std::string token = escape(file_.string()) + "#" + stamp_;
    std::string text = std::string(magic) + "\ndestination " + escape(destination_.string()) +
                       "\nwhat " + escape(what) + "\npid " + std::to_string(::getpid()) +
                       "\nstarted " + now_utc() + "\ntoken " + escape(token) + "\n";
    try {
        if (::flock(fd, LOCK_EX) != 0)
            throw Error("cannot lock " + quote(tmp.string()) + ": " + std::strerror(errno));
        write_all(fd, text, file_);
        if (::link(tmp.c_str(), file_.c_str()) != 0) {
            if (errno == EEXIST)
                throw Error("another airlock-install is installing into " +
                            quote(destination_.string()) + " (its journal " +
                            quote(file_.string()) + " exists)")
                    .with_hint("wait for it to finish, then run this again");
            throw Error("cannot create the install journal " + quote(file_.string()) + ": " +
                        std::strerror(errno));
        }
    } catch (...) {
        ::unlink(tmp.c_str());
        ::close(fd);
        throw;
    }
    ::unlink(tmp.c_str());
    fsync_dir(file_.parent_path());
    fd_ = fd;
    mark_started_processes(token);
    for (std::size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
        lines_.push_back(text.substr(at, nl - at));
    test_crash_point("journal-written");
}

InstallJournal::~InstallJournal() {
    if (!done_)
        rollback();
}

void InstallJournal::append(std::string_view verb, std::string_view arg, std::string_view arg2) {
    std::string line(verb);
    if (!arg.empty())
        line += " " + escape(arg);
    if (!arg2.empty())
        line += " " + escape(arg2);
    lines_.push_back(line);
    pending_ += line + "\n";
}

void InstallJournal::sync() {
    if (pending_.empty())
        return;
    write_all(fd_, pending_, file_);
    pending_.clear();
}

std::string InstallJournal::temp_prefix(const fs::path& parent, const std::string& base) {
    const std::string prefix = base + stamp_ + "-";
    append("temps", (parent / prefix).string());
    sync();
    return prefix;
}

void InstallJournal::new_destination() {
    std::error_code ec;
    append(fs::exists(destination_, ec) ? "new-empty" : "new", "");
    sync();
}

void InstallJournal::snapshot(std::ostream& out) {
    const fs::path saved =
        destination_.parent_path() / ("." + destination_.filename().string() + ".airlock-snapshot");
    if (lexists(saved))
        throw Error(quote(saved.string()) + " exists; it is not this install's")
            .with_hint("an earlier install left it; check and remove it, then run again");
    append("snapshot", saved.string());
    sync();
    if (::rename(destination_.c_str(), saved.c_str()) != 0)
        throw Error("cannot move " + quote(destination_.string()) + " aside to " +
                    quote(saved.string()) + ": " + std::strerror(errno));
    fsync_dir(destination_.parent_path());
    test_crash_point("snapshot-moved");
    out << "snapshot: copying " << terminal_text(destination_.string())
        << " so that it can be put back as it was if the install fails\n"
        << std::flush;
    within("copying " + quote(destination_.string()) + " for its snapshot",
           [&] { copy_tree(saved, destination_); });
    test_crash_point("snapshot-copied");
}

void InstallJournal::backup_dir(const fs::path& dir) {
    append("backup", dir.string());
    sync();
}

void InstallJournal::aside(const std::string& rel) {
    append("aside", rel);
}

void InstallJournal::moved_in(const std::string& rel, ino_t ino) {
    append("in", rel, std::to_string(ino));
}

void InstallJournal::created(const std::string& rel) {
    append("created", rel);
}

void InstallJournal::commit() {
    // pip and the moves wrote through the page cache: the finished install reaches the disk
    // before the commit mark lets a rollback (after a power cut) keep it and the snapshot go.
    int dir = ::open(destination_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0 || ::syncfs(dir) != 0) {
        const int e = errno;
        if (dir >= 0)
            ::close(dir);
        throw Error("cannot flush the finished install in " + quote(destination_.string()) +
                    " to disk: " + std::strerror(e));
    }
    ::close(dir);
    append("commit", "");
    sync();
    test_crash_point("committing");
    auto r = replay(destination_, parse(lines_));
    for (const auto& p : r.problems)
        err_ << "warning: " << p << "\n";
    ::unlink(file_.c_str());
    fsync_dir(file_.parent_path());
    test_crash_point("committed");
    ::close(fd_);
    fd_ = -1;
    done_ = true;
    clear_started_processes_mark();
}

void InstallJournal::rollback() noexcept {
    if (done_)
        return;
    done_ = true;
    clear_started_processes_mark();
    try {
        auto r = replay(destination_, parse(lines_));
        if (!r.problems.empty()) {
            err_ << "error: could not roll back the install into "
                 << terminal_text(destination_.string()) << " completely:\n";
            for (const auto& p : r.problems)
                err_ << "  " << p << "\n";
            err_ << "hint: the journal " << terminal_text(file_.string())
                 << " is kept; the next airlock-install into it retries the rollback\n";
        } else {
            ::unlink(file_.c_str());
            fsync_dir(file_.parent_path());
        }
    } catch (const std::exception& e) {
        err_ << "error: rolling back the install into " << terminal_text(destination_.string())
             << ": " << e.what() << "\n";
    }
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

void test_crash_point(std::string_view step) {
    static const char* wanted = std::getenv("AIRLOCK_TEST_CRASH_AT");
    if (wanted && step == wanted)
        ::kill(::getpid(), SIGKILL);
}

}  // namespace airlock::install
