#include "installer/install/venv_backend.hpp"

#include "core/pep503/name.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "core/base/error.hpp"
#include "core/base/program.hpp"
#include "installer/host/process.hpp"
#include "installer/install/install_journal.hpp"
#include "installer/install/python_finder.hpp"
#include "installer/install/requirements_check.hpp"
#include "installer/install/space_problem.hpp"
#include "installer/install/temp_tree.hpp"

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

std::string requirements_path(const bundle::BundleManifest& m, const bundle::BundleTarget& t) {
    // Built only from checked values (TargetName).
    std::string rel = "airlock/requirements." + t.name.str() + ".txt";
    if (!m.find(rel)) {
        throw Error("the bundle lists no " + quote(rel) + " for target " + quote(t.name))
            .with_hint("the bundle is incomplete; rebuild it with airlock-build");
    }
    return rel;
}

void run_pip(const fs::path& python, const UnpackedBundle& b, std::ostream& out,
             const std::string& hint) {
    std::error_code ec;
    fs::create_directories(b.root / "wheels", ec);
    const std::string rel = requirements_path(b.manifest, b.target);
    check_requirements_file((b.root / rel).string(), rel);
    auto argv =
        pip_command(python, b.root / "wheels", b.root / requirements_path(b.manifest, b.target));
    const auto mode = b.progress ? b.progress->mode() : ProgressMode::plain;
    if (mode == ProgressMode::quiet)
        argv.push_back("-q");  // only pip's warnings and errors
    out << "$ " << host::render_command(argv) << "\n" << std::flush;
    std::string tail;
    int rc = 0;
    if (mode == ProgressMode::tty) {
        // pip's lines become the live line; its errors print as they come, and what it said
        // before failing is shown again when it fails.
        std::vector<std::string> said;
        rc = host::run_lines({argv, host::isolated_environment()},
                             [&](host::Stream stream, std::string_view line) {
                                 if (stream == host::Stream::err) {
                                     b.progress->print_line(line);
                                     tail.append(line).append("\n");
                                     if (tail.size() > 16384)
                                         tail.erase(0, tail.size() - 8192);
                                     return;
                                 }
                                 said.emplace_back(line);
                                 b.progress->update([&] { return "pip: " + std::string(line); });
                             });
        if (rc != 0)
            for (const auto& line : said)
                b.progress->print_line(line);
    } else {
        rc = host::run_watching_stderr({argv, host::isolated_environment()}, tail);
    }
    throw_if_interrupted();
    if (rc != 0) {
        throw Error("pip failed (exit " + std::to_string(rc) + ") installing target " +
                    quote(b.target.name) + " of bundle " + quote(b.manifest.name) +
                    (space_reason_in(tail).empty() ? space_reason_at(python.parent_path())
                                                   : space_reason_in(tail)))
            .with_hint(hint);
    }
}

void VenvBackend::check_destination() const {
    if (!o_.venv && !o_.python) {
        throw Error("nothing to install into", Exit::usage)
            .with_hint("pass --venv DIR (created when missing) or --python PATH");
    }
    if (o_.venv && fs::exists(*o_.venv) && !is_venv(*o_.venv) && !is_empty_dir(*o_.venv)) {
        throw Error(quote(o_.venv->string()) +
                    " exists but is not a virtual environment (no pyvenv.cfg and bin/python)")
            .with_hint(
                "choose a new directory for --venv (it will be created), or an existing "
                "venv");
    }
}

const bundle::BundleTarget& VenvBackend::choose(const bundle::BundleManifest& m,
                                                const std::optional<std::string>& wanted_name,
                                                host::HasGpu gpu, std::ostream& err) {
    auto offers = offers_of(m);
    const bundle::BundleTarget* chosen = nullptr;
    auto pick = [&](const host::Interpreter& in) {
        const auto& offer = host::choose_target(offers, in, wanted_name, gpu);
        interpreter_ = in;
        chosen = m.find_target(offer.name);
    };
    if (o_.venv && is_venv(*o_.venv)) {
        if (o_.python)
            err << "warning: --python " << o_.python->string()
                << " is ignored: " << o_.venv->string()
                << " already exists and uses its own interpreter\n";
        pick(host::probe_interpreter(venv_python(*o_.venv)));
    } else if (o_.python) {
        pick(host::probe_interpreter(*o_.python));
    } else {
        // --venv to be created, no --python: find an interpreter for the wanted target, or any.
        std::vector<const bundle::BundleTarget*> wanted;
        for (const auto& t : m.targets)
            if (!wanted_name || t.name == *wanted_name)
                wanted.push_back(&t);
        if (wanted.empty())
            pick(host::Interpreter{});  // choose_target names the targets
        std::string tried;
        for (const auto* t : wanted) {
            for (const auto& candidate : find_pythons(t->python)) {
                if (chosen)
                    break;
                try {
                    auto in = host::probe_interpreter(candidate);
                    if (in.python_version() != t->python)
                        continue;
                    pick(in);
                } catch (const Error& e) {
                    tried += "\n  " + candidate.string() + ": " + e.chain().front();
                }
            }
        }
        if (!chosen) {
            std::string pythons;
            for (const auto* t : wanted)
                if (pythons.find("python" + t->python) == std::string::npos)
                    pythons += (pythons.empty() ? "python" : ", python") + t->python;
            throw Error(
                "no interpreter for the bundle's targets was found on this host (looked "
                "for " +
                pythons + " on PATH and in pyenv)" + tried)
                .with_hint("pass one with --python /path/to/python3.X; the bundle has targets " +
                           host::describe_offers(offers));
        }
    }
    const auto& target = *chosen;
    requirements_path(m, target);
    create_venv_ = o_.venv && !is_venv(*o_.venv);
    if (create_venv_ && !interpreter_.has_venv) {
        throw Error("the interpreter " + quote(interpreter_.executable.string()) +
                    " cannot create virtual environments (the venv/ensurepip modules are missing)")
            .with_hint(
                "on Debian/Ubuntu install python3-venv, or pass another interpreter with "
                "--python");
    }
    if (!create_venv_ && !interpreter_.has_pip) {
        throw Error("pip is not installed for " + quote(interpreter_.executable.string()))
            .with_hint(o_.venv ? "recreate the venv with pip (python -m venv DIR), or pass a new "
                                 "--venv directory"
                               : "install pip for that interpreter, or use --venv DIR");
    }
    python_for_pip_ = o_.venv ? venv_python(fs::absolute(*o_.venv)) : *o_.python;
    return target;
}

fs::path VenvBackend::temp_parent() const {
    return o_.venv ? fs::absolute(*o_.venv).parent_path() : fs::temp_directory_path();
}

std::string VenvBackend::describe_tool() const {
    return interpreter_.describe();
}

std::optional<fs::path> VenvBackend::journaled_destination() const {
    if (!o_.venv)
        return std::nullopt;
    return fs::absolute(*o_.venv).lexically_normal();
}

std::string VenvBackend::destination() const {
    return o_.venv ? o_.venv->string() : o_.python->string();
}

void VenvBackend::plan_destination(std::ostream& out) const {
    out << "  interpreter: " << interpreter_.executable.string() << " (" << interpreter_.describe()
        << ")\n";
    if (o_.venv)
        out << "  venv:        " << o_.venv->string()
            << (create_venv_ ? " (to be created)" : " (exists)") << "\n";
}

std::vector<std::string> VenvBackend::plan_steps(const bundle::BundleManifest& m,
                                                 const bundle::BundleTarget& t,
                                                 const fs::path& unpacked) const {
    std::vector<std::string> steps;
    if (create_venv_)
        steps.push_back(host::render_command(
            {interpreter_.executable.string(), "-m", "venv", o_.venv->string()}));
    steps.push_back(host::render_command(pip_command(python_for_pip_, unpacked / "wheels",
                                                     unpacked / requirements_path(m, t))) +
                    "   (environment without PIP_*, PYTHONPATH, PYTHONHOME, PYTHONUSERBASE)");
    if (o_.sync)
        steps.push_back(
            "--sync: `pip uninstall -y` every package of the venv the target does "
            "not list (pip, setuptools and wheel are kept)");
    return steps;
}

void VenvBackend::install(const UnpackedBundle& b, std::ostream& out, std::ostream&) {
    const std::string rel = requirements_path(b.manifest, b.target);
    check_requirements_file((b.root / rel).string(), rel);  // before a venv is made for it
    std::optional<CreatedDirectory> created;
    if (create_venv_) {
        const fs::path venv = fs::absolute(*o_.venv);
        if (b.journal)
            b.journal->new_destination();
        created.emplace(venv);
        std::vector<std::string> argv = {interpreter_.executable.string(), "-m", "venv",
                                         venv.string()};
        out << "$ " << host::render_command(argv) << "\n" << std::flush;
        std::string tail;
        int rc = host::run_watching_stderr({argv, host::isolated_environment()}, tail);
        throw_if_interrupted();
        if (rc != 0) {
            throw Error("creating the venv " + quote(venv.string()) +
                        " failed (`python -m venv` exit " + std::to_string(rc) + ")" +
                        (space_reason_in(tail).empty() ? space_reason_at(venv.parent_path())
                                                       : space_reason_in(tail)))
                .with_hint("see the interpreter's message above");
        }
        test_crash_point("venv-created");
    } else if (b.journal) {
        // pip changes an existing venv in place: work on a copy at the same path (shebangs and
        // absolute paths stay right), the original kept aside until the install is committed.
        b.journal->snapshot(out);
    }
    run_pip(python_for_pip_, b, out,
            create_venv_ ? "see pip's message above; the venv created for this install was "
                           "removed"
                         : "see pip's message above; pip installs all requirements or none, but "
                           "check the environment with `pip check`");
    if (o_.sync)
        sync_venv(b, out);
    test_crash_point("pip-done");
    if (created)
        created->commit();
}

void VenvBackend::sync_venv(const UnpackedBundle& b, std::ostream& out) {
    std::set<std::string> keep = {"pip", "setuptools", "wheel"};
    for (const auto* f : b.manifest.files_for(b.target.name))
        if (!f->package.empty())
            keep.insert(pep503::normalize(f->package.str()));
    auto listed = host::capture({{python_for_pip_.string(), "-m", "pip", "list", "--format=json",
                                  "--isolated", "--disable-pip-version-check"},
                                 host::isolated_environment()});
    if (listed.status != 0) {
        throw Error("`pip list` failed in " + quote(python_for_pip_.string()) + " (exit " +
                    std::to_string(listed.status) + "): " + listed.err)
            .with_hint("the bundle's packages are installed; nothing was removed");
    }
    std::vector<std::string> extra;
    try {
        for (const auto& p : nlohmann::json::parse(listed.out)) {
            auto name = pep503::normalize(p.at("name").get<std::string>());
            if (!keep.count(name))
                extra.push_back(name);
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("cannot read `pip list --format=json`: ") + e.what());
    }
    if (extra.empty()) {
        out << "sync: nothing to remove\n";
        return;
    }
    std::vector<std::string> argv = {
        python_for_pip_.string(),     "-m", "pip", "uninstall", "-y", "--isolated",
        "--disable-pip-version-check"};
    if (b.progress && b.progress->mode() == ProgressMode::quiet)
        argv.push_back("-q");
    argv.insert(argv.end(), extra.begin(), extra.end());
    out << "$ " << host::render_command(argv) << "\n" << std::flush;
    std::string tail;
    int rc = host::run_watching_stderr({argv, host::isolated_environment()}, tail);
    throw_if_interrupted();
    if (rc != 0) {
        throw Error("pip uninstall failed (exit " + std::to_string(rc) + ") removing " +
                    std::to_string(extra.size()) + " packages the bundle does not list" +
                    space_reason_in(tail))
            .with_hint("the bundle's packages are installed; see pip's message above");
    }
}

}  // namespace airlock::install
