#pragma once
/// Anti-rollback state (the TUF idea of refusing older metadata, applied to bundles): the highest
/// `sequence` installed per bundle name, kept in a small TOML file.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace airlock::install {

struct InstalledBundle {
    std::uint64_t sequence = 0;
    std::string version;
    std::string installed_at;  ///< RFC 3339 UTC
};

/// The state file location: `$AIRLOCK_STATE_DIR/state.toml`; else `/var/lib/airlock/state.toml`
/// for root; else `$XDG_STATE_HOME/airlock/state.toml` (default `~/.local/state/airlock/`).
std::filesystem::path default_state_file();

enum class Downgrade { refuse, allow };

class RollbackState {
  public:
    /// `recorded` ends the refusal message: "installed on this machine", "exported to `DIR`".
    explicit RollbackState(std::filesystem::path file,
                           std::string recorded = "installed on this machine");

    /// The record for `bundle`, read from the file now (nullopt when never installed).
    std::optional<InstalledBundle> installed(const std::string& bundle) const;

    /// Throws Error when `sequence` is lower than the highest installed for `bundle` and
    /// `downgrade` is refuse, naming both sequences and versions.
    void check(const std::string& bundle, std::uint64_t sequence, const std::string& version,
               Downgrade downgrade) const;

    /// Records an install (keeps the highest sequence; with allow a lower one replaces it so a
    /// deliberate rollback becomes the new floor). Read-modify-write under an exclusive lock,
    /// written to a temporary file and renamed.
    void record(const std::string& bundle, std::uint64_t sequence, const std::string& version,
                Downgrade downgrade);

    const std::filesystem::path& file() const { return file_; }

    /// Every record, read from the file now.
    std::map<std::string, InstalledBundle> load() const;

  private:
    std::filesystem::path file_;
    std::string recorded_;
};

}  // namespace airlock::install
