#include "installer/install/installer.hpp"

#include "core/base/created_parents.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"
#include "core/base/phase_stream.hpp"
#include "core/base/program.hpp"
#include "core/base/terminal_text.hpp"
#include "installer/host/cuda_driver.hpp"
#include "installer/install/install_journal.hpp"
#include "installer/install/space_problem.hpp"
#include "installer/install/temp_tree.hpp"
#include "installer/verify/listing.hpp"
#include "installer/verify/trusted_keys.hpp"
#include "installer/verify/verify_status.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <ostream>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

bundle::TrustedKeys trusted_keys(const InstallOptions& o) {
    std::error_code ec;
    if (o.keys.empty() && !o.trust_dir && o.allow_unsigned == bundle::AllowUnsigned::yes &&
        !fs::is_directory(verify::default_trust_dir, ec))
        return {};
    return verify::load_trusted_keys(o.keys, o.trust_dir);
}

std::string seconds_since(std::chrono::steady_clock::time_point started) {
    auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", seconds);
    return buf;
}

void print_plan(std::ostream& out, const bundle::BundleManifest& m, const std::string& signer,
                const bundle::BundleTarget& target, const Backend& backend,
                const fs::path& tmp_parent, const fs::path& state_file) {
    auto files = m.files_for(target.name);
    std::uint64_t total = 0;
    std::vector<const bundle::BundleFile*> packages;
    for (const auto* f : files) {
        total += f->size;
        if (!f->package.empty())
            packages.push_back(f);
    }
    out << "plan: install bundle `" << m.name << "` " << m.version << " (sequence " << m.sequence
        << ", " << signer << ")\n";
    out << "  target:      " << target.name << " (CPython " << target.python << ", "
        << target.platform << (target.cuda ? ", CUDA " + *target.cuda : "") << ")\n";
    backend.plan_destination(out);
    if (auto missing = missing_directories(backend.temp_parent()); !missing.empty())
        out << "  parents:     " << missing.front().string() << " (to be created)\n";
    out << "  packages:    " << packages.size() << " (" << human_size(total)
        << " to verify and unpack)\n";
    for (const auto* p : packages) {
        out << "    " << terminal_text(p->package) << " " << terminal_text(p->version) << "  "
            << terminal_text(fs::path(p->path.str()).filename().string()) << "  "
            << human_size(p->size) << "\n";
    }
    const fs::path tmp = tmp_parent / (".airlock-" + m.name.str() + "-XXXXXX");
    out << "  steps:\n";
    int n = 1;
    out << "    " << n++ << ". verify every file's size and sha256 while unpacking into "
        << tmp.string() << "\n";
    for (const auto& step : backend.plan_steps(m, target, tmp))
        out << "    " << n++ << ". " << step << "\n";
    out << "    " << n++ << ". record sequence " << m.sequence << " of `" << m.name << "` in "
        << state_file.string() << "\n";
    out << "    " << n++ << ". remove " << tmp.string() << "\n";
    out << "nothing was installed (--dry-run)\n";
}

void print_plan_json(std::ostream& out, const bundle::BundleManifest& m, const std::string& key,
                     const bundle::BundleTarget& target, const Backend& backend,
                     const fs::path& tmp_parent, const fs::path& state_file) {
    nlohmann::json plan;
    plan["bundle"] = m.name.str();
    plan["version"] = m.version.str();
    plan["sequence"] = m.sequence;
    plan["signature"] = {{"key", key.empty() ? nlohmann::json() : nlohmann::json(key)},
                         {"verified", !key.empty()}};
    plan["target"] = {{"name", target.name.str()},
                      {"python", target.python},
                      {"platform", target.platform},
                      {"cuda", target.cuda ? nlohmann::json(*target.cuda) : nlohmann::json()}};
    plan["destination"] = backend.destination();
    nlohmann::json parents = nlohmann::json::array();
    for (const auto& p : missing_directories(backend.temp_parent()))
        parents.push_back(p.string());
    plan["parents_to_create"] = std::move(parents);
    std::uint64_t total = 0;
    plan["packages"] = nlohmann::json::array();
    for (const auto* f : m.files_for(target.name)) {
        total += f->size;
        if (f->package.empty())
            continue;
        plan["packages"].push_back({{"name", f->package.str()},
                                    {"version", f->version.str()},
                                    {"file", fs::path(f->path.str()).filename().string()},
                                    {"size", f->size},
                                    {"sha256", f->sha256}});
    }
    plan["bytes"] = total;
    const fs::path tmp = tmp_parent / (".airlock-" + m.name.str() + "-XXXXXX");
    nlohmann::json steps = nlohmann::json::array();
    steps.push_back("verify every file's size and sha256 while unpacking into " + tmp.string());
    for (const auto& step : backend.plan_steps(m, target, tmp))
        steps.push_back(step);
    steps.push_back("record sequence " + std::to_string(m.sequence) + " of `" + m.name.str() +
                    "` in " + state_file.string());
    steps.push_back("remove " + tmp.string());
    plan["steps"] = std::move(steps);
    plan["installed"] = false;
    out << plan.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

void install(const InstallOptions& o, Backend& backend, std::ostream& out, std::ostream& err) {
    // A file size limit (ulimit -f) makes writes fail with EFBIG instead of killing the installer
    // (and, inherited, pip) with SIGXFSZ: a clear error and a rollback rather than a crash.
    std::signal(SIGXFSZ, SIG_IGN);
    const auto journaled = backend.journaled_destination();
    if (journaled && o.dry_run == DryRun::no) {
        InstallJournal::recover(*journaled, err);
    } else if (journaled && fs::exists(fs::symlink_status(InstallJournal::path_for(*journaled)))) {
        err << "warning: an earlier install into " << journaled->string()
            << " was interrupted (its journal " << InstallJournal::path_for(*journaled).string()
            << " is there); a real install first rolls it back\n";
    }
    backend.check_destination();
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
    const auto& target =
        backend.choose(m, o.target, driver ? host::HasGpu::yes : host::HasGpu::no, err);
    for (const auto& w : host::cuda_warnings(target.name, target.cuda.value_or(""), driver))
        err << "warning: " << w << "\n";

    const fs::path tmp_parent = o.tmp_dir.value_or(backend.temp_parent());
    if (o.dry_run == DryRun::yes && o.plan_format == PlanFormat::json) {
        print_plan_json(out, m, head.key_id ? verify::describe_key(*head.key_id, trusted) : "",
                        target, backend, tmp_parent, state_file);
        return;
    }
    if (o.dry_run == DryRun::yes) {
        print_plan(out, m, signer, target, backend, tmp_parent, state_file);
        return;
    }

    const auto started = std::chrono::steady_clock::now();
    out << "installing bundle `" << m.name << "` " << m.version << " (sequence " << m.sequence
        << ", " << signer << "), target " << target.name << " with " << backend.describe_tool()
        << "\n"
        << std::flush;
    bool committed = false;
    try {
        // Missing parents of the destination (`--venv /opt/envs/torch` without /opt/envs) are
        // created, and removed again when the install fails (they stay after a kill -9).
        CreatedParents parents(backend.temp_parent(), "the destination");
        std::optional<InstallJournal> journal;
        if (journaled)
            journal.emplace(*journaled,
                            "bundle `" + m.name.str() + "` " + m.version.str() + ", target " +
                                target.name.str(),
                            err);
        const std::string tmp_name = ".airlock-" + m.name.str() + "-";
        TempTree tmp(tmp_parent, journal ? journal->temp_prefix(tmp_parent, tmp_name) : tmp_name);
        PhaseProgress verify_phase("verify", o.progress);
        auto report = within("verifying and unpacking the bundle " + quote(o.bundle.string()), [&] {
            auto r = bundle::read_bundle(
                parts, trusted, tmp.path(), o.allow_unsigned, [&](const bundle::ReadCount& count) {
                    verify_phase.update([&] { return verify::verify_status(count); });
                });
            r.throw_if_problems();
            return r;
        });
        if (report.manifest_text != head.manifest_text) {
            throw Error("the bundle " + quote(o.bundle.string()) +
                        " changed while it was being read (its manifest differs between two "
                        "reads)")
                .with_hint("make sure nothing writes to the bundle file during the install");
        }
        verify_phase.finish(std::to_string(report.manifest.files.size()) + " files, " +
                            human_size(report.bytes_checked) + " hashed");
        test_crash_point("unpacked");

        // The backend's own lines take the live line off the terminal before they print.
        PhaseProgress install_phase("install", o.progress);
        std::optional<PhaseStream> phase_out;
        std::optional<PhaseStream> phase_err;
        if (o.progress == ProgressMode::tty) {
            phase_out.emplace(out, install_phase);
            phase_err.emplace(err, install_phase);
        }
        backend.install(
            UnpackedBundle{m, target, tmp.path(), journal ? &*journal : nullptr, &install_phase},
            phase_out ? *phase_out : out, phase_err ? *phase_err : err);
        // Recorded before the commit: a kill between the two must not keep the install without
        // its sequence (that would let an older bundle in); one that rolls back keeps the record,
        // which only refuses bundles older than one this host was given.
        state.record(m.name, m.sequence, m.version, o.downgrade);
        if (journal)
            journal->commit();
        committed = true;
        install_phase.finish("target " + target.name.str());
        parents.commit();
        tmp.remove();
    } catch (Error& e) {
        // Rolled back by now (the journal, the temporary tree); say why when it was the space.
        const fs::path where = journaled ? *journaled : tmp_parent;
        if (auto why = space_problem(e, where); why && !committed) {
            e.within(*why);
            e.with_hint("free space on the filesystem of " + where.string() +
                        " (the install needs room for the unpacked bundle next to the "
                        "destination, or in --tmp-dir, and for a copy of an existing venv or "
                        "of a conda environment with a pip part), then run again; " +
                        where.string() + " is as it was before this install");
        }
        throw;
    }
    out << "installed bundle `" << m.name << "` " << m.version << " target " << target.name
        << " into " << backend.destination() << " in " << seconds_since(started) << " s\n";
}

}  // namespace airlock::install
