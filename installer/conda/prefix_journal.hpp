#pragma once
/// The changes `install --prefix DIR --update` makes to an existing environment, each one
/// recorded as it is made so that all of them can be undone: a path moved aside into a backup
/// directory (of a removed package, or replaced), or a path moved in from the staging tree (or
/// written in place). Until commit(), destruction undoes everything in reverse order, so the
/// prefix is exactly as it was (the same files, the same inodes). After commit() the backup is
/// the caller's to delete.
///
/// With a durable journal (install_journal.hpp) every change is first appended to it and fsync'd
/// (one fsync per batch), so a `kill -9` or power cut is rolled back by the next run; undoing
/// is then the durable journal's rollback (one mechanism for both).

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace airlock::install {
class InstallJournal;
}

namespace airlock::install::conda {

class PrefixJournal {
  public:
    /// `backup` must not exist and must be on the prefix's filesystem (renames only).
    PrefixJournal(std::filesystem::path prefix, std::filesystem::path backup, std::ostream& err,
                  InstallJournal* durable = nullptr);
    ~PrefixJournal();
    PrefixJournal(const PrefixJournal&) = delete;
    PrefixJournal& operator=(const PrefixJournal&) = delete;

    /// Moves `prefix/rel` into the backup when it exists (nothing to do otherwise). Refuses a
    /// path whose parent inside the prefix is a symlink (it would lead out of the prefix).
    void move_aside(const std::string& rel);
    /// move_aside() for each of `rels`, journaled as one batch.
    void move_aside_all(const std::vector<std::string>& rels);
    /// Moves every entry of the tree `stage` to the same place in the prefix: directories that
    /// exist in both are merged, anything else in the way is moved aside first (with a
    /// warning); a file where the prefix has a directory is an error.
    void move_in(const std::filesystem::path& stage);
    /// Records `prefix/rel`, about to be written in place, as new (removed when undoing).
    void created(const std::string& rel);
    /// created() for each of `rels`, journaled as one batch.
    void created_all(const std::vector<std::string>& rels);
    /// Renames the new file `file` (on the prefix's filesystem) to `prefix/rel`, which must not
    /// exist (move it aside first).
    void place(const std::filesystem::path& file, const std::string& rel);

    /// Keeps the changes; removes the directories left empty by moving aside (best effort). With a
    /// durable journal that is left to its commit (InstallJournal::commit()), the only point after
    /// which the changes stay.
    void commit();

  private:
    struct Move {
        bool aside;  ///< move `rel` aside (in the way), else move it in from the stage
        std::string rel;
    };
    /// Checks that `rel` can be moved aside; false when there is nothing there.
    bool can_move_aside(const std::string& rel) const;
    void do_move_aside(const std::string& rel);
    void plan_tree(const std::filesystem::path& stage, const std::string& rel_dir,
                   std::vector<Move>& plan);
    void undo() noexcept;

    struct Step {
        enum Kind { moved_aside, moved_in } kind;
        std::string rel;
    };
    std::filesystem::path prefix_;
    std::filesystem::path backup_;
    std::ostream& err_;
    InstallJournal* durable_;
    std::vector<Step> steps_;
    bool committed_ = false;
};

}  // namespace airlock::install::conda
