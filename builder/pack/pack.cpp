#include "builder/pack/pack.hpp"

#include "builder/net/url.hpp"
#include "builder/pack/conda_channel.hpp"
#include "builder/pack/sbom.hpp"
#include "core/base/build_info.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"
#include "core/digest/sha256.hpp"
#include "core/pep503/name.hpp"
#include "core/wheel/filename.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>

namespace airlock::pack {
namespace fs = std::filesystem;
namespace {

/// Normalized name and version of a wheel file name; empty when it is not one.
std::pair<std::string, std::string> wheel_name_version(const std::string& filename) {
    auto wheel = wheel::WheelFilename::try_parse(filename);
    if (!wheel)
        return {};
    return {pep503::normalize(wheel->name), wheel->version};
}

template <class T>
void add_unique(std::vector<T>& into, const std::vector<std::string>& items) {
    for (const auto& i : items) {
        if (std::find(into.begin(), into.end(), i) == into.end())
            into.push_back(i);
    }
}

bool plain_name(const std::string& s) {
    return !s.empty() && s.find('/') == std::string::npos && s != "." && s != ".." &&
           bundle::is_safe_relative_path(s);
}

}  // namespace

std::optional<std::uint64_t> try_parse_size(std::string_view text) {
    std::size_t i = 0;
    std::uint64_t number = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        if (number > (UINT64_MAX - 9) / 10)
            return std::nullopt;
        number = number * 10 + static_cast<std::uint64_t>(text[i] - '0');
        ++i;
    }
    if (i == 0)
        return std::nullopt;
    std::string unit(text.substr(i));
    for (auto& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::map<std::string, std::uint64_t> units = {
        {"", 1},
        {"B", 1},
        {"K", 1000},
        {"KB", 1000},
        {"KIB", 1024},
        {"M", 1000000},
        {"MB", 1000000},
        {"MIB", 1 << 20},
        {"G", 1000000000ULL},
        {"GB", 1000000000ULL},
        {"GIB", 1ULL << 30},
        {"T", 1000000000000ULL},
        {"TB", 1000000000000ULL},
        {"TIB", 1ULL << 40},
    };
    auto it = units.find(unit);
    if (it == units.end() || number == 0 || number > UINT64_MAX / it->second)
        return std::nullopt;
    return number * it->second;
}

PackResult write_bundle(const PackInput& input) {
    return within("writing the bundle " + quote(input.options.output.string()), [&] {
        auto epoch = bundle::source_date_epoch();
        std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        bundle::BundleManifest m;
        m.name = input.name;
        m.version = input.version;
        m.sequence =
            input.options.sequence.value_or(static_cast<std::uint64_t>(epoch.value_or(now)));
        m.created = bundle::rfc3339_utc(epoch.value_or(now));
        m.builder = std::string("airlock-build ") + build_info::version;

        std::vector<bundle::EntrySource> sources;
        std::set<std::string> target_names;
        std::vector<std::string> conda_targets;
        std::map<std::string, const conda::PackageRecord*> conda_at;  // path → record
        std::map<std::string, conda::PackageRecord> conda_records;    // owns what conda_at shows
        for (const auto& t : input.targets) {
            if (!plain_name(t.name)) {
                throw Error("the target name " + quote(t.name) +
                            " cannot name a file in the bundle");
            }
            if (!target_names.insert(t.name).second) {
                throw Error("the target " + quote(t.name) + " is listed twice");
            }
            bundle::BundleTarget target{t.name,
                                        t.python,
                                        t.platform,
                                        t.cuda,
                                        t.requires_python,
                                        bundle::sorted_ecosystems(t.ecosystems),
                                        std::nullopt,
                                        {}};
            std::vector<std::pair<std::string, const std::string*>> texts;
            if (target.carries(bundle::Ecosystem::pip)) {
                texts.emplace_back("airlock/pylock." + t.name + ".toml", &t.pylock_toml);
                texts.emplace_back("airlock/requirements." + t.name + ".txt", &t.requirements_txt);
            }
            if (target.carries(bundle::Ecosystem::conda)) {
                if (!t.conda_subdir)
                    throw Error("the target " + quote(t.name) + " carries conda but has no subdir");
                target.conda_subdir = *t.conda_subdir;
                target.conda_specs.assign(t.conda_specs.begin(), t.conda_specs.end());
                texts.emplace_back("airlock/conda." + t.name + ".txt", &t.conda_explicit);
                texts.emplace_back("airlock/conda." + t.name + ".lock.toml", &t.conda_lock_toml);
                conda_targets.push_back(t.name);
            }
            m.targets.push_back(std::move(target));
            for (const auto& [path, text] : texts) {
                m.files.push_back(
                    {path, text->size(), digest::sha256_hex(*text), {}, {t.name}, "", "", ""});
                sources.push_back({path, {}, *text});
            }
        }

        std::map<std::string, std::size_t> wheel_at;  // path → index in m.files
        for (const auto& f : input.files) {
            if (!plain_name(f.name)) {
                throw Error("the file name " + quote(f.name) + " cannot be stored in a bundle");
            }
            if (!digest::is_sha256_hex(f.sha256)) {
                throw Error(quote(f.name) + " has no valid sha256 (" + quote(f.sha256) + ")");
            }
            for (const auto& t : f.targets) {
                if (!target_names.count(t)) {
                    throw Error(quote(f.name) + " names an unknown target " + quote(t));
                }
            }
            if (f.conda && f.conda->fn != f.name)
                throw Error("the conda package " + quote(f.name) + " has the record of " +
                            quote(f.conda->fn));
            // The subdir passes its grammar before it names a folder.
            std::string path =
                f.conda ? "conda/" + bundle::CondaSubdir(f.conda->subdir).str() + "/" + f.name
                        : "wheels/" + f.name;
            std::string sha = f.sha256;
            std::transform(sha.begin(), sha.end(), sha.begin(), ::tolower);
            std::vector<std::string> urls;
            for (const auto& u : f.urls)
                urls.push_back(net::redact(u));
            if (auto it = wheel_at.find(path); it != wheel_at.end()) {
                auto& existing = m.files[it->second];
                if (existing.sha256 != sha || existing.size != f.size) {
                    throw Error("two different files are both called " + quote(f.name) +
                                " (sha256 " + existing.sha256 + " and " + sha + ")");
                }
                // Needed by every target that lists it; "all targets" stays all.
                if (existing.targets.empty() || f.targets.empty()) {
                    existing.targets.clear();
                } else {
                    add_unique(existing.targets, f.targets);
                }
                add_unique(existing.urls, urls);
                continue;
            }
            auto [pkg, ver] =
                f.conda ? std::pair{f.conda->name.normalized(), f.conda->version.to_string()}
                        : wheel_name_version(f.name);
            // The checked types refuse what the installer would refuse, here already.
            bundle::BundleFile bf{path,
                                  f.size,
                                  sha,
                                  urls,
                                  {f.targets.begin(), f.targets.end()},
                                  f.package.empty() ? pkg : f.package,
                                  f.version.empty() ? ver : f.version,
                                  f.conda ? f.conda->md5 : ""};
            if (f.conda) {
                // The repodata describes the bytes the bundle carries: sha256 and size from the
                // payload (checked again while the bundle is written), md5 from the record.
                auto& record = conda_records[path] = *f.conda;
                record.sha256 = sha;
                record.size = f.size;
                conda_at[path] = &record;
            }
            wheel_at[path] = m.files.size();
            m.files.push_back(std::move(bf));
            sources.push_back({path, f.blob, std::nullopt});
        }
        for (auto& f : m.files)
            std::sort(f.targets.begin(), f.targets.end());

        // `conda/` as a local channel: one repodata.json per subdir, always noarch's.
        std::vector<ChannelPackage> channel;
        for (const auto& f : m.files) {
            if (auto it = conda_at.find(f.path); it != conda_at.end())
                channel.push_back({it->second, {f.targets.begin(), f.targets.end()}});
        }
        for (auto& r : channel_repodata(channel, conda_targets)) {
            m.files.push_back({r.path,
                               r.text.size(),
                               digest::sha256_hex(r.text),
                               {},
                               {r.targets.begin(), r.targets.end()},
                               "",
                               "",
                               ""});
            sources.push_back({r.path, {}, std::move(r.text)});
        }
        std::sort(m.files.begin(), m.files.end(),
                  [](const auto& a, const auto& b) { return a.path < b.path; });

        std::string sbom = make_sbom(m, conda_at);
        m.files.push_back(
            {"sbom.cdx.json", sbom.size(), digest::sha256_hex(sbom), {}, {}, "", "", ""});
        sources.push_back({"sbom.cdx.json", {}, sbom});
        std::sort(m.files.begin(), m.files.end(),
                  [](const auto& a, const auto& b) { return a.path < b.path; });

        bundle::WriteOptions o;
        o.output = input.options.output;
        o.compression = input.options.compression;
        o.zstd_level = input.options.zstd_level;
        o.zstd_threads = input.options.zstd_threads;
        o.split_size = input.options.split_size;
        o.installer = input.options.installer;
        o.mtime = epoch.value_or(0);
        std::uint64_t total = 0;
        for (const auto& f : m.files)
            total += f.size;
        PhaseProgress phase("pack", input.options.progress);
        o.progress = [&](std::uint64_t bytes, std::size_t files) {
            phase.update([&] {
                bytes = std::min(bytes, total);
                return human_size(bytes) + " / " + human_size(total) + "  " +
                       std::to_string(total ? bytes * 100 / total : 100) + "%  files " +
                       std::to_string(files) + "/" + std::to_string(m.files.size());
            });
        };
        auto written =
            bundle::write_bundle_archive(m, sources, input.key ? &*input.key : nullptr, o);
        phase.finish(std::to_string(m.files.size()) + " files, " + human_size(written.bytes) +
                     (written.files.size() > 1
                          ? " in " + std::to_string(written.files.size()) + " parts"
                          : std::string()) +
                     " written");
        m.signing = input.key ? bundle::Signing::signed_ : bundle::Signing::unsigned_;
        return PackResult{written.files, std::move(m), written.bytes};
    });
}

}  // namespace airlock::pack
