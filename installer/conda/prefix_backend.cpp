#include "installer/conda/prefix_backend.hpp"

#include "core/base/error.hpp"
#include "core/base/program.hpp"
#include "core/base/terminal_text.hpp"
#include "core/conda/match_spec.hpp"
#include "core/conda/package_filename.hpp"
#include "installer/conda/channel_records.hpp"
#include "installer/conda/explicit_file.hpp"
#include "installer/conda/prefix_installer.hpp"
#include "installer/host/conda_platform.hpp"
#include "installer/host/process.hpp"
#include "installer/install/install_journal.hpp"
#include "installer/install/temp_tree.hpp"
#include "installer/install/venv_backend.hpp"

#include <cctype>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

namespace airlock::install::conda {
namespace fs = std::filesystem;
namespace {

bool is_empty_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read " + quote(path.string()));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Built only from a checked TargetName.
std::string explicit_path(const bundle::BundleTarget& t) {
    return "airlock/conda." + t.name.str() + ".txt";
}

std::string subdir_of(const bundle::BundleTarget& t) {
    return t.conda_subdir ? t.conda_subdir->str() : std::string("?");
}

struct Planned {
    ExplicitPackage line;
    const bundle::BundleFile* file = nullptr;
    ChannelRecord record;
};

/// The target's conda packages in install order, each checked against the manifest (so it was
/// verified) and the bundle's channel (same sha256, md5, size).
std::vector<Planned> plan_packages(const UnpackedBundle& b) {
    const auto& m = b.manifest;
    const std::string rel = explicit_path(b.target);
    if (!m.find(rel))
        throw Error("the bundle lists no " + quote(rel) + " for target " + quote(b.target.name))
            .with_hint("the bundle is incomplete; rebuild it with airlock-build");
    auto lines = within("reading " + quote(rel),
                        [&] { return parse_explicit_file(read_text(b.root / rel)); });
    if (lines.empty())
        throw Error(quote(rel) + " lists no packages");
    std::map<std::string, std::map<std::string, ChannelRecord>> channel;
    std::vector<Planned> out;
    for (auto& line : lines) {
        within(quote(line.filename) + " (from " + quote(rel) + ")", [&] {
            if (line.subdir != "noarch" && line.subdir != subdir_of(b.target))
                throw Error("it is a package of " + quote(line.subdir) +
                            ", the target's subdir is " + quote(subdir_of(b.target)));
            Planned p;
            p.file = m.find(line.bundle_path());
            if (!p.file)
                throw Error("the bundle's manifest lists no " + quote(line.bundle_path()));
            if (!line.sha256.empty() && line.sha256 != p.file->sha256)
                throw Error("its sha256 in " + quote(rel) + " is " + line.sha256 +
                            ", the manifest says " + p.file->sha256);
            auto [it, fresh] = channel.try_emplace(line.subdir);
            if (fresh) {
                const std::string repodata = "conda/" + line.subdir + "/repodata.json";
                if (!m.find(repodata))
                    throw Error("the bundle's manifest lists no " + quote(repodata));
                it->second = within("reading " + quote(repodata),
                                    [&] { return read_repodata(b.root / repodata); });
            }
            auto rec = it->second.find(line.filename);
            if (rec == it->second.end())
                throw Error("conda/" + line.subdir + "/repodata.json has no record of it");
            p.record = rec->second;
            check_record(p.record, *p.file);
            check_record_identity(p.record, line.filename, line.subdir);
            if (p.record.md5.empty())
                p.record.md5 = p.file->md5;
            p.line = std::move(line);
            out.push_back(std::move(p));
        });
    }
    return out;
}

std::map<std::string, std::string> requested_specs(const bundle::BundleTarget& t) {
    std::map<std::string, std::string> out;
    for (const auto& spec : t.conda_specs)
        if (auto s = airlock::conda::MatchSpec::try_parse(spec.str()); s && s->name())
            out[s->name()->normalized()] = spec.str();
    return out;
}

std::string file_url(const fs::path& path) {
    // Local paths of the temporary tree: percent-encode what is not plain.
    std::string out = "file://";
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : path.string()) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c == '+')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> tool_command(const fs::path& tool, const fs::path& prefix,
                                      const fs::path& channel_dir, const fs::path& explicit_file) {
    return {tool.string(),
            "create",
            "--yes",
            "--offline",
            "--override-channels",
            "-c",
            file_url(channel_dir),
            "--prefix",
            prefix.string(),
            "--file",
            explicit_file.string()};
}

PrefixBackend::PrefixBackend(PrefixBackendOptions options) : o_(std::move(options)) {
    prefix_ = fs::absolute(o_.prefix).lexically_normal();
    if (!prefix_.has_filename())
        prefix_ = prefix_.parent_path();
}

void PrefixBackend::check_destination() const {
    for (char c : prefix_.string())
        if (static_cast<unsigned char>(c) < 0x20)
            throw Error("the prefix " + quote(terminal_text(prefix_.string())) +
                            " holds a control character",
                        Exit::usage);
    std::error_code ec;
    if (o_.update) {
        if (o_.use)
            throw Error("--update cannot be combined with --use", Exit::usage)
                .with_hint("leave --use out: airlock updates the environment itself");
        if (!fs::is_directory(fs::symlink_status(prefix_ / "conda-meta", ec)) ||
            !fs::is_directory(fs::symlink_status(prefix_, ec)))
            throw Error(quote(prefix_.string()) +
                        " is not a conda environment (no conda-meta/ directory)")
                .with_hint(
                    "--update replaces the packages of an existing environment; leave it "
                    "out to create a new one");
    } else if (fs::exists(fs::symlink_status(prefix_, ec)) && !is_empty_dir(prefix_)) {
        throw Error(quote(prefix_.string()) + " exists and is not an empty directory")
            .with_hint(
                "choose a new directory for --prefix (it is created), or pass --update to update "
                "the conda environment in it (only what changes is replaced)");
    }
    if (o_.use && *o_.use != "conda" && *o_.use != "mamba" && *o_.use != "micromamba")
        throw Error("--use " + quote(terminal_text(*o_.use)) + ": not a tool airlock can use",
                    Exit::usage)
            .with_hint(
                "pass --use conda, --use mamba or --use micromamba, or leave --use out "
                "(airlock creates the environment itself)");
}

const bundle::BundleTarget& PrefixBackend::choose(const bundle::BundleManifest& m,
                                                  const std::optional<std::string>& wanted,
                                                  host::HasGpu gpu, std::ostream&) {
    if (o_.use) {
        tool_ = host::find_on_path(*o_.use);
        if (!tool_)
            throw Error("--use " + *o_.use + ": `" + *o_.use + "` was not found on PATH")
                .with_hint("install " + *o_.use +
                           " or put it on PATH, or leave --use out: airlock creates the "
                           "environment itself, without conda");
    }
    host_ = host::probe_host();
    driver_ = host::probe_cuda_driver();
    const auto host_subdir = host::conda_subdir_of(host_);
    const std::string host_text =
        host_.describe() + (host_subdir ? " (conda subdir " + *host_subdir + ")" : "");
    std::vector<std::string> offers;
    const bundle::BundleTarget* best = nullptr;
    bool best_matches_gpu = false;
    for (const auto& t : m.targets) {
        if (wanted && t.name != *wanted)
            continue;
        const bool conda = t.carries(bundle::Ecosystem::conda) && t.conda_subdir;
        offers.push_back(t.name.str() + " (" +
                         (conda ? "conda " + subdir_of(t) : std::string("pip only")) +
                         (t.cuda ? ", CUDA " + *t.cuda : "") + ")");
        std::vector<std::string> problems;
        if (!conda) {
            problems.push_back("it carries no conda packages; install it with --venv DIR");
        } else {
            if (!host_subdir || *host_subdir != subdir_of(t))
                problems.push_back("its conda packages are for " + subdir_of(t) + " (" +
                                   host::describe_conda_subdir(subdir_of(t)) + "), this host is " +
                                   host_text);
            if (auto glibc = host::glibc_of_platform_tag(t.platform);
                glibc && host_.glibc && host::compare_numeric(*host_.glibc, *glibc) < 0)
                problems.push_back("it needs glibc " + *glibc + " (" + t.platform +
                                   "), this host has glibc " + *host_.glibc);
        }
        if (wanted && !problems.empty()) {
            std::string why;
            for (const auto& p : problems)
                why += (why.empty() ? "" : "; ") + p;
            throw Error("the target " + quote(t.name) + " cannot be installed here: " + why);
        }
        if (!problems.empty())
            continue;
        const bool matches_gpu = (gpu == host::HasGpu::yes) == t.cuda.has_value();
        if (!best || (matches_gpu && !best_matches_gpu)) {
            best = &t;
            best_matches_gpu = matches_gpu;
        }
    }
    if (best)
        return *best;
    if (wanted)
        throw Error("the bundle has no target " + quote(terminal_text(*wanted)))
            .with_hint(
                "leave --target out, or pass one of the bundle's targets (airlock-install "
                "list BUNDLE)");
    std::string all;
    for (const auto& o : offers)
        all += (all.empty() ? "" : ", ") + o;
    throw Error("no target of the bundle has conda packages for this host, " + host_text)
        .with_hint("the bundle has " + (all.empty() ? std::string("no targets") : all) +
                   "; rebuild it with a conda target for " + host_subdir.value_or("this host"));
}

fs::path PrefixBackend::temp_parent() const {
    return prefix_.parent_path();
}

std::string PrefixBackend::describe_tool() const {
    return tool_ ? tool_->string() + " (--use " + *o_.use + ")"
                 : std::string("airlock's conda installer");
}

std::optional<fs::path> PrefixBackend::journaled_destination() const {
    return prefix_;
}

std::string PrefixBackend::destination() const {
    return o_.prefix.string();
}

void PrefixBackend::plan_destination(std::ostream& out) const {
    out << "  prefix:      " << prefix_.string()
        << (o_.update ? " (to be updated: only what changes)" : " (to be created)") << "\n";
}

std::vector<std::string> PrefixBackend::plan_steps(const bundle::BundleManifest& m,
                                                   const bundle::BundleTarget& t,
                                                   const fs::path& unpacked) const {
    std::size_t n = 0;
    for (const auto* f : m.files_for(t.name))
        if (f->path.str().starts_with("conda/") && !f->package.empty())
            ++n;
    std::vector<std::string> steps;
    const std::string rel = explicit_path(t);
    if (tool_)
        steps.push_back(host::render_command(tool_command(*tool_, prefix_, unpacked / "conda",
                                                          unpacked / (rel + ".local"))) +
                        "   (" + std::to_string(n) + " conda packages)");
    else if (o_.update)
        steps.push_back("update the conda environment " + prefix_.string() + " to the " +
                        std::to_string(n) + " conda packages in the order of " + rel +
                        " (unchanged ones stay; each new one checked against its "
                        "info/paths.json)");
    else
        steps.push_back("create the conda environment " + prefix_.string() + " from " +
                        std::to_string(n) + " conda packages in the order of " + rel +
                        " (each checked against its info/paths.json)");
    if (t.carries(bundle::Ecosystem::pip) &&
        m.find("airlock/requirements." + t.name.str() + ".txt"))
        steps.push_back(
            host::render_command(pip_command(prefix_ / "bin" / "python", unpacked / "wheels",
                                             unpacked / requirements_path(m, t))) +
            "   (the new environment's Python; without PIP_*, PYTHONPATH, …)");
    return steps;
}

void PrefixBackend::install(const UnpackedBundle& b, std::ostream& out, std::ostream& err) {
    auto planned = plan_packages(b);

    // Host checks against what the packages need, before anything is written to the prefix.
    std::string problems;
    for (const auto& p : planned)
        for (const auto& d : p.record.depends) {
            if (auto why = host::glibc_problem(d, host_, p.line.filename); !why.empty())
                problems += "\n  " + terminal_text(why);
            // A CUDA target was already checked against the driver as a whole.
            if (b.target.cuda)
                continue;
            if (auto why = host::cuda_problem(d, driver_, p.line.filename); !why.empty())
                err << "warning: " << terminal_text(why) << "\n";
        }
    if (!problems.empty())
        throw Error("the conda packages of target " + quote(b.target.name) +
                    " cannot run on this host (" + host_.describe() + "):" + problems)
            .with_hint("rebuild the bundle for this host's glibc (the target's __glibc)");

    const bool with_pip =
        b.target.carries(bundle::Ecosystem::pip) &&
        b.manifest.find("airlock/requirements." + b.target.name.str() + ".txt") != nullptr;
    auto pip_part = [&](const fs::path& prefix) {
        if (!with_pip)
            return;
        run_pip(prefix / "bin" / "python", b, out,
                o_.update ? "see pip's message above; the conda environment was put back as it was"
                          : "see pip's message above; the conda environment created for this "
                            "install was removed");
    };

    if (tool_) {
        const fs::path list = b.root / (explicit_path(b.target) + ".local");
        std::string text = "@EXPLICIT\n";
        for (const auto& p : planned)
            text += file_url(b.root / p.line.bundle_path()) + "#" + p.file->sha256 + "\n";
        {
            std::ofstream f(list, std::ios::binary);
            f << text;
            if (!f)
                throw Error("cannot write " + quote(list.string()));
        }
        if (b.journal)
            b.journal->new_destination();
        CreatedDirectory created(prefix_);
        auto argv = tool_command(*tool_, prefix_, b.root / "conda", list);
        out << "$ " << host::render_command(argv) << "\n" << std::flush;
        int rc = host::run({argv, host::isolated_environment()});
        throw_if_interrupted();
        if (rc != 0)
            throw Error(*o_.use + " failed (exit " + std::to_string(rc) +
                        ") creating the environment " + quote(prefix_.string()))
                .with_hint("see its message above; the prefix was removed");
        pip_part(prefix_);
        created.commit();
        return;
    }

    PrefixOptions po;
    po.prefix = prefix_;
    po.update = o_.update;
    po.tmp_dir = b.root;
    po.command = o_.command;
    for (const auto& s : b.target.conda_specs)
        po.specs.push_back(s.str());
    auto requested = requested_specs(b.target);
    for (const auto& p : planned) {
        CondaPackage c;
        c.file = b.root / p.line.bundle_path();
        c.channel = p.line.channel;
        c.url = p.line.url;
        c.sha256 = p.file->sha256;
        c.md5 = p.record.md5;
        auto name = airlock::conda::PackageFilename::parse(p.line.filename).name.normalized();
        if (auto r = requested.find(name); r != requested.end())
            c.requested_spec = r->second;
        po.packages.push_back(std::move(c));
    }
    po.before_commit = pip_part;
    po.journal = b.journal;
    if (b.journal && !o_.update) {
        b.journal->new_destination();
    } else if (b.journal && with_pip) {
        // pip changes the environment in place, which the journal of moves does not cover: work
        // on a copy at the same path, the original kept aside until the install is committed.
        b.journal->snapshot(out);
    }
    po.progress = b.progress;
    auto summary = install_prefix(po, out, err);
    if (o_.update) {
        out << "updated " << prefix_.string() << ": " << summary.packages
            << " conda packages installed (" << summary.files << " paths), " << summary.removed
            << " removed, " << summary.unchanged << " unchanged\n";
        return;
    }
    out << "installed " << summary.packages << " conda packages (" << summary.files
        << " paths) into " << prefix_.string() << "\n";
}

}  // namespace airlock::install::conda
