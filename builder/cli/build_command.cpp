// `airlock-build build MANIFEST -o BUNDLE [--key PREFIX.key]`: resolve (or reuse --lock DIR),
// fetch, and write one signed, reproducible bundle.

#include "builder/cli/app.hpp"
#include "builder/cli/conda_closure.hpp"
#include "builder/cli/fetch_flags.hpp"
#include "builder/cli/input_flags.hpp"
#include "builder/cli/locked_closure.hpp"
#include "builder/cli/settings_flags.hpp"
#include "builder/lock/conda_lock.hpp"
#include "builder/lock/pylock.hpp"
#include "builder/lock/requirements_txt.hpp"
#include "builder/pack/output_destination.hpp"
#include "builder/pack/pack.hpp"
#include "builder/pack/signing_key.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"

#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>

namespace airlock::builder {
namespace {

struct BuildArgs {
    InputFlags inputs;
    std::string lock_dir;
    std::string output;
    std::string key;
    bool zstd = false;
    std::string split_size;
    std::string sequence;
    bool self_extracting = false;
    std::string installer;
    FetchFlags flags;
    SettingsFlags settings;
};

/// The static installer a self-extracting bundle starts with: --installer, else the one beside
/// this program (build/bin/airlock-install-static, or /usr/bin/airlock-install from the .deb,
/// which is static). write_bundle checks that it is static.
std::filesystem::path static_installer(const std::string& given) {
    if (!given.empty())
        return given;
    std::error_code ec;
    auto dir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
    for (const char* name : {"airlock-install-static", "airlock-install"}) {
        if (!ec && std::filesystem::is_regular_file(dir / name))
            return dir / name;
    }
    throw Error("--self-extracting needs the static installer, and none is beside " +
                quote(dir.string()))
        .with_hint(
            "pass --installer PATH (build/bin/airlock-install-static, or "
            "/usr/bin/airlock-install from the airlock-install package)");
}

pack::PackTarget pack_target(const manifest::Manifest& manifest, const manifest::TargetSpec& spec,
                             const lock::TargetLock& lock) {
    pack::PackTarget target;
    target.name = spec.name;
    // The minor version ("3.12" for "3.12.4"): the installer picks an interpreter by it; the
    // lock's requires_python ("==3.12.4") keeps the patch release.
    target.python = spec.python.substr(0, spec.python.find('.', spec.python.find('.') + 1));
    target.platform = spec.platform;
    target.cuda = spec.cuda;
    target.requires_python = lock.requires_python;
    target.ecosystems.clear();
    // A [conda]-only manifest carries no pip part (`lock` writes no pylock for it).
    if (!manifest.conda || !manifest.python.requirements.empty()) {
        target.ecosystems.push_back(bundle::Ecosystem::pip);
        target.pylock_toml = lock::format_pylock(lock);
        target.requirements_txt = lock::format_requirements(lock);
    }
    if (manifest.conda) {
        if (!lock.conda)
            throw Error("the lock of target " + quote(spec.name) + " has no conda part");
        target.ecosystems.push_back(bundle::Ecosystem::conda);
        target.conda_subdir = lock.conda->subdir;
        target.conda_specs = manifest.conda->specs;
        target.conda_explicit = lock::format_conda_explicit(spec.name, *lock.conda);
        target.conda_lock_toml = lock::format_conda_lock(spec.name, *lock.conda);
    }
    return target;
}

/// Parts smaller than this are a mistake (`--split-size 4` meaning 4G), never a need.
constexpr std::uint64_t min_split_size = 1ull << 20;

/// `--sequence`: a whole number; CLI11 would turn "-5" into a huge unsigned one.
std::uint64_t parse_sequence(const std::string& text) {
    std::uint64_t value = 0;
    bool ok = !text.empty() && text.size() <= 20;
    for (char c : text) {
        if (c < '0' || c > '9' ||
            value > (std::numeric_limits<std::uint64_t>::max() - (c - '0')) / 10) {
            ok = false;
            break;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!ok) {
        throw Error("--sequence " + quote(text) + " is not a whole number of 0 or more",
                    Exit::usage)
            .with_hint(
                "installers refuse a bundle whose sequence is lower than one they "
                "installed; use an increasing number, e.g. --sequence $(date +%s)");
    }
    return value;
}

void run_build(const BuildArgs& args) {
    args.inputs.check_lock_dir(args.lock_dir);
    args.flags.check();
    auto loaded = args.settings.load(args.inputs, args.flags.cert, args.flags.given_retries(),
                                     args.flags.given_stall_timeout());
    const auto& manifest = loaded.manifest;

    pack::PackInput input;
    input.name = manifest.bundle.name;
    input.version = manifest.bundle.version;
    input.options.output = args.output;
    input.options.progress = args.flags.progress_mode();
    input.options.compression = args.zstd ? bundle::Compression::zstd : bundle::Compression::none;
    if (!args.sequence.empty())
        input.options.sequence = parse_sequence(args.sequence);
    if (args.self_extracting) {
        if (!args.split_size.empty())
            throw Error("--self-extracting and --split-size do not go together", Exit::usage);
        input.options.installer = static_installer(args.installer);
    } else if (!args.installer.empty()) {
        throw Error("--installer is only for --self-extracting", Exit::usage);
    }
    if (!args.split_size.empty()) {
        input.options.split_size = pack::try_parse_size(args.split_size);
        if (!input.options.split_size || *input.options.split_size == 0) {
            throw Error("--split-size " + quote(args.split_size) + " is not a size", Exit::usage)
                .with_hint("write it like 4G (FAT32 sticks), 4480M (a DVD) or 650MiB");
        }
        if (*input.options.split_size < min_split_size) {
            throw Error("--split-size " + quote(args.split_size) + " is below the minimum of " +
                            human_size(min_split_size) +
                            " (a bundle of parts that small would "
                            "be thousands of files)",
                        Exit::usage)
                .with_hint(
                    "write the size with a unit: 4G (FAT32 sticks), 4480M (a DVD), "
                    "650MiB; a bare number counts bytes");
        }
    }
    // The destination and the key first: a read-only directory or a wrong password should fail
    // before minutes of downloading.
    auto output_dirs = within("checking the output " + quote(args.output),
                              [&] { return pack::prepare_output(args.output); });
    if (!args.key.empty())
        input.key = pack::load_signing_key(args.key);

    auto options = args.flags.options();
    options.network = manifest::network_options(manifest, loaded.settings, options.network);
    resolve::ResolveOptions resolve_options;
    resolve_options.cache_dir = args.flags.cache_dir;
    resolve_options.network = options.network;
    resolve_options.retries = loaded.settings.retries;
    resolve_options.progress = args.flags.progress_mode();
    auto locks = args.inputs.pylock.empty()
                     ? obtain_locks(manifest, args.lock_dir, resolve_options, args.settings.verbose)
                     : locks_from_pylock(manifest, args.inputs.pylock, {});
    auto files = closure_files(locks);
    auto conda_files = conda_closure_files(locks);
    std::uint64_t bundle_bytes = 0;
    for (const auto& f : files)
        bundle_bytes += f.file->size.value_or(0);
    for (const auto& f : conda_files)
        bundle_bytes += f.package->size;
    pack::check_free_space(args.output, bundle_bytes);
    // Wheels and conda packages in one run of the engine, through one cache.
    auto items = fetch_items(files);
    auto conda_items = conda_fetch_items(conda_files);
    items.insert(items.end(), conda_items.begin(), conda_items.end());
    auto fetched =
        within("downloading the locked files", [&] { return fetch::fetch_all(items, options); });

    for (std::size_t i = 0; i < manifest.targets.size(); ++i) {
        input.targets.push_back(pack_target(manifest, manifest.targets[i], locks[i]));
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& entry = files[i];
        pack::PayloadFile file;
        file.name = entry.file->name;
        file.blob = fetched[i].blob;
        file.sha256 = fetched[i].sha256;
        file.size = fetched[i].size;
        file.urls.push_back(entry.file->url);
        file.urls.insert(file.urls.end(), entry.file->mirrors.begin(), entry.file->mirrors.end());
        file.targets = entry.targets;
        file.package = entry.package->name;
        file.version = entry.package->version;
        input.files.push_back(std::move(file));
    }
    for (std::size_t i = 0; i < conda_files.size(); ++i) {
        const auto& entry = conda_files[i];
        const auto& got = fetched[files.size() + i];
        pack::PayloadFile file;
        file.name = entry.package->file;
        file.blob = got.blob;
        file.sha256 = got.sha256;
        file.size = got.size;
        file.urls.push_back(entry.package->url);
        file.targets = entry.targets;
        file.conda = conda_record(*entry.package);
        file.conda->sha256 = got.sha256;  // computed; the lock's when it had one
        input.files.push_back(std::move(file));
    }

    auto result = within("writing the bundle " + quote(args.output),
                         [&] { return pack::write_bundle(input); });
    output_dirs->commit();
    if (!args.flags.quiet) {
        std::cout << "bundle " << manifest.bundle.name << " " << manifest.bundle.version << ": "
                  << input.files.size() << " files, " << human_size(result.bytes) << ", "
                  << (input.key ? "signed" : "UNSIGNED") << "\n";
        for (const auto& part : result.files)
            std::cout << "  " << part.string() << "\n";
        if (args.self_extracting) {
            std::cout << "self-extracting: run `" << result.files.front().string()
                      << " install --key KEY.pub --venv DIR` (or verify, list, export) on the "
                         "offline machine\n";
        }
    }
}

}  // namespace

void add_build_command(CLI::App& app) {
    auto args = std::make_shared<BuildArgs>();
    auto* cmd = app.add_subcommand(
        "build",
        "Resolve (or reuse --lock DIR), download and verify every file, and write one signed, "
        "reproducible bundle (a pax tar) for airlock-install.");
    cmd->footer(
        "Examples:\n  airlock-build build manifests/torch-lab.toml --lock lock/ --key site.key -o "
        "torch-lab.airlock\n  airlock-build build manifests/torch-lab.toml --key site.key "
        "--split-size 4G -o /media/usb/torch-lab.airlock");
    args->inputs.add_to(cmd);
    args->inputs.add_bundle_flags_to(cmd);
    cmd->add_option("-o,--output", args->output, "the bundle file to write")->required();
    cmd->add_option("--key", args->key,
                    "minisign secret key from `airlock-build keygen` (without it the bundle is "
                    "marked unsigned and installers refuse it unless --allow-unsigned)");
    cmd->add_option("--lock", args->lock_dir,
                    "reuse the pylock.<target>.toml files `airlock-build lock` wrote here");
    cmd->add_flag("--zstd", args->zstd,
                  "compress with zstd (wheels are already compressed: rarely worth it)");
    cmd->add_option(
        "--split-size", args->split_size,
        "write BUNDLE.part000, .part001, … of at most this size (4G for FAT32; at least 1M)");
    cmd->add_option("--sequence", args->sequence,
                    "the bundle's sequence number (default: SOURCE_DATE_EPOCH, else now); "
                    "installers refuse a lower one than they have installed");
    cmd->add_flag("--self-extracting", args->self_extracting,
                  "write one executable: the static airlock-install followed by the bundle, so "
                  "`./FILE install --key KEY.pub --venv DIR` works on a bare machine");
    cmd->add_option("--installer", args->installer,
                    "the static installer for --self-extracting (default: airlock-install-static "
                    "or airlock-install beside this program)");
    args->flags.add_to(cmd);
    args->settings.add_to(cmd);
    cmd->callback([args] {
        within("cannot build bundle from " + args->inputs.describe(), [&] { run_build(*args); });
    });
}

}  // namespace airlock::builder
