#pragma once
/// The pip backend of `install`: one target installed with pip (`--no-index --require-hashes`,
/// isolated from the host's pip configuration) into a venv (created when missing) or an
/// interpreter.

#include "installer/host/interpreter.hpp"
#include "installer/install/backend.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install {

struct VenvOptions {
    std::optional<std::filesystem::path> venv;    ///< created when it does not exist
    std::optional<std::filesystem::path> python;  ///< the interpreter (or the venv's base)
    /// `--sync`: afterwards, uninstall what the target does not list (pip, setuptools and
    /// wheel, the venv's own tools, are kept). Only with `venv`.
    bool sync = false;
};

class VenvBackend final : public Backend {
  public:
    explicit VenvBackend(VenvOptions options) : o_(std::move(options)) {}

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
    void sync_venv(const UnpackedBundle& bundle, std::ostream& out);
    VenvOptions o_;
    host::Interpreter interpreter_;
    bool create_venv_ = false;
    std::filesystem::path python_for_pip_;
};

/// The pip command line (exposed for tests, the dry-run plan and the conda backend's pip part).
std::vector<std::string> pip_command(const std::filesystem::path& python,
                                     const std::filesystem::path& wheels,
                                     const std::filesystem::path& requirements);

/// Runs pip for `target`'s requirements from the unpacked bundle with `python`; throws Error
/// naming the target and bundle when pip fails (`hint` says what was undone).
void run_pip(const std::filesystem::path& python, const UnpackedBundle& bundle, std::ostream& out,
             const std::string& hint);

/// `airlock/requirements.<target>.txt`, refused when the bundle does not list it.
std::string requirements_path(const bundle::BundleManifest& manifest,
                              const bundle::BundleTarget& target);

}  // namespace airlock::install
