#include "builder/cli/conda_closure.hpp"

#include "builder/net/url.hpp"
#include "core/base/error.hpp"
#include "core/bundle/checked_text.hpp"
#include "core/conda/package_filename.hpp"

#include <map>

namespace airlock::builder {
namespace {

/// `conda/<subdir>/<file>` once both passed their grammars.
std::string bundle_path(const lock::CondaLockedPackage& p) {
    return within("reading the conda package " + quote(p.file), [&] {
        bundle::CondaSubdir subdir(p.subdir);
        auto filename = conda::PackageFilename::parse(p.file);
        if (filename.to_string() != p.file || filename.name.normalized() != p.name ||
            filename.version.to_string() != p.version || filename.build != p.build) {
            throw Error("the file name " + quote(p.file) + " does not match the record " +
                        quote(p.name + " " + p.version + " " + p.build));
        }
        return "conda/" + subdir.str() + "/" + p.file;
    });
}

}  // namespace

std::vector<CondaClosureFile> conda_closure_files(const std::vector<lock::TargetLock>& locks) {
    std::map<std::string, CondaClosureFile> by_path;
    for (const auto& lock : locks) {
        if (!lock.conda)
            continue;
        for (const auto& package : lock.conda->packages) {
            auto [it, fresh] = by_path.try_emplace(bundle_path(package));
            auto& entry = it->second;
            if (fresh) {
                entry.package = &package;
            } else if (entry.package->sha256 != package.sha256 ||
                       entry.package->md5 != package.md5 || entry.package->size != package.size) {
                throw Error("targets " + quote(entry.targets.front()) + " and " +
                            quote(lock.target) + " lock different conda packages at " +
                            quote(it->first) + " (sha256 " + entry.package->sha256 + " and " +
                            package.sha256 + ")")
                    .with_hint(
                        "two channels serve different files under one name; lock again, or list "
                        "only one of them in [conda] channels");
            }
            entry.targets.push_back(lock.target);
        }
    }
    std::vector<CondaClosureFile> out;
    out.reserve(by_path.size());
    for (auto& [path, entry] : by_path)
        out.push_back(std::move(entry));
    return out;
}

std::vector<fetch::FetchItem> conda_fetch_items(const std::vector<CondaClosureFile>& files) {
    std::vector<fetch::FetchItem> items;
    items.reserve(files.size());
    for (const auto& entry : files) {
        const auto& p = *entry.package;
        // sha256 where the record has one, else md5 (both checked while streaming).
        if (p.sha256.empty() && p.md5.empty()) {
            throw Error("the conda lock gives neither sha256 nor md5 for " + quote(p.file))
                .with_hint("run `airlock-build lock` again: it locks conda packages by sha256");
        }
        fetch::FetchItem item;
        item.filename = p.file;
        item.folder = "conda/" + p.subdir;  // checked by conda_closure_files
        item.urls.push_back(p.url);
        item.sha256 = p.sha256;
        item.md5 = p.md5;
        item.size = p.size;
        items.push_back(std::move(item));
    }
    return items;
}

conda::PackageRecord conda_record(const lock::CondaLockedPackage& p) {
    return within("reading the conda package " + quote(p.file), [&] {
        conda::PackageRecord r;
        r.name = conda::PackageName::parse(p.name);
        r.version = conda::Version::parse(p.version);
        if (!conda::is_valid_build_string(p.build))
            throw Error("invalid build string " + quote(p.build));
        r.build = p.build;
        r.build_number = p.build_number;
        r.subdir = bundle::CondaSubdir(p.subdir).str();
        r.depends = p.depends;
        r.constrains = p.constrains;
        r.size = p.size;
        r.sha256 = p.sha256;
        r.md5 = p.md5;
        if (p.noarch == "python")
            r.noarch = conda::NoArch::python;
        else if (p.noarch == "generic")
            r.noarch = conda::NoArch::generic;
        else if (!p.noarch.empty())
            throw Error("`noarch` " + quote(p.noarch) + " is neither `python` nor `generic`");
        r.fn = p.file;
        r.url = net::redact(p.url);
        r.channel = p.channel.find("://") != std::string::npos ? net::redact(p.channel) : p.channel;
        return r;
    });
}

}  // namespace airlock::builder
