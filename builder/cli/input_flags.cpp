#include "builder/cli/input_flags.hpp"

#include "core/base/error.hpp"

namespace airlock::builder {

void InputFlags::add_to(CLI::App* cmd) {
    cmd->add_option("manifest", manifest,
                    "the manifest (TOML); optional with --requirements, --environment or "
                    "--pylock");
    cmd->add_option("-r,--requirements", requirements,
                    "a pip requirements file (repeatable): -r/-c includes, --hash pins (checked), "
                    "--index-url, --extra-index-url, --pre and markers are honoured")
        ->type_name("FILE");
    cmd->add_option("--environment", environment,
                    "a conda environment.yml: channels, dependencies and its pip: section; its "
                    "name becomes the bundle's")
        ->type_name("FILE");
    cmd->add_option("--pylock", pylock,
                    "a PEP 751 pylock.toml: its locked files are taken as they are, per target "
                    "by their markers (no resolution)")
        ->type_name("FILE");
    cmd->add_option("--add-target", add_targets,
                    "a target defined here (repeatable), e.g. "
                    "linux-py312:manylinux_2_28_x86_64:3.12:12.4")
        ->type_name("NAME:PLATFORM:PYTHON[:CUDA]");
}

void InputFlags::add_bundle_flags_to(CLI::App* cmd) {
    cmd->add_option("--bundle-name", bundle_name,
                    "the bundle's name, over the manifest's [bundle] name (default without a "
                    "manifest: the environment.yml's name, else `bundle`)")
        ->type_name("NAME");
    cmd->add_option("--bundle-version", bundle_version,
                    "the bundle's version, over the manifest's [bundle] version (default "
                    "without a manifest: 1.0.0)")
        ->type_name("VERSION");
}

void InputFlags::check_lock_dir(const std::string& lock_dir) const {
    if (pylock.empty() || lock_dir.empty())
        return;
    throw Error("--pylock " + quote(pylock) + " and --lock " + quote(lock_dir) +
                    " both give the locked packages; airlock takes them from one",
                Exit::usage)
        .with_hint(
            "drop --lock to take the packages as the pylock.toml locks them, or drop --pylock to "
            "reuse "
            "the lock files `airlock-build lock` wrote in " +
            quote(lock_dir));
}

manifest::InputFiles InputFlags::files() const {
    manifest::InputFiles files;
    files.manifest = manifest;
    files.requirements.assign(requirements.begin(), requirements.end());
    files.environment = environment;
    files.add_targets = add_targets;
    files.pylock = pylock;
    files.bundle_name = bundle_name;
    files.bundle_version = bundle_version;
    return files;
}

std::string InputFlags::describe() const {
    if (manifest.empty() && requirements.empty() && environment.empty() && !pylock.empty())
        return quote(pylock);
    return manifest::describe_inputs(files());
}

manifest::Manifest InputFlags::load(const manifest::ManifestDefaults& defaults) const {
    if (manifest.empty() && requirements.empty() && environment.empty() && pylock.empty()) {
        throw Error(
            "nothing to read: give a manifest, or --requirements, --environment or "
            "--pylock",
            Exit::usage)
            .with_hint("`airlock-build init` writes a starter manifest");
    }
    if (!pylock.empty() && (!requirements.empty() || !environment.empty()))
        throw Error(
            "--pylock takes the packages from the lock; it does not go with "
            "--requirements or --environment",
            Exit::usage);
    return manifest::load_inputs(files(), defaults);
}

}  // namespace airlock::builder
