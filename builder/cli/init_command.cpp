// `airlock-build init [--from FILE]... [--add-target ...] [-o airlock.toml]`: write a commented
// manifest from a requirements file or environment.yml (or a starter one); never overwrites.

#include "builder/cli/app.hpp"

#include "builder/manifest/composed_manifest.hpp"
#include "core/base/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace airlock::builder {
namespace {

struct InitArgs {
    std::vector<std::string> from;
    std::vector<std::string> add_targets;
    std::string bundle_name;
    std::string bundle_version;
    std::string output = "airlock.toml";
};

/// Writes `text` to `path` whole (a temporary in the same directory, then link(2), which
/// refuses an existing name): no half-written manifest, never one overwritten.
void write_new_file(const std::filesystem::path& path, const std::string& text) {
    auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::string temp = (dir / (".airlock-init-XXXXXX")).string();
    int fd = ::mkstemp(temp.data());
    if (fd < 0)
        throw Error("cannot write in " + quote(dir.string()) + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            throw Error("cannot write " + quote(temp) + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, 0644);
    ::close(fd);
    if (::link(temp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        if (err == EEXIST)
            throw Error(quote(path.string()) + " exists already; init does not overwrite it")
                .with_hint("remove it, or write elsewhere with -o FILE");
        throw Error("cannot write " + quote(path.string()) + ": " + std::strerror(err));
    }
    ::unlink(temp.c_str());
}

/// A URL in `text` written with a literal `user:password@` (not `${VAR}`): what init would put
/// in a file, which airlock never does.
std::string literal_credentials(const std::string& text) {
    static const std::regex userinfo(R"(([A-Za-z][A-Za-z0-9+.-]*)://([^/\s"'@]*)@)");
    for (std::sregex_iterator it(text.begin(), text.end(), userinfo), end; it != end; ++it) {
        if ((*it)[2].str().find("${") == std::string::npos)
            return (*it)[1].str() + "://…@";
    }
    return "";
}

void run_init(const InitArgs& args) {
    manifest::InputFiles inputs;
    for (const auto& file : args.from) {
        std::filesystem::path path(file);
        auto name = path.filename().string();
        if (name.ends_with(".toml")) {
            if (!inputs.pylock_pins.empty())
                throw Error("init takes one pylock.toml", Exit::usage);
            inputs.pylock_pins = path;
        } else if (name.ends_with(".yml") || name.ends_with(".yaml")) {
            if (!inputs.environment.empty())
                throw Error("init takes one environment file", Exit::usage);
            inputs.environment = path;
        } else {
            inputs.requirements.push_back(path);
        }
    }
    inputs.add_targets = args.add_targets;
    inputs.bundle_name = args.bundle_name;
    inputs.bundle_version = args.bundle_version;
    if (std::filesystem::exists(args.output))
        throw Error(quote(args.output) + " exists already; init does not overwrite it")
            .with_hint("remove it, or write elsewhere with -o FILE");
    auto composed = manifest::compose_manifest(inputs, true);
    // What init writes must read back as a manifest (and lock the same as the inputs).
    within("checking the manifest made from " + manifest::describe_inputs(inputs), [&] {
        // `${VAR}`s stay in the file; their values are not needed to check it.
        auto any = [](std::string_view) { return std::optional<std::string>("x"); };
        manifest::parse_manifest(composed.text, args.output, any);
    });
    if (auto url = literal_credentials(composed.text); !url.empty())
        throw Error("an index or channel URL of " + manifest::describe_inputs(inputs) +
                    " carries a user or password (" + url +
                    "), and airlock writes no credentials into files")
            .with_hint(
                "write the secret as a variable in the input (https://user:${TOKEN}@host/simple: "
                "pip and airlock both expand it), or add it to ~/.netrc");
    write_new_file(args.output, composed.text);
    std::cout << "wrote " << args.output << "; check its [[target]]s, then run `airlock-build "
              << "lock " << args.output << " -o lock/`\n";
}

}  // namespace

void add_init_command(CLI::App& app) {
    auto args = std::make_shared<InitArgs>();
    auto* cmd = app.add_subcommand(
        "init",
        "Write a commented manifest from requirements files, an environment.yml or a "
        "pylock.toml (or a starter one). Never overwrites.");
    cmd->footer(
        "Examples:\n  airlock-build init --from requirements.txt > torch-lab.toml\n  airlock-build "
        "init --from environment.yml");
    cmd->add_option("--from", args->from,
                    "a pip requirements file, a conda environment.yml / .yaml, or a PEP 751 "
                    "pylock.toml (its packages become pinned, hashed requirements)")
        ->type_name("FILE");
    cmd->add_option("--add-target", args->add_targets,
                    "a target for the manifest (repeatable; default: an example Linux target)")
        ->type_name("NAME:PLATFORM:PYTHON[:CUDA]");
    cmd->add_option("--bundle-name", args->bundle_name,
                    "the manifest's [bundle] name (default: the environment.yml's name, else "
                    "`bundle`)")
        ->type_name("NAME");
    cmd->add_option("--bundle-version", args->bundle_version,
                    "the manifest's [bundle] version (default: 1.0.0)")
        ->type_name("VERSION");
    cmd->add_option("-o,--output", args->output, "the manifest to write (default: airlock.toml)");
    cmd->callback([args] { within("cannot write the manifest", [&] { run_init(*args); }); });
}

}  // namespace airlock::builder
