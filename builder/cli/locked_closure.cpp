#include "builder/cli/locked_closure.hpp"

#include "builder/cli/conda_closure.hpp"
#include "builder/cli/hash_by_download.hpp"
#include "builder/lock/conda_lock.hpp"
#include "builder/lock/pylock.hpp"
#include "builder/manifest/index_credentials.hpp"
#include "builder/resolve/lock_inputs.hpp"
#include "builder/resolve/pylock_input.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/conda/match_spec.hpp"

#include <algorithm>

#include <algorithm>
#include <map>

namespace airlock::builder {

std::shared_ptr<const net::CredentialStore> manifest_credentials(
    const manifest::Manifest& manifest) {
    return std::make_shared<net::CredentialStore>(manifest::credential_store(manifest));
}

namespace {

/// A conda lock records no input digests: it is stale when a [conda] spec of the manifest
/// matches none of its packages (a spec added or changed since `lock`).
void check_conda_lock(const lock::CondaLock& lock, const std::filesystem::path& path,
                      const manifest::Manifest& manifest, const std::filesystem::path& lock_dir) {
    std::vector<conda::PackageRecord> records;
    for (const auto& p : lock.packages)
        records.push_back(conda_record(p));
    for (const auto& text : manifest.conda->specs) {
        auto spec = conda::MatchSpec::parse(text);
        bool met = std::any_of(records.begin(), records.end(),
                               [&](const conda::PackageRecord& r) { return spec.matches(r); });
        if (!met) {
            throw Error("the lock " + quote(lock_dir.string()) + " is stale: the [conda] spec " +
                        quote(text) + " matches no package of " + quote(path.filename().string()))
                .with_hint("run `airlock-build lock " + manifest.path.string() + " -o " +
                           lock_dir.string() + "` again");
        }
    }
}

}  // namespace

std::vector<lock::TargetLock> obtain_locks(const manifest::Manifest& manifest,
                                           const std::filesystem::path& lock_dir,
                                           const resolve::ResolveOptions& options, bool verbose) {
    if (lock_dir.empty()) {
        auto locks = resolve::resolve_manifest(manifest, options);
        hash_by_download(locks, options, verbose);
        return locks;
    }
    std::vector<lock::TargetLock> locks;
    for (const auto& target : manifest.targets) {
        auto missing = [&](const std::filesystem::path& path) {
            return Error("the lock " + quote(lock_dir.string()) + " is stale: target " +
                         quote(target.name) +
                         " was added to the manifest since it was written (no " +
                         quote(path.filename().string()) + ")")
                .with_hint("run `airlock-build lock " + manifest.path.string() + " -o " +
                           lock_dir.string() + "` again");
        };
        lock::TargetLock lock;
        lock.target = target.name;
        // A [conda]-only manifest has no pip part: `lock` writes no pylock for it.
        if (!manifest.python.requirements.empty() || !manifest.conda) {
            auto path = lock::pylock_path(lock_dir, target.name);
            if (!std::filesystem::exists(path))
                throw missing(path);
            lock = lock::read_pylock(path);
            resolve::check_lock_inputs(lock, path, manifest, target);
        }
        if (manifest.conda) {
            auto path = lock::conda_lock_path(lock_dir, target.name);
            if (!std::filesystem::exists(path))
                throw missing(path);
            lock.conda =
                lock::parse_conda_lock(read_file(path, "the conda lock file"), path.string());
            check_conda_lock(*lock.conda, path, manifest, lock_dir);
        }
        locks.push_back(std::move(lock));
    }
    return locks;
}

std::vector<lock::TargetLock> locks_from_pylock(const manifest::Manifest& manifest,
                                                const std::filesystem::path& pylock,
                                                const std::vector<std::string>& only) {
    for (const auto& name : only) {
        if (std::none_of(manifest.targets.begin(), manifest.targets.end(),
                         [&](const manifest::TargetSpec& t) { return t.name == name; }))
            throw Error("there is no target " + quote(name))
                .with_hint("define it with --add-target NAME:PLATFORM:PYTHON[:CUDA]");
    }
    std::vector<lock::TargetLock> locks;
    for (const auto& spec : manifest.targets) {
        if (!only.empty() && std::find(only.begin(), only.end(), spec.name) == only.end())
            continue;
        auto target = resolve::make_target(spec, manifest);
        locks.push_back(
            within("taking target " + quote(spec.name) + " from " + quote(pylock.string()),
                   [&] { return resolve::select_from_pylock_file(pylock, target); }));
    }
    return locks;
}

std::vector<ClosureFile> closure_files(const std::vector<lock::TargetLock>& locks) {
    std::map<std::string, ClosureFile> by_name;
    for (const auto& lock : locks) {
        for (const auto& package : lock.packages) {
            for (const auto& file : package.wheels) {
                auto [it, fresh] = by_name.try_emplace(file.name);
                auto& entry = it->second;
                if (fresh) {
                    entry.package = &package;
                    entry.file = &file;
                } else if (entry.file->sha256 != file.sha256) {
                    throw Error("targets " + quote(entry.targets.front()) + " and " +
                                quote(lock.target) + " lock different files named " +
                                quote(file.name) + " (sha256 " + entry.file->sha256 + " and " +
                                file.sha256 + ")")
                        .with_hint(
                            "the indexes serve two different files under one name; lock "
                            "again, or pin the package to one index with `packages`");
                }
                entry.targets.push_back(lock.target);
            }
        }
    }
    std::vector<ClosureFile> out;
    out.reserve(by_name.size());
    for (auto& [name, entry] : by_name)
        out.push_back(std::move(entry));
    return out;
}

std::vector<fetch::FetchItem> fetch_items(const std::vector<ClosureFile>& files) {
    std::vector<fetch::FetchItem> items;
    items.reserve(files.size());
    for (const auto& entry : files) {
        fetch::FetchItem item;
        item.filename = entry.file->name;
        item.urls.push_back(entry.file->url);
        item.urls.insert(item.urls.end(), entry.file->mirrors.begin(), entry.file->mirrors.end());
        item.sha256 = entry.file->sha256;
        item.size = entry.file->size;
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace airlock::builder
