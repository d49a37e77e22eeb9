#include "builder/manifest/composed_manifest.hpp"

#include "builder/manifest/environment_yml.hpp"
#include "builder/manifest/pylock_requirements.hpp"
#include "builder/manifest/requirements_file.hpp"
#include "builder/manifest/target_fields.hpp"
#include "builder/manifest/target_flag.hpp"
#include "builder/net/url.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/base/toml_string.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>

namespace airlock::manifest {
namespace {

std::string place(const SourceLocation& at) {
    return at.file + ":" + std::to_string(at.line);
}

/// Top-level keys of a manifest text, and `target.NAME` for each [[target]] name (empty when
/// it is not TOML: parse_manifest reports that).
std::set<std::string> top_level_keys(const std::string& text, const std::filesystem::path& path) {
    std::set<std::string> keys;
    try {
        auto doc = toml::parse(text, path.string());
        for (auto&& [key, value] : doc) {
            keys.insert(std::string(key.str()));
            if (key.str() == "target" && value.is_array())
                for (auto&& t : *value.as_array())
                    if (auto name = t.as_table() ? (*t.as_table())["name"].value<std::string>()
                                                 : std::nullopt)
                        keys.insert("target." + *name);
        }
    } catch (const toml::parse_error&) {
    }
    return keys;
}

void check_url(const UrlLine& url, const std::string& option) {
    if (url.url.find("${") != std::string::npos)
        return;  // the manifest expands and checks it
    std::optional<net::Credentials> secret;
    try {
        net::Url::parse(url.url, &secret);
    } catch (const Error& e) {
        throw Error(option + " " + quote(net::redact(url.url)) + " (" + place(url.where) +
                    ") is not an absolute http(s):// or file:// URL");
    }
}

/// The [[index]] tables of a requirements file's index options (pip: --index-url replaces
/// PyPI, --extra-index-url adds to it).
std::string index_tables(const RequirementsFile& file) {
    // --find-links first (asked before the indexes: local wheels win), as find_links indexes.
    std::string out;
    std::size_t links = 0;
    for (const auto& link : file.find_links) {
        out += "# --find-links, " + place(link.where) +
               "\n[[index]]\nname = " + toml_string("find-links-" + std::to_string(++links)) +
               "\nfind_links = " + toml_string(link.url) + "\n\n";
    }
    if (file.no_index) {
        if (!file.find_links.empty())
            return out;
        throw Error("--no-index without --find-links leaves no place to take packages from")
            .with_hint("remove --no-index, or give the index with --index-url");
    }
    std::string primary = "https://pypi.org/simple";
    std::string comment = "# PyPI (pip's default: no --index-url given)\n";
    if (!file.index_urls.empty()) {
        const auto& last = file.index_urls.back();
        check_url(last, "--index-url");
        primary = last.url;
        comment = "# --index-url, " + place(last.where) + "\n";
    }
    out += comment + "[[index]]\nname = " +
           toml_string(primary == "https://pypi.org/simple" ? "pypi" : "index") +
           "\nurl = " + toml_string(primary) + "\n\n";
    std::set<std::string> seen{primary};
    std::size_t n = 0;
    for (const auto& extra : file.extra_index_urls) {
        check_url(extra, "--extra-index-url");
        if (!seen.insert(extra.url).second)
            continue;
        out += "# --extra-index-url, " + place(extra.where) +
               "\n[[index]]\nname = " + toml_string("extra-" + std::to_string(++n)) +
               "\nurl = " + toml_string(extra.url) + "\n\n";
    }
    return out;
}

/// The [[index]] tables of a pylock's packages: the main one, then each other with the
/// packages the lock took from it.
std::string pylock_index_tables(const PylockRequirements& pinned,
                                const std::filesystem::path& path) {
    std::string out;
    std::size_t n = 0;
    for (const auto& index : pinned.indexes) {
        out += "# from " + path.string() + "\n[[index]]\nname = " +
               toml_string(n == 0 ? "index" : "index-" + std::to_string(n)) +
               "\nurl = " + toml_string(index.url) + "\n";
        if (!index.packages.empty())
            out += "packages = " + toml_string_array(index.packages) + "\n";
        out += "\n";
        ++n;
    }
    return out;
}

std::string string_lines(const std::vector<RequirementLine>& lines) {
    std::string out;
    for (const auto& line : lines)
        out += "    " + toml_string(line.text) + ",  # " + place(line.where) + "\n";
    return out;
}

/// [python] from the requirements files and the environment's `pip:` section.
std::string python_table(const RequirementsFile& file, ComposedManifest& out) {
    std::string text = "[python]\nrequirements = [\n" + string_lines(file.requirements) + "]\n";
    for (const auto& r : file.requirements)
        out.requirement_origins.push_back(r.where);
    if (!file.constraints.empty()) {
        text += "# constraints (-c): they limit versions without requiring the package\n";
        text += "constraints = [\n" + string_lines(file.constraints) + "]\n";
        for (const auto& r : file.constraints)
            out.constraint_origins.push_back(r.where);
    }
    if (file.pre)
        text += "prereleases = \"allow\"  # --pre\n";
    if (file.require_hashes) {
        std::map<std::string, std::vector<std::string>> hashes;
        for (const auto* list : {&file.requirements, &file.constraints})
            for (const auto& r : *list)
                for (const auto& h : r.sha256) {
                    auto& pins = hashes[r.name];
                    if (std::find(pins.begin(), pins.end(), "sha256:" + h) == pins.end())
                        pins.push_back("sha256:" + h);
                }
        text +=
            "\n# --hash pins (pip's hash-checking mode): every package of the lock needs one, and "
            "its\n# wheel must have one of these digests\n[python.hashes]\n";
        for (const auto& [name, pins] : hashes)
            // An init-capture: clang before 16 cannot capture a structured binding.
            text += name + " = [\n" + [&pins = pins] {
                std::string s;
                for (const auto& p : pins)
                    s += "    " + toml_string(p) + ",\n";
                return s;
            }() + "]\n";
    }
    return text + "\n";
}

std::string conda_table(const EnvironmentFile& env, const std::filesystem::path& path) {
    // Without `channels`, .condarc's (the manifest's fallback for a [conda] without them).
    std::string text =
        "# from " + path.string() + "\n[conda]\n" +
        (env.channels.empty()
             ? "# no `channels` in " + path.filename().string() + ": .condarc's channels\n"
             : "channels = " + toml_string_array(env.channels) + "\n") +
        "specs = [\n";
    for (std::size_t i = 0; i < env.specs.size(); ++i)
        text += "    " + toml_string(env.specs[i]) + ",  # " + place(env.where[i]) + "\n";
    return text + "]\n\n";
}

/// `--bundle-name`, `--bundle-version`: the grammar of [bundle] name and version.
void check_bundle_flags(const InputFiles& inputs) {
    if (!inputs.bundle_name.empty() && !is_safe_name(inputs.bundle_name))
        throw Error("--bundle-name " + quote(inputs.bundle_name) +
                        ": a bundle name may only use letters, digits, `.`, `_` and `-` (it "
                        "names files)",
                    Exit::usage);
    const auto& v = inputs.bundle_version;
    if (std::any_of(v.begin(), v.end(),
                    [](unsigned char c) { return c <= ' ' || c == 0x7f || c == '/' || c == '\\'; }))
        throw Error("--bundle-version " + quote(v) +
                        ": a bundle version may not contain spaces, control characters or "
                        "slashes",
                    Exit::usage)
            .with_hint("e.g. --bundle-version 2026.12.1");
}

}  // namespace

std::string describe_inputs(const InputFiles& inputs) {
    std::vector<std::string> names;
    if (!inputs.manifest.empty())
        names.push_back(inputs.manifest.string());
    for (const auto& r : inputs.requirements)
        names.push_back(r.string());
    if (!inputs.environment.empty())
        names.push_back(inputs.environment.string());
    if (!inputs.pylock_pins.empty())
        names.push_back(inputs.pylock_pins.string());
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + quote(names[i]);
    return out.empty() ? "the command line" : out;
}

ComposedManifest compose_manifest(const InputFiles& inputs, bool starter) {
    ComposedManifest out;
    std::set<std::string> existing;
    std::string own;
    if (!inputs.manifest.empty()) {
        out.path = inputs.manifest;
        own = read_file(inputs.manifest, "the manifest");
        existing = top_level_keys(own, inputs.manifest);
    } else if (!inputs.requirements.empty()) {
        out.path = inputs.requirements.front();
    } else if (!inputs.environment.empty()) {
        out.path = inputs.environment;
    } else if (!inputs.pylock_pins.empty()) {
        out.path = inputs.pylock_pins;
    } else {
        out.path = "airlock.toml";
    }

    std::vector<TargetSpec> targets;
    for (const auto& value : inputs.add_targets)
        targets.push_back(parse_target_flag(value));
    RequirementsFile requirements;
    for (const auto& path : inputs.requirements)
        read_requirements_file(path, requirements);
    std::optional<EnvironmentFile> environment;
    if (!inputs.environment.empty()) {
        environment = read_environment_file(inputs.environment, inputs.condarc_channels
                                                                    ? CondarcChannels::given
                                                                    : CondarcChannels::none);
        auto& pip = environment->pip;
        requirements.requirements.insert(requirements.requirements.end(), pip.requirements.begin(),
                                         pip.requirements.end());
        requirements.constraints.insert(requirements.constraints.end(), pip.constraints.begin(),
                                        pip.constraints.end());
        for (auto* list : {&pip.index_urls, &pip.extra_index_urls, &pip.find_links}) {
            auto& into = list == &pip.index_urls         ? requirements.index_urls
                         : list == &pip.extra_index_urls ? requirements.extra_index_urls
                                                         : requirements.find_links;
            into.insert(into.end(), list->begin(), list->end());
        }
        requirements.no_index = requirements.no_index || pip.no_index;
        requirements.pre = requirements.pre || pip.pre;
        requirements.require_hashes = requirements.require_hashes || pip.require_hashes;
    }
    std::optional<PylockRequirements> pinned;
    if (!inputs.pylock_pins.empty()) {
        if (!inputs.requirements.empty() || environment)
            throw Error("a pylock.toml is read alone: its packages are the whole environment",
                        Exit::usage);
        pinned = read_pylock_requirements(inputs.pylock_pins);
        requirements = pinned->requirements;
    }
    check_hash_mode(requirements);
    bool with_python = !requirements.requirements.empty() || !requirements.constraints.empty();

    std::string text;
    if (own.empty()) {
        text += "# airlock manifest";
        if (!inputs.requirements.empty() || environment || pinned)
            text += ", made from " + describe_inputs(inputs);
        text +=
            ".\n# Lock it with `airlock-build lock THIS -o lock/`, bundle it with `airlock-build "
            "build THIS -o BUNDLE.tar --key KEY`.\n\n";
    } else {
        text = own;
        if (!text.empty() && text.back() != '\n')
            text += "\n";
        text += "\n# ---- added from the command line: " + describe_inputs(inputs) + "\n\n";
    }
    check_bundle_flags(inputs);
    if (!existing.count("bundle")) {
        std::string name = !inputs.bundle_name.empty()                 ? inputs.bundle_name
                           : environment && !environment->name.empty() ? environment->name
                                                                       : "bundle";
        std::string version = inputs.bundle_version.empty() ? "1.0.0" : inputs.bundle_version;
        text += "[bundle]\nname = " + toml_string(name) +
                (!inputs.bundle_name.empty()                 ? "  # --bundle-name"
                 : environment && !environment->name.empty() ? "  # `name` of the environment file"
                                                             : "") +
                "\nversion = " + toml_string(version) +
                (inputs.bundle_version.empty() ? "" : "  # --bundle-version") + "\n\n";
    }
    if (targets.empty() && !existing.count("target")) {
        if (!starter) {
            throw Error("no target: nothing says which platforms and Pythons to bundle for")
                .with_hint(
                    "add --add-target NAME:PLATFORM:PYTHON[:CUDA], e.g. --add-target "
                    "linux-py312:manylinux_2_28_x86_64:3.12");
        }
        text +=
            "# Where the bundle will be installed: one [[target]] per platform and Python (edit "
            "this example).\n# platform is a wheel platform tag (manylinux_2_28_x86_64, "
            "win_amd64, macosx_11_0_arm64, ...);\n# cuda = \"12.4\" picks CUDA builds.\n";
        targets.push_back(parse_target_flag("linux-py312:manylinux_2_28_x86_64:3.12"));
    } else if (!targets.empty()) {
        text += "# Where the bundle will be installed: one [[target]] per platform and Python.\n";
    }
    std::set<std::string> names;
    for (const auto& t : targets) {
        if (existing.count("target." + t.name) || !names.insert(t.name).second)
            throw Error("--add-target " + quote(t.name) + ": " +
                            (existing.count("target." + t.name)
                                 ? "the manifest has a target of that name already"
                                 : "given twice") +
                            "; give each target its own name",
                        Exit::usage);
        text += target_toml(t);
    }

    if (!inputs.pylock.empty() && existing.count("python")) {
        throw Error("--pylock " + quote(inputs.pylock.string()) + " and the [python] section of " +
                        quote(inputs.manifest.string()) +
                        " both say which Python packages to bundle; airlock takes them from one",
                    Exit::usage)
            .with_hint(
                "drop --pylock to resolve the manifest's [python] requirements, or use a "
                "manifest without [python] (its targets and indexes still count) to take the "
                "packages exactly as the pylock.toml locks them");
    }
    if (with_python) {
        if (existing.count("python")) {
            throw Error("the manifest " + quote(inputs.manifest.string()) +
                        " has [python] already, and the command line gives requirements too")
                .with_hint("list the requirements in one place: the manifest or the files");
        }
        bool index_options = !requirements.index_urls.empty() ||
                             !requirements.extra_index_urls.empty() ||
                             !requirements.find_links.empty() || requirements.no_index;
        if (existing.count("index") && index_options) {
            throw Error("the manifest " + quote(inputs.manifest.string()) +
                        " lists [[index]]es, and the requirements give index options too")
                .with_hint(
                    "list the indexes in one place: drop --index-url/--extra-index-url from the "
                    "requirements, or [[index]] from the manifest");
        }
        // Without index options, pip's own settings (pip.conf, PIP_INDEX_URL) decide when the
        // caller has them; otherwise pip's default, PyPI.
        bool settings_decide = !index_options && !inputs.default_index;
        if (!existing.count("index") && !settings_decide)
            text += pinned ? pylock_index_tables(*pinned, inputs.pylock_pins)
                           : index_tables(requirements);
        text += python_table(requirements, out);
    }
    if (environment && !environment->specs.empty()) {
        if (existing.count("conda")) {
            throw Error("the manifest " + quote(inputs.manifest.string()) +
                        " has [conda] already, and " + quote(inputs.environment.string()) +
                        " lists conda dependencies too")
                .with_hint("list the conda specs in one place: the manifest or the file");
        }
        text += conda_table(*environment, inputs.environment);
        for (std::size_t i = 0; i < environment->channels.size(); ++i)
            if (environment->channels[i] != "defaults")
                out.channel_origins.push_back(environment->channel_where[i]);
    }
    if (own.empty() && !with_python && !(environment && !environment->specs.empty()) &&
        inputs.pylock.empty()) {
        text +=
            "# What to bundle: PEP 508 requirements, taken from the [[index]]es.\n"
            "[[index]]\nname = \"pypi\"\nurl = \"https://pypi.org/simple\"\n\n"
            "[python]\nrequirements = [\n    \"requests>=2.32\",\n]\n\n";
    }
    out.text = std::move(text);
    return out;
}

Manifest load_inputs(const InputFiles& given, const ManifestDefaults& defaults) {
    if (!given.manifest.empty() && given.requirements.empty() && given.environment.empty() &&
        given.add_targets.empty() && given.pylock.empty() && given.bundle_name.empty() &&
        given.bundle_version.empty())
        return load_manifest(given.manifest, defaults);
    auto inputs = given;
    if (!defaults.indexes.empty() || !defaults.override_indexes.empty())
        inputs.default_index = false;
    inputs.condarc_channels = !defaults.conda.channels.empty();
    auto composed = compose_manifest(inputs);
    // Without a manifest file, messages about the generated text name it as such.
    std::filesystem::path label =
        inputs.manifest.empty()
            ? std::filesystem::path("(manifest made from " + composed.path.string() + ")")
            : composed.path;
    auto manifest =
        parse_manifest(composed.text, label, process_env,
                       !inputs.pylock.empty() ? Packages::optional : Packages::required, defaults);
    manifest.path = composed.path;
    // A manifest's own [bundle] gives way to the command line's.
    if (!inputs.bundle_name.empty())
        manifest.bundle.name = inputs.bundle_name;
    if (!inputs.bundle_version.empty())
        manifest.bundle.version = inputs.bundle_version;
    // The manifest file cannot have [python] too (compose_manifest refuses it): the
    // requirements are all ours, and their messages point at the files they came from.
    for (std::size_t i = 0; i < composed.requirement_origins.size(); ++i)
        if (i < manifest.python.where.size())
            manifest.python.where[i] = composed.requirement_origins[i];
    // Likewise the channels of an environment file (a manifest with [conda] refuses them).
    if (manifest.conda && !composed.channel_origins.empty()) {
        std::size_t k = 0;
        for (auto& channel : manifest.conda->channels)
            if (channel.where.file == label.string() && k < composed.channel_origins.size())
                channel.where = composed.channel_origins[k++];
    }
    for (std::size_t i = 0; i < composed.constraint_origins.size(); ++i)
        if (i < manifest.python.constraint_where.size())
            manifest.python.constraint_where[i] = composed.constraint_origins[i];
    return manifest;
}

}  // namespace airlock::manifest
