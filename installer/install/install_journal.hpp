#pragma once
/// The on-disk journal of one install (write-ahead, like a database's undo log): before each step
/// that changes the destination, the step is appended to `<parent>/.<name>.airlock-journal` and
/// fsync'd, so that after a `kill -9`, a power cut or a full disk the next airlock-install that
/// touches the destination rolls the interrupted install back and the destination is exactly as it
/// was before. Steps it covers:
///   - a new destination (venv or conda prefix): rolled back by removing it;
///   - a snapshot of an existing one (a venv pip adds to, a prefix with a pip part): the directory
///     is renamed aside and copied back to its own path, so pip changes only the copy; rolled back
///     by putting the original back (same files, same inodes);
///   - the moves of `install --prefix --update` (prefix_journal.hpp): a path moved aside into the
///     backup directory is moved back; a path moved in is removed when it is still the one moved
///     in (same inode);
///   - temporary trees (beside the destination or in --tmp-dir): removed; their name prefix is
///     recorded before they are made.
/// The journal file stays locked (flock) by this process and its children until they are gone, so
/// a recovery never runs while anything still writes.

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace airlock::install {

class InstallJournal {
  public:
    /// The journal of `destination` (an absolute path).
    static std::filesystem::path path_for(const std::filesystem::path& destination);

    /// Rolls back the install into `destination` that a journal left unfinished, telling `out`
    /// what it found and what it restored. Returns false when there was nothing to recover.
    /// Waits (up to a bound) while another airlock-install, or a dying child of one, holds it.
    static bool recover(const std::filesystem::path& destination, std::ostream& out);

    /// Starts the journal of an install into `destination` (absolute; its parent must exist);
    /// `what` names it in a later recovery ("bundle `x` 1.0"). Call recover() first.
    InstallJournal(std::filesystem::path destination, std::string what, std::ostream& err);
    /// Without commit(): rolls everything back (a failure inside this process).
    ~InstallJournal();
    InstallJournal(const InstallJournal&) = delete;
    InstallJournal& operator=(const InstallJournal&) = delete;

    const std::filesystem::path& destination() const { return destination_; }

    /// The name prefix for temporary trees in `parent`: `base` (`.airlock-…-`) and a stamp unique
    /// to this install. Recorded before any such tree is made (TempTree(parent, prefix)); a
    /// rollback or commit removes every tree of that name, so a kill between making one and
    /// recording it leaves nothing behind.
    std::string temp_prefix(const std::filesystem::path& parent, const std::string& base);
    /// The destination does not exist yet (or is an empty directory): a rollback removes it (or
    /// empties it again).
    void new_destination();
    /// Moves the existing destination aside and copies it back to its own path; a rollback puts
    /// the original back, a commit deletes it. Costs a full copy (time and space).
    void snapshot(std::ostream& out);
    /// Where moved-aside paths go (inside a temporary tree on the destination's filesystem).
    void backup_dir(const std::filesystem::path& dir);
    /// About to move `destination/rel` into the backup directory.
    void aside(const std::string& rel);
    /// About to rename a new path whose inode is `ino` to `destination/rel`.
    void moved_in(const std::string& rel, ino_t ino);
    /// About to create `destination/rel`, which does not exist now, in place.
    void created(const std::string& rel);
    /// Makes everything appended since the last sync durable (fdatasync).
    void sync();

    /// Keeps the install: flushes the destination's filesystem (syncfs), marks the journal
    /// committed, removes the snapshot, the backup, the temporary trees and the directories that
    /// moving aside left empty, then the journal (a recovery after the mark does the same).
    /// Throws (nothing committed) when the flush fails.
    void commit();
    /// Undoes every recorded step in reverse order (idempotent), then removes the journal.
    void rollback() noexcept;

  private:
    void append(std::string_view verb, std::string_view arg, std::string_view arg2 = {});
    std::filesystem::path destination_;
    std::filesystem::path file_;
    std::string stamp_;  ///< pid and start time: unique to this install
    std::ostream& err_;
    int fd_ = -1;
    std::string pending_;
    std::vector<std::string> lines_;
    bool done_ = false;
};

/// The test-only hook: when AIRLOCK_TEST_CRASH_AT names `step`, the process kills itself with
/// SIGKILL there (tests/reliability/test_install_crash.py). Steps: journal-written, unpacked,
/// venv-created, snapshot-moved, snapshot-copied, pip-done, moved-aside, moved-in,
/// byte-compiled, meta-written, committing (the commit mark is durable), committed (the journal is
/// gone: what is left is the finished install).
void test_crash_point(std::string_view step);

}  // namespace airlock::install
