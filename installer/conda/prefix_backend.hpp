#pragma once
/// The conda backend of `install`: a bundle target whose ecosystems include conda becomes a conda
/// environment at `--prefix` — its packages installed in the order of
/// `airlock/conda.<target>.txt` with airlock's own prefix installer (prefix_installer.hpp; or with
/// conda, mamba or micromamba from the host, `--use`), then, for mixed targets, the pip part with
/// the new environment's own Python. All or nothing: a failure at any step leaves no prefix (with
/// `--update`: the existing prefix as it was).

#include "installer/host/cuda_driver.hpp"
#include "installer/host/host.hpp"
#include "installer/install/backend.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install::conda {

struct PrefixBackendOptions {
    std::filesystem::path prefix;  ///< must not exist, or be an empty directory (see update)
    /// `--update`: the prefix is an existing conda environment; replace only what changes, and
    /// leave it as it was on any failure.
    bool update = false;
    /// `conda`, `mamba` or `micromamba`: create the environment with that program from PATH
    /// (offline, only the bundle's channel) instead of airlock's installer.
    std::optional<std::string> use;
    std::string command;  ///< the command line, for conda-meta/history
};

class PrefixBackend final : public Backend {
  public:
    explicit PrefixBackend(PrefixBackendOptions options);

    void check_destination() const override;
    const bundle::BundleTarget& choose(const bundle::BundleManifest& manifest,
                                       const std::optional<std::string>& wanted, host::HasGpu gpu,
                                       std::ostream& err) override;
    std::filesystem::path temp_parent() const override;
    std::string describe_tool() const override;
    std::optional<std::filesystem::path> journaled_destination() const override;
    std::string destination() const override;
    void plan_destination(std::ostream& out) const override;
    std::vector<std::string> plan_steps(const bundle::BundleManifest& manifest,
                                        const bundle::BundleTarget& target,
                                        const std::filesystem::path& unpacked) const override;
    void install(const UnpackedBundle& bundle, std::ostream& out, std::ostream& err) override;

  private:
    PrefixBackendOptions o_;
    std::filesystem::path prefix_;               ///< absolute
    std::optional<std::filesystem::path> tool_;  ///< the --use program found on PATH
    host::Host host_;
    std::optional<host::CudaDriver> driver_;
};

/// The tool's command line creating `prefix` from `explicit_file` (file:// URLs) with only the
/// bundle's channel `channel_dir`, offline.
std::vector<std::string> tool_command(const std::filesystem::path& tool,
                                      const std::filesystem::path& prefix,
                                      const std::filesystem::path& channel_dir,
                                      const std::filesystem::path& explicit_file);

}  // namespace airlock::install::conda
