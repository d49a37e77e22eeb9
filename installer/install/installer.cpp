#include "installer/install/installer.hpp"

#include "core/base/human_size.hpp"

#include "core/base/error.hpp"
#include "core/base/program.hpp"
#include "core/base/terminal_text.hpp"
#include "installer/host/cuda_driver.hpp"
#include "installer/host/interpreter.hpp"
#include "installer/host/process.hpp"
#include "installer/host/target_match.hpp"
#include "installer/install/python_finder.hpp"
#include "installer/install/temp_tree.hpp"
#include "installer/verify/listing.hpp"
#include "installer/verify/trusted_keys.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ostream>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

std::vector<host::TargetOffer> offers_of(const bundle::BundleManifest& m) {
    std::vector<host::TargetOffer> out;
    for (const auto& t : m.targets)
        out.push_back({t.name.str(), t.python, t.platform, t.cuda.value_or("")});
    return out;
}

fs::path venv_python(const fs::path& venv) {
    return venv / "bin" / "python";
}

bool is_venv(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "pyvenv.cfg", ec) && fs::exists(venv_python(dir), ec);
}

bool is_empty_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

bundle::TrustedKeys trusted_keys(const InstallOptions& o) {
    std::error_code ec;
    if (o.keys.empty() && !o.trust_dir && o.allow_unsigned == bundle::AllowUnsigned::yes &&
        !fs::is_directory(verify::default_trust_dir, ec))
        return {};
    return verify::load_trusted_keys(o.keys, o.trust_dir);
}

/// The interpreter to install with, and the chosen target.
struct Choice {
    host::Interpreter interpreter;
    const bundle::BundleTarget* target = nullptr;
};

Choice choose(const InstallOptions& o, const bundle::BundleManifest& m, host::HasGpu gpu,
              std::ostream& err) {
    auto offers = offers_of(m);
    auto pick = [&](const host::Interpreter& in) {
        const auto& offer = host::choose_target(offers, in, o.target, gpu);
        return Choice{in, m.find_target(offer.name)};
    };
    if (o.venv && is_venv(*o.venv)) {
        if (o.python)
            err << "warning: --python " << o.python->string() << " is ignored: " << o.venv->string()
                << " already exists and uses its own interpreter\n";
        return pick(host::probe_interpreter(venv_python(*o.venv)));
    }
    if (o.python)
        return pick(host::probe_interpreter(*o.python));
    // --venv to be created, no --python: find an interpreter for the wanted target, or for any.
    std::vector<const bundle::BundleTarget*> wanted;
    for (const auto& t : m.targets)
        if (!o.target || t.name == *o.target)
            wanted.push_back(&t);
    if (wanted.empty())
        return pick(host::Interpreter{});  // choose_target names the targets
    std::string tried;
    std::optional<Error> last;
    for (const auto* t : wanted) {
        for (const auto& candidate : find_pythons(t->python)) {
            try {
                auto in = host::probe_interpreter(candidate);
                if (in.python_version() != t->python)
                    continue;
                return pick(in);
            } catch (const Error& e) {
                tried += "\n  " + candidate.string() + ": " + e.chain().front();
                last = e;
            }
        }
    }
    std::string pythons;
    for (const auto* t : wanted)
        if (pythons.find("python" + t->python) == std::string::npos)
            pythons += (pythons.empty() ? "python" : ", python") + t->python;
    throw Error("no interpreter for the bundle's targets was found on this host (looked for " +
                pythons + " on PATH and in pyenv)" + tried)
        .with_hint("pass one with --python /path/to/python3.X; the bundle has targets " +
                   host::describe_offers(offers));
}

void print_plan(std::ostream& out, const bundle::BundleManifest& m, const std::string& signer,
                const Choice& c, const InstallOptions& o, const fs::path& python_for_pip,
                bool create_venv, const fs::path& tmp_parent, const fs::path& state_file) {
    auto files = m.files_for(c.target->name);
    std::uint64_t total = 0;
    std::vector<const bundle::BundleFile*> wheels;
    for (const auto* f : files) {
        total += f->size;
        if (!f->package.empty())
            wheels.push_back(f);
    }
    out << "plan: install bundle `" << m.name << "` " << m.version << " (sequence " << m.sequence
        << ", " << signer << ")\n";
    out << "  target:      " << c.target->name << " (CPython " << c.target->python << ", "
        << c.target->platform << (c.target->cuda ? ", CUDA " + *c.target->cuda : "") << ")\n";
    out << "  interpreter: " << c.interpreter.executable.string() << " ("
        << c.interpreter.describe() << ")\n";
    if (o.venv)
        out << "  venv:        " << o.venv->string()
            << (create_venv ? " (to be created)" : " (exists)") << "\n";
    out << "  packages:    " << wheels.size() << " (" << human_size(total)
        << " to verify and unpack)\n";
    for (const auto* w : wheels) {
        out << "    " << terminal_text(w->package) << " " << terminal_text(w->version) << "  "
            << terminal_text(fs::path(w->path.str()).filename().string()) << "  "
            << human_size(w->size) << "\n";
    }
    const fs::path tmp = tmp_parent / (".airlock-" + m.name.str() + "-XXXXXX");
    out << "  steps:\n";
    int n = 1;
    out << "    " << n++ << ". verify every file's size and sha256 while unpacking into "
        << tmp.string() << "\n";
    if (create_venv)
        out << "    " << n++ << ". "
            << host::render_command(
                   {c.interpreter.executable.string(), "-m", "venv", o.venv->string()})
            << "\n";
    out << "    " << n++ << ". "
        << host::render_command(
               pip_command(python_for_pip, tmp / "wheels",
                           tmp / "airlock" / ("requirements." + c.target->name.str() + ".txt")))
        << "   (environment without PIP_*, PYTHONPATH, PYTHONHOME, PYTHONUSERBASE)\n";
    out << "    " << n++ << ". record sequence " << m.sequence << " of `" << m.name << "` in "
        << state_file.string() << "\n";
    out << "    " << n++ << ". remove " << tmp.string() << "\n";
    out << "nothing was installed (--dry-run)\n";
}

}  // namespace

std::vector<std::string> pip_command(const fs::path& python, const fs::path& wheels,
                                     const fs::path& requirements) {
    return {python.string(),
            "-m",
            "pip",
            "install",
            "--isolated",
            "--no-index",
            "--find-links",
            wheels.string(),
            "--require-hashes",
            "-r",
            requirements.string(),
            "--disable-pip-version-check",
            "--no-input",
            "--no-cache-dir"};
}

void install(const InstallOptions& o, std::ostream& out, std::ostream& err) {
    if (!o.venv && !o.python) {
        throw Error("nothing to install into", Exit::usage)
            .with_hint("pass --venv DIR (created when missing) or --python PATH");
    }
    if (o.venv && fs::exists(*o.venv) && !is_venv(*o.venv) && !is_empty_dir(*o.venv)) {
        throw Error(quote(o.venv->string()) +
                    " exists but is not a virtual environment (no pyvenv.cfg and bin/python)")
            .with_hint(
                "choose a new directory for --venv (it will be created), or an existing "
                "venv");
    }
    auto trusted = trusted_keys(o);
    auto parts = bundle::bundle_parts(o.bundle);
    auto head = within("reading the bundle " + quote(o.bundle.string()),
                       [&] { return bundle::read_manifest(parts, trusted, o.allow_unsigned); });
    const auto& m = head.manifest;
    const std::string signer =
        head.key_id ? "signed by key " + terminal_text(verify::describe_key(*head.key_id, trusted))
                    : "UNSIGNED";
    if (!head.key_id)
        err << "warning: the bundle `" << m.name
            << "` is not signed; installing it because of --allow-unsigned\n";

    const fs::path state_file = o.state_file.value_or(default_state_file());
    RollbackState state(state_file);
    state.check(m.name, m.sequence, m.version, o.downgrade);

    auto driver = host::probe_cuda_driver();
    auto choice = choose(o, m, driver ? host::HasGpu::yes : host::HasGpu::no, err);
    const auto& target = *choice.target;
    for (const auto& w : host::cuda_warnings(target.name, target.cuda.value_or(""), driver))
        err << "warning: " << w << "\n";

    // Paths below are built only from checked values (BundleName, TargetName).
    const std::string requirements_rel = "airlock/requirements." + target.name.str() + ".txt";
    if (!m.find(requirements_rel)) {
        throw Error("the bundle lists no " + quote(requirements_rel) + " for target " +
                    quote(target.name))
            .with_hint("the bundle is incomplete; rebuild it with airlock-build");
    }
    const bool create_venv = o.venv && !is_venv(*o.venv);
    if (create_venv && !choice.interpreter.has_venv) {
        throw Error("the interpreter " + quote(choice.interpreter.executable.string()) +
                    " cannot create virtual environments (the venv/ensurepip modules are missing)")
            .with_hint(
                "on Debian/Ubuntu install python3-venv, or pass another interpreter with "
                "--python");
    }
    if (!create_venv && !choice.interpreter.has_pip) {
        throw Error("pip is not installed for " + quote(choice.interpreter.executable.string()))
            .with_hint(o.venv ? "recreate the venv with pip (python -m venv DIR), or pass a new "
                                "--venv directory"
                              : "install pip for that interpreter, or use --venv DIR");
    }
    const fs::path python_for_pip = o.venv ? venv_python(fs::absolute(*o.venv)) : *o.python;
    fs::path tmp_parent;
    if (o.tmp_dir)
        tmp_parent = *o.tmp_dir;
    else if (o.venv)
        tmp_parent = fs::absolute(*o.venv).parent_path();
    else
        tmp_parent = fs::temp_directory_path();

    if (o.dry_run == DryRun::yes) {
        print_plan(out, m, signer, choice, o, python_for_pip, create_venv, tmp_parent, state_file);
        return;
    }

    const auto started = std::chrono::steady_clock::now();
    out << "installing bundle `" << m.name << "` " << m.version << " (sequence " << m.sequence
        << ", " << signer << "), target " << target.name << " with "
        << choice.interpreter.describe() << "\n"
        << std::flush;
    TempTree tmp(tmp_parent, ".airlock-" + m.name.str() + "-");
    auto report = within("verifying and unpacking the bundle " + quote(o.bundle.string()), [&] {
        auto r = bundle::read_bundle(parts, trusted, tmp.path(), o.allow_unsigned);
        r.throw_if_problems();
        return r;
    });
    if (report.manifest_text != head.manifest_text) {
        throw Error("the bundle " + quote(o.bundle.string()) +
                    " changed while it was being read (its manifest differs between two reads)")
            .with_hint("make sure nothing writes to the bundle file during the install");
    }
    {
        auto verify_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", verify_seconds);
        out << "verified " << report.manifest.files.size() << " files ("
            << human_size(report.bytes_checked) << ") in " << buf << " s\n"
            << std::flush;
    }
    std::error_code ec;
    fs::create_directories(tmp.path() / "wheels", ec);

    std::optional<CreatedDirectory> created;
    if (create_venv) {
        const fs::path venv = fs::absolute(*o.venv);
        created.emplace(venv);
        std::vector<std::string> argv = {choice.interpreter.executable.string(), "-m", "venv",
                                         venv.string()};
        out << "$ " << host::render_command(argv) << "\n" << std::flush;
        int rc = host::run({argv, host::isolated_environment()});
        throw_if_interrupted();
        if (rc != 0) {
            throw Error("creating the venv " + quote(venv.string()) +
                        " failed (`python -m venv` exit " + std::to_string(rc) + ")")
                .with_hint("see the interpreter's message above");
        }
    }
    auto argv = pip_command(python_for_pip, tmp.path() / "wheels", tmp.path() / requirements_rel);
    out << "$ " << host::render_command(argv) << "\n" << std::flush;
    int rc = host::run({argv, host::isolated_environment()});
    throw_if_interrupted();
    if (rc != 0) {
        throw Error("pip failed (exit " + std::to_string(rc) + ") installing target " +
                    quote(target.name) + " of bundle " + quote(m.name))
            .with_hint(create_venv ? "see pip's message above; the venv created for this install "
                                     "was removed"
                                   : "see pip's message above; pip installs all requirements or "
                                     "none, but check the environment with `pip check`");
    }
    if (created)
        created->commit();
    state.record(m.name, m.sequence, m.version, o.downgrade);
    tmp.remove();
    auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", seconds);
    out << "installed bundle `" << m.name << "` " << m.version << " target " << target.name
        << " into " << (o.venv ? o.venv->string() : o.python->string()) << " in " << secs << " s\n";
}

}  // namespace airlock::install
