#include "installer/cli/app.hpp"

#include "core/base/human_size.hpp"
#include "core/base/phase_progress.hpp"
#include "core/base/terminal_text.hpp"

#include "core/base/error.hpp"
#include "core/bundle/reader.hpp"
#include "installer/verify/json_report.hpp"
#include "installer/verify/listing.hpp"
#include "installer/verify/trusted_keys.hpp"
#include "installer/verify/verify_status.hpp"

#include <iostream>

namespace airlock::installer {
namespace {

struct VerifyArgs {
    std::string bundle;
    std::vector<std::string> keys;
    std::string trust_dir;
    bool allow_unsigned = false;
    bool json = false;
    bool quiet = false;
};

void run_verify(const VerifyArgs& a) {
    std::vector<std::filesystem::path> keys(a.keys.begin(), a.keys.end());
    std::optional<std::filesystem::path> trust_dir;
    if (!a.trust_dir.empty())
        trust_dir = a.trust_dir;
    bundle::TrustedKeys trusted;
    if (!(a.allow_unsigned && keys.empty() && !trust_dir))
        trusted = verify::load_trusted_keys(keys, trust_dir);
    auto report = within("verifying the bundle " + quote(a.bundle), [&] {
        auto parts = bundle::bundle_parts(a.bundle);
        // The live line only: the OK line below is the summary.
        PhaseProgress phase("verify", a.quiet ? ProgressMode::quiet : stderr_progress_mode());
        auto r = bundle::read_bundle(
            parts, trusted, std::nullopt,
            a.allow_unsigned ? bundle::AllowUnsigned::yes : bundle::AllowUnsigned::no,
            [&](const bundle::ReadCount& count) {
                phase.update([&] { return verify::verify_status(count); });
            });
        if (!a.json)
            r.throw_if_problems();
        return r;
    });
    if (a.json) {
        // Every problem as an object; exit 1 when there is any (the JSON says which).
        std::cout << verify::dump_json(verify::verify_json(
            report, report.key_id ? verify::describe_key(*report.key_id, trusted) : ""));
        if (!report.problems.empty())
            throw Error("the bundle " + quote(report.manifest.name) + " failed verification (" +
                        std::to_string(report.problems.size()) +
                        (report.problems.size() == 1 ? " problem" : " problems") +
                        ", listed on stdout)");
        return;
    }
    if (a.quiet)
        return;
    const auto& m = report.manifest;
    std::cout << "OK: bundle `" << m.name << "` " << m.version << " (sequence " << m.sequence
              << "): "
              << (report.key_id
                      ? "signature good (key " +
                            terminal_text(verify::describe_key(*report.key_id, trusted)) + ")"
                      : std::string("UNSIGNED (accepted because of --allow-unsigned)"))
              << ", " << m.files.size() << " files, " << human_size(report.bytes_checked)
              << " checked\n";
}

}  // namespace

void add_verify_command(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    auto* cmd = app.add_subcommand(
        "verify",
        "Check a bundle's signature against trusted keys, then every file's size and sha256; "
        "report every problem (missing, extra, wrong size, wrong hash, unsafe path). Writes "
        "nothing.");
    cmd->footer(
        "Examples:\n  airlock-install verify torch-lab.airlock --key site.pub\n  airlock-install "
        "verify torch-lab.airlock --key site.pub --json");
    add_bundle_argument(*cmd, args->bundle);
    cmd->add_option("--key", args->keys, "a trusted minisign public key (repeatable)");
    cmd->add_option("--trust-dir", args->trust_dir,
                    "trust every *.pub in this directory (default /etc/airlock/trusted.d when no "
                    "--key is given)");
    cmd->add_flag("--allow-unsigned", args->allow_unsigned, "accept a bundle without signature");
    cmd->add_flag("--json", args->json,
                  "print the result as JSON on stdout, every problem an object (kind, path, "
                  "detail); exit 1 when there are problems");
    cmd->add_flag("-q,--quiet", args->quiet,
                  "print nothing but errors (no progress, no OK line; the exit code says it)");
    cmd->callback([args] {
        args->bundle = bundle_or_self(args->bundle);
        run_verify(*args);
    });
}

}  // namespace airlock::installer
