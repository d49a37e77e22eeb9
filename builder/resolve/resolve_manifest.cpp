#include "builder/resolve/resolve_manifest.hpp"

#include "builder/manifest/index_credentials.hpp"

#include "builder/net/url.hpp"
#include "builder/resolve/conda_provider.hpp"
#include "builder/resolve/explain_package.hpp"
#include "builder/resolve/lock_inputs.hpp"
#include "builder/resolve/prerelease_policy.hpp"
#include "builder/resolve/pypi_provider.hpp"
#include "core/base/error.hpp"
#include "core/pep503/name.hpp"
#include "core/pep508/requirement.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <thread>

namespace airlock::resolve {
namespace {

std::string where(const SourceLocation& at) {
    if (at.file.empty())
        return "";
    return " (" + at.file + ":" + std::to_string(at.line) + ")";
}

/// `==3.12.*` and the PEP 508 marker naming the target, for the lock file.
std::vector<std::string> environments_of(const pep508::Environment& env) {
    return {"sys_platform == \"" + env.sys_platform + "\" and platform_machine == \"" +
            env.platform_machine + "\" and implementation_name == \"" + env.implementation_name +
            "\" and python_version == \"" + env.python_version + "\""};
}

}  // namespace

target::Target make_target(const manifest::TargetSpec& spec, const manifest::Manifest& manifest) {
    (void)manifest;
    return within("reading [[target]] " + quote(spec.name) + where(spec.where), [&] {
        std::string impl = spec.implementation;
        if (impl.empty() || impl == "cpython")
            impl = "cp";
        return target::Target::make(spec.name, spec.python, spec.platform, impl, spec.cuda,
                                    spec.subdir);
    });
}

lock::TargetLock resolve_target(const manifest::Manifest& manifest, const target::Target& target,
                                index::IndexClient& index, TargetReport* report,
                                const std::string& explain, TargetProgress progress) {
    auto started = std::chrono::steady_clock::now();
    auto env = target.environment();
    std::vector<Dependency> roots;
    std::vector<pep508::Requirement> applicable;
    for (std::size_t i = 0; i < manifest.python.requirements.size(); ++i) {
        const auto& text = manifest.python.requirements[i];
        auto at = i < manifest.python.where.size() ? manifest.python.where[i] : SourceLocation{};
        auto requirement = within("reading [python] requirements" + where(at),
                                  [&] { return pep508::Requirement::parse(text); });
        if (requirement.url)
            throw Error("the requirement " + quote(text) + where(at) +
                        " is a direct URL reference, which airlock cannot lock")
                .with_hint("publish the wheel on an [[index]] and require it by name and version");
        if (!within("evaluating the marker of " + quote(text) + where(at),
                    [&] { return requirement.applies_to(env); }))
            continue;  // its marker excludes this target
        for (auto& d : dependencies_of(requirement))
            roots.push_back(std::move(d));
        applicable.push_back(std::move(requirement));
    }

    for (std::size_t i = 0; i < manifest.python.constraints.size(); ++i) {
        const auto& text = manifest.python.constraints[i];
        auto at = i < manifest.python.constraint_where.size() ? manifest.python.constraint_where[i]
                                                              : SourceLocation{};
        auto constraint = within("reading [python] constraints" + where(at),
                                 [&] { return pep508::Requirement::parse(text); });
        if (constraint.url || !constraint.extras.empty())
            throw Error("the constraint " + quote(text) + where(at) +
                        " names a URL or extras; a constraint only limits versions")
                .with_hint("write it as `name<spec>`, e.g. `numpy<2`");
        if (!within("evaluating the marker of " + quote(text) + where(at),
                    [&] { return constraint.applies_to(env); }))
            continue;
        roots.push_back(Dependency{constraint.normalized_name(), constraint.specifier.to_string(),
                                   DependencyKind::constrains});
    }

    PypiProvider provider(target, index,
                          PrereleasePolicy::make(manifest.python.prereleases, applicable));
    provider.set_hash_pins(manifest.python.hashes);
    provider.set_progress(progress);
    SolveStats stats;
    std::vector<Selection> selections;
    try {
        selections = solve(provider, roots, &stats);
    } catch (const Error&) {
        if (report && !explain.empty())
            report->explanation =
                explain_package(provider, roots, {}, pep503::normalize(explain), false);
        throw;
    }
    if (report && !explain.empty())
        report->explanation =
            explain_package(provider, roots, selections, pep503::normalize(explain), true);

    lock::TargetLock lock;
    lock.target = target.name;
    // A target given with its patch release was checked against exactly that release.
    lock.requires_python =
        target.python == target.python_minor() ? "==" + target.python + ".*" : "==" + target.python;
    lock.environments = environments_of(env);
    for (const auto& s : selections) {
        if (s.package == python_package || s.package.find('[') != std::string::npos)
            continue;
        const auto* file = provider.wheel(s.package, s.index);
        const auto* page = provider.page(s.package);
        if (!file || !page)
            throw Error(
                "resolver chose " + s.package + " " + s.version + " without a wheel (a bug)",
                Exit::internal);
        lock::LockedPackage p;
        p.name = s.package;
        p.version = provider.version(s.package, s.index);
        p.index = page->index_url;
        p.index_name = page->index_name;
        lock::LockedFile f;
        f.name = file->filename;
        f.url = file->url;
        f.mirrors = file->mirror_urls;
        f.size = file->size;
        f.sha256 = file->sha256().value_or("");
        // A find-links page without `#sha256=`: the caller hashes the file by downloading it,
        // as pip does (builder/cli/hash_by_download.hpp). Other indexes must give the hash.
        auto from =
            std::find_if(manifest.indexes.begin(), manifest.indexes.end(),
                         [&](const manifest::IndexSpec& i) { return i.name == page->index_name; });
        const bool find_links =
            from != manifest.indexes.end() && from->kind == manifest::IndexKind::find_links;
        if (f.sha256.empty() && !find_links)
            throw Error("the index " + quote(page->index_name) + " gives no sha256 for " +
                        quote(f.name))
                .with_hint(
                    "airlock locks files by hash; use an index whose pages carry "
                    "`#sha256=` fragments or PEP 691 hashes");
        p.wheels.push_back(std::move(f));
        lock.packages.push_back(std::move(p));
    }
    std::sort(
        lock.packages.begin(), lock.packages.end(),
        [](const lock::LockedPackage& a, const lock::LockedPackage& b) { return a.name < b.name; });
    if (report) {
        report->stats = stats;
        report->seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    return lock;
}

lock::CondaLock resolve_conda(const manifest::CondaSpec& spec, const target::Target& target,
                              const std::vector<index::ChannelSubdir>& sources,
                              TargetReport* report) {
    auto started = std::chrono::steady_clock::now();
    std::vector<index::ChannelSubdir> mine;
    std::string subdir = target.conda_subdir();
    for (const auto& s : sources)
        if (s.subdir == subdir || s.subdir == "noarch")
            mine.push_back(s);
    CondaProvider provider(target, mine, spec.channel_priority);
    auto roots = provider.roots(spec);
    SolveStats stats;
    auto selections = solve(provider, roots, &stats);

    lock::CondaLock out;
    out.subdir = subdir;
    for (const auto& v : target.virtual_packages())
        out.virtual_packages.push_back(v.name + "=" + v.version + "=" + v.build);
    for (const auto& c : spec.channels)
        out.channels.emplace_back(c.name, net::redact(c.url));
    for (const auto& s : selections) {
        if (CondaProvider::is_virtual(s.package))
            continue;
        const auto& e = provider.entry(s.package, s.index);
        const auto& r = e.record;
        if (r.sha256.empty())
            throw Error("the channel " + quote(e.source->channel) + " gives no sha256 for " +
                        quote(r.fn) + " in " + quote(e.source->files_url))
                .with_hint(
                    "airlock locks files by hash; use a channel whose repodata.json has "
                    "sha256 entries (conda-index writes them)");
        lock::CondaLockedPackage p;
        p.name = r.name.normalized();
        p.version = r.version.to_string();
        p.build = r.build;
        p.build_number = r.build_number;
        p.channel = e.source->channel;
        p.subdir = r.subdir.empty() ? e.source->subdir : r.subdir;
        p.file = r.fn;
        p.url = net::redact(r.url);
        p.size = r.size;
        p.sha256 = r.sha256;
        p.md5 = r.md5;
        p.noarch = r.noarch == conda::NoArch::python    ? "python"
                   : r.noarch == conda::NoArch::generic ? "generic"
                                                        : "";
        p.depends = r.depends;
        p.constrains = r.constrains;
        out.packages.push_back(std::move(p));
    }
    std::sort(out.packages.begin(), out.packages.end(),
              [](const lock::CondaLockedPackage& a, const lock::CondaLockedPackage& b) {
                  return a.name < b.name;
              });
    if (report) {
        report->stats = stats;
        report->seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    return out;
}

std::vector<lock::TargetLock> resolve_manifest(const manifest::Manifest& manifest,
                                               const ResolveOptions& options,
                                               std::vector<TargetReport>* reports) {
    for (const auto& name : options.targets) {
        bool known = std::any_of(manifest.targets.begin(), manifest.targets.end(),
                                 [&](const manifest::TargetSpec& t) { return t.name == name; });
        if (!known) {
            std::string names;
            for (const auto& t : manifest.targets)
                names += (names.empty() ? "" : ", ") + quote(t.name);
            throw Error("the manifest " + quote(manifest.path.string()) + " has no target " +
                        quote(name))
                .with_hint("its targets are " + names);
        }
    }
    index::IndexClientOptions index_options;
    index_options.cache_dir = options.cache_dir;
    index_options.cache_mode = options.cache_mode;
    index_options.network = options.network;
    if (options.retries)
        index_options.retries = *options.retries;
    index::IndexClient index(manifest.indexes, index_options);
    bool with_python = !manifest.python.requirements.empty();

    std::vector<const manifest::TargetSpec*> chosen;
    std::vector<target::Target> targets;
    for (const auto& spec : manifest.targets) {
        if (!options.targets.empty() && std::find(options.targets.begin(), options.targets.end(),
                                                  spec.name) == options.targets.end())
            continue;
        chosen.push_back(&spec);
        targets.push_back(make_target(spec, manifest));
    }
    std::vector<std::string> names;
    for (const auto* spec : chosen)
        names.push_back(spec->name);
    ResolveProgress progress(std::move(names), options.progress);
    // Every target's repodata at once, before the per-target threads.
    std::vector<index::ChannelSubdir> sources;
    std::unique_ptr<index::ChannelClient> channels;
    if (manifest.conda) {
        index::ChannelClientOptions channel_options;
        channel_options.cache_dir = options.cache_dir;
        channel_options.cache_mode = options.cache_mode;
        channel_options.network = options.network;
        // The channels' own credentials (channel_alias, custom_channels, URLs, mirrors).
        if (!channel_options.network.credentials) {
            channel_options.network.credentials =
                std::make_shared<net::CredentialStore>(manifest::credential_store(manifest));
        }
        if (options.retries)
            channel_options.retries = *options.retries;
        channels =
            std::make_unique<index::ChannelClient>(manifest.conda->channels, channel_options);
        std::vector<std::string> subdirs;
        for (const auto& t : targets)
            subdirs.push_back(t.conda_subdir());
        for (std::size_t i = 0; i < chosen.size(); ++i)
            progress.working_on(i, "reading the conda channels");
        sources = within("reading the [conda] channels", [&] { return channels->load(subdirs); });
    }
    // One thread per target over the shared (thread-safe) index client: pages and metadata are
    // fetched once, and the targets' round trips overlap. Results and errors in manifest order.
    std::vector<lock::TargetLock> out(chosen.size());
    std::vector<TargetReport> local(chosen.size());
    std::vector<std::exception_ptr> errors(chosen.size());
    auto work = [&](std::size_t i) {
        try {
            const auto& spec = *chosen[i];
            out[i] = within(
                "resolving target " + quote(spec.name) + " (Python " + spec.python + ", " +
                    spec.platform + ")",
                [&] {
                    lock::TargetLock result;
                    auto target = targets[i];
                    if (manifest.conda) {
                        progress.working_on(i, "solving conda");
                        auto conda = resolve_conda(*manifest.conda, target, sources, &local[i]);
                        auto python = std::find_if(
                            conda.packages.begin(), conda.packages.end(),
                            [](const lock::CondaLockedPackage& p) { return p.name == "python"; });
                        if (with_python && python == conda.packages.end())
                            throw Error(
                                "the conda environment has no python, so the [python] "
                                "requirements have nothing to install into")
                                .with_hint("add \"python\" to [conda] specs");
                        if (python != conda.packages.end() && python->version != target.python) {
                            // The pip part targets the conda Python exactly ("3.12.7"): its
                            // python_full_version and Requires-Python checks.
                            try {
                                target = target::Target::make(
                                    target.name, python->version, target.platform,
                                    target.implementation, target.cuda, target.subdir);
                            } catch (const Error&) {
                                // not `3.N.P` (a pre-release such as 3.13.0rc1): the minor
                            }
                        }
                        result.conda = std::move(conda);
                    }
                    if (with_python || !manifest.conda) {
                        auto conda = std::move(result.conda);
                        auto stats = local[i];
                        result = resolve_target(manifest, target, index, &local[i], options.explain,
                                                TargetProgress{&progress, i});
                        result.conda = std::move(conda);
                        if (manifest.conda) {
                            local[i].seconds += stats.seconds;
                            local[i].stats.decisions += stats.stats.decisions;
                            local[i].stats.conflicts += stats.stats.conflicts;
                            local[i].stats.packages += stats.stats.packages;
                        }
                    } else {
                        result.target = target.name;
                    }
                    return result;
                });
            out[i].inputs = lock_inputs(manifest, spec);
            progress.done(
                i, out[i].packages.size() + (out[i].conda ? out[i].conda->packages.size() : 0));
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    if (chosen.size() == 1) {
        work(0);
    } else {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < chosen.size(); ++i)
            threads.emplace_back(work, i);
        for (auto& t : threads)
            t.join();
    }
    if (reports)
        reports->insert(reports->end(), local.begin(), local.end());
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
    progress.finish();
    return out;
}

}  // namespace airlock::resolve
