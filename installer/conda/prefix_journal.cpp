#include "installer/conda/prefix_journal.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "installer/install/install_journal.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

namespace airlock::install::conda {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void system_error(const std::string& what, const fs::path& path) {
    throw Error(what + " " + quote(terminal_text(path.string())) + ": " + std::strerror(errno));
}

bool lexists(const fs::path& p, struct stat& st) {
    return ::lstat(p.c_str(), &st) == 0;
}

}  // namespace

PrefixJournal::PrefixJournal(fs::path prefix, fs::path backup, std::ostream& err,
                             InstallJournal* durable)
    : prefix_(std::move(prefix)), backup_(std::move(backup)), err_(err), durable_(durable) {
    if (durable_)
        durable_->backup_dir(backup_);
    if (::mkdir(backup_.c_str(), 0700) != 0)
        system_error("cannot create the backup directory", backup_);
}

PrefixJournal::~PrefixJournal() {
    if (!committed_)
        undo();
}

bool PrefixJournal::can_move_aside(const std::string& rel) const {
    struct stat st {};
    // Every parent inside the prefix must be a real directory.
    fs::path at = prefix_;
    const fs::path relp(rel);
    for (auto it = relp.begin(); it != relp.end(); ++it) {
        if (std::next(it) == relp.end())
            break;
        at /= *it;
        if (!lexists(at, st))
            return false;  // nothing there to move
        if (!S_ISDIR(st.st_mode))
            throw Error("cannot remove " + quote(terminal_text(rel)) + ": " +
                        quote(terminal_text(at.lexically_relative(prefix_).string())) +
                        " in the prefix is not a directory");
    }
    return lexists(prefix_ / rel, st);
}

void PrefixJournal::do_move_aside(const std::string& rel) {
    const fs::path src = prefix_ / rel;
    const fs::path dst = backup_ / rel;
    std::error_code ec;
    fs::create_directories(dst.parent_path(), ec);
    if (ec)
        throw Error("cannot create " + quote(dst.parent_path().string()) + ": " + ec.message());
    if (::rename(src.c_str(), dst.c_str()) != 0)
        system_error("cannot move aside", src);
    steps_.push_back({Step::moved_aside, rel});
}

void PrefixJournal::move_aside(const std::string& rel) {
    move_aside_all({rel});
}

void PrefixJournal::move_aside_all(const std::vector<std::string>& rels) {
    std::vector<std::string> todo;
    for (const auto& rel : rels)
        if (can_move_aside(rel))
            todo.push_back(rel);
    if (durable_) {
        for (const auto& rel : todo)
            durable_->aside(rel);
        durable_->sync();
    }
    for (const auto& rel : todo)
        do_move_aside(rel);
}

void PrefixJournal::created(const std::string& rel) {
    created_all({rel});
}

void PrefixJournal::created_all(const std::vector<std::string>& rels) {
    if (durable_) {
        for (const auto& rel : rels)
            durable_->created(rel);
        durable_->sync();
    }
    for (const auto& rel : rels)
        steps_.push_back({Step::moved_in, rel});
}

void PrefixJournal::place(const fs::path& file, const std::string& rel) {
    const fs::path dst = prefix_ / rel;
    struct stat st {};
    if (!lexists(file, st))
        system_error("cannot read", file);
    if (durable_) {
        durable_->moved_in(rel, st.st_ino);
        durable_->sync();
    }
    if (::rename(file.c_str(), dst.c_str()) != 0)
        system_error("cannot move into the prefix", dst);
    steps_.push_back({Step::moved_in, rel});
}

void PrefixJournal::move_in(const fs::path& stage) {
    // Planned whole first (a clash is refused before anything moves), journaled as one batch,
    // then done.
    std::vector<Move> plan;
    plan_tree(stage, "", plan);
    std::vector<std::pair<std::string, ino_t>> inodes;
    if (durable_) {
        for (const auto& m : plan) {
            if (m.aside) {
                durable_->aside(m.rel);
                continue;
            }
            struct stat s {};
            if (!lexists(stage / m.rel, s))
                system_error("cannot read", stage / m.rel);
            durable_->moved_in(m.rel, s.st_ino);
        }
        durable_->sync();
    }
    for (const auto& m : plan) {
        if (m.aside) {
            do_move_aside(m.rel);
            continue;
        }
        const fs::path src = stage / m.rel;
        const fs::path dst = prefix_ / m.rel;
        if (::rename(src.c_str(), dst.c_str()) != 0)
            system_error("cannot move into the prefix", dst);
        steps_.push_back({Step::moved_in, m.rel});
    }
}

void PrefixJournal::plan_tree(const fs::path& stage, const std::string& rel_dir,
                              std::vector<Move>& plan) {
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(stage / rel_dir, ec), end; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename().string());
    if (ec)
        throw Error("cannot read " + quote((stage / rel_dir).string()) + ": " + ec.message());
    for (const auto& name : names) {
        const std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
        const fs::path src = stage / rel;
        const fs::path dst = prefix_ / rel;
        struct stat s {
        }, d{};
        if (!lexists(src, s))
            system_error("cannot read", src);
        if (lexists(dst, d)) {
            if (S_ISDIR(s.st_mode) && S_ISDIR(d.st_mode)) {
                plan_tree(stage, rel, plan);
                continue;
            }
            if (S_ISDIR(d.st_mode))
                throw Error("the new packages hold a file at " + quote(terminal_text(rel)) +
                            ", a directory in the prefix");
            err_ << "warning: the update replaces " << terminal_text(rel)
                 << ", which no removed package listed\n";
            if (can_move_aside(rel))
                plan.push_back({true, rel});
        }
        plan.push_back({false, rel});
    }
}

void PrefixJournal::undo() noexcept {
    if (durable_) {
        durable_->rollback();
        steps_.clear();
        return;
    }
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
        std::error_code ec;
        const fs::path p = prefix_ / it->rel;
        if (it->kind == Step::moved_in) {
            fs::remove_all(p, ec);
        } else {
            fs::create_directories(p.parent_path(), ec);
            if (::rename((backup_ / it->rel).c_str(), p.c_str()) != 0)
                err_ << "error: could not restore " << terminal_text(p.string()) << " from "
                     << terminal_text((backup_ / it->rel).string()) << ": " << std::strerror(errno)
                     << "\n";
        }
        if (ec)
            err_ << "error: could not undo " << terminal_text(p.string()) << ": " << ec.message()
                 << "\n";
    }
    steps_.clear();
}

void PrefixJournal::commit() {
    committed_ = true;
    if (durable_) {
        // The directories left empty go when the durable journal is committed (its replay), so a
        // kill before its commit mark still rolls back into the very same directories.
        steps_.clear();
        return;
    }
    for (const auto& s : steps_) {
        if (s.kind != Step::moved_aside)
            continue;
        for (fs::path dir = (prefix_ / s.rel).parent_path();
             dir != prefix_ && dir.string().size() > prefix_.string().size();
             dir = dir.parent_path())
            if (::rmdir(dir.c_str()) != 0)
                break;
    }
    steps_.clear();
}

}  // namespace airlock::install::conda
