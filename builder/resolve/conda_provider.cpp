#include "builder/resolve/conda_provider.hpp"

#include "core/base/error.hpp"

#include <algorithm>
#include <numeric>

namespace airlock::resolve {
namespace {

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/// How a spec reads after its package name in explanations: `numpy>=1.26,<2` → `>=1.26,<2`,
/// `cuda-cudart >=12.1,<12.2` → ` >=12.1,<12.2`, `conda-forge::numpy` → ` (from conda-forge)`.
std::string constraint_text(std::string_view spec, const conda::MatchSpec& parsed) {
    auto text = spec;
    if (auto colons = text.find("::"); colons != std::string_view::npos)
        text = text.substr(colons + 2);
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    std::size_t n = 0;
    while (n < text.size() && name_char(text[n]))
        ++n;
    auto rest = text.substr(n);
    while (!rest.empty() && rest.back() == ' ')
        rest.remove_suffix(1);
    std::string out;
    if (!rest.empty()) {
        bool op = std::string_view("=<>!~[").find(rest.front()) != std::string_view::npos;
        while (!op && !rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        out = (op ? "" : " ") + std::string(rest);
    }
    if (!parsed.channel().empty())
        out += " (from " + parsed.channel() + ")";
    return out;
}

}  // namespace

CondaProvider::CondaProvider(const target::Target& target,
                             std::vector<index::ChannelSubdir> sources,
                             manifest::ChannelPriority priority)
    : target_(target), sources_(std::move(sources)), priority_(priority) {}

CondaProvider::~CondaProvider() = default;

Dependency CondaProvider::requirement(const std::string& spec, DependencyKind kind) {
    auto it = parsed_.find(spec);
    if (it == parsed_.end()) {
        auto parsed = std::make_shared<const conda::MatchSpec>(conda::MatchSpec::parse(spec));
        if (!parsed->name()) {
            throw Error("the spec " + quote(spec) + " names no single package")
                .with_hint("write the package's name, e.g. \"numpy>=1.26\"");
        }
        PackageId id = parsed->name()->normalized();
        std::string text = constraint_text(spec, *parsed);
        auto key = std::make_pair(id, text);
        specs_.emplace(key, parsed);  // the first spec with this text wins (same meaning)
        it = parsed_.emplace(spec, key).first;
    }
    return Dependency{it->second.first, it->second.second, kind};
}

std::vector<Dependency> CondaProvider::roots(const manifest::CondaSpec& spec) {
    std::vector<Dependency> out;
    for (const auto& v : target_.virtual_packages())
        out.push_back(requirement(v.name));
    out.push_back(requirement("python " + target_.python + ".*", DependencyKind::constrains));
    for (std::size_t i = 0; i < spec.specs.size(); ++i) {
        const auto& at = i < spec.where.size() ? spec.where[i] : SourceLocation{};
        std::string where =
            at.file.empty() ? "" : " (" + at.file + ":" + std::to_string(at.line) + ")";
        out.push_back(
            within("reading [conda] specs" + where, [&] { return requirement(spec.specs[i]); }));
    }
    return out;
}

CondaProvider::Package& CondaProvider::load(const PackageId& package) {
    auto it = packages_.find(package);
    if (it != packages_.end())
        return *it->second;
    auto p = std::make_unique<Package>();
    if (is_virtual(package)) {
        for (const auto& v : target_.virtual_packages()) {
            if (v.name != package)
                continue;
            CondaEntry e;
            e.record.name = conda::PackageName::parse(v.name);
            e.record.version = conda::Version::parse(v.version);
            e.record.build = v.build;
            p->entries.push_back(std::move(e));
        }
    } else {
        std::size_t found_in = sources_.size();
        for (const auto& source : sources_) {
            if (!source.repodata)
                continue;
            if (priority_ == manifest::ChannelPriority::strict && found_in != sources_.size() &&
                source.priority != found_in)
                break;  // a higher-priority channel has this package: only it counts
            auto records = source.repodata->records(package);
            if (records.empty())
                continue;
            if (found_in == sources_.size())
                found_in = source.priority;
            for (auto& r : records) {
                r.channel = source.channel_url;
                r.url = source.files_url + "/" + r.fn;
                p->entries.push_back(CondaEntry{std::move(r), &source});
            }
        }
        std::stable_sort(p->entries.begin(), p->entries.end(),
                         [](const CondaEntry& a, const CondaEntry& b) {
                             const auto& x = a.record;
                             const auto& y = b.record;
                             if (a.source->priority != b.source->priority)
                                 return a.source->priority < b.source->priority;
                             if (x.track_features.empty() != y.track_features.empty())
                                 return x.track_features.empty();
                             if (auto c = x.version <=> y.version; c != 0)
                                 return c > 0;
                             if (x.build_number != y.build_number)
                                 return x.build_number > y.build_number;
                             if (x.timestamp != y.timestamp)
                                 return x.timestamp > y.timestamp;
                             if (x.subdir != y.subdir)
                                 return y.subdir == "noarch";
                             return x.fn < y.fn;
                         });
    }
    // `order`: rank in ascending (version, build number, timestamp) order, for ranges.
    std::vector<std::size_t> ascending(p->entries.size());
    std::iota(ascending.begin(), ascending.end(), 0);
    std::stable_sort(ascending.begin(), ascending.end(), [&](std::size_t a, std::size_t b) {
        const auto& x = p->entries[a].record;
        const auto& y = p->entries[b].record;
        if (auto c = x.version <=> y.version; c != 0)
            return c < 0;
        if (x.build_number != y.build_number)
            return x.build_number < y.build_number;
        return x.timestamp < y.timestamp;
    });
    p->candidates.resize(p->entries.size());
    for (std::size_t rank = 0; rank < ascending.size(); ++rank) {
        auto i = ascending[rank];
        const auto& r = p->entries[i].record;
        p->candidates[i].version = r.version.to_string() + " " + r.build;
        p->candidates[i].order = rank;
    }
    return *packages_.emplace(package, std::move(p)).first->second;
}

std::vector<Candidate> CondaProvider::candidates(const PackageId& package) {
    return load(package).candidates;
}

std::vector<bool> CondaProvider::matches(const PackageId& package, const std::string& constraint) {
    auto& p = load(package);
    std::vector<bool> out(p.entries.size(), true);
    auto it = specs_.find({package, constraint});
    if (it == specs_.end())
        return out;  // "" from the engine's own use: any version
    for (std::size_t i = 0; i < p.entries.size(); ++i)
        out[i] = it->second->matches(p.entries[i].record);
    return out;
}

std::vector<Dependency> CondaProvider::dependencies(const PackageId& package, std::size_t index) {
    const auto& record = load(package).entries.at(index).record;
    std::vector<Dependency> out;
    for (const auto& d : record.depends)
        out.push_back(
            within("reading " + quote(d), [&] { return requirement(d, DependencyKind::depends); }));
    for (const auto& d : record.constrains)
        out.push_back(within("reading " + quote(d),
                             [&] { return requirement(d, DependencyKind::constrains); }));
    return out;
}

std::string CondaProvider::describe_missing(const PackageId& package) {
    if (is_virtual(package))
        return "target " + quote(target_.name) + " has no " + package;
    std::string channels;
    std::size_t last = sources_.size();
    for (const auto& s : sources_) {
        if (s.priority == last)
            continue;
        last = s.priority;
        channels += (channels.empty() ? "" : ", ") + s.channel;
    }
    return "no package named " + package + " in " + channels + " for " + target_.conda_subdir() +
           " or noarch";
}

std::string CondaProvider::hint_missing(const PackageId& package) {
    if (is_virtual(package))
        return quote(package) + " comes from the target: " +
               (package == "__cuda" ? "give the target a `cuda` version, or require CPU builds"
                                    : "this target's platform does not have it");
    return "check the spelling of " + quote(package) +
           ", add the channel that has it to [conda] channels, or drop it for " +
           target_.conda_subdir() + " targets";
}

std::string CondaProvider::describe_fixed(const PackageId& package) {
    if (!is_virtual(package))
        return "";
    for (const auto& v : target_.virtual_packages())
        if (v.name == package)
            return "target " + quote(target_.name) + " has " + v.name + "=" + v.version;
    return "target " + quote(target_.name) + " has no " + package;
}

const CondaEntry& CondaProvider::entry(const PackageId& package, std::size_t index) {
    return load(package).entries.at(index);
}

}  // namespace airlock::resolve
