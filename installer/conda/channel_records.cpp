#include "installer/conda/channel_records.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/conda/match_spec.hpp"
#include "core/conda/package_filename.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace airlock::install::conda {

std::map<std::string, ChannelRecord> read_repodata(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error("cannot read " + quote(file.string()));
    std::ostringstream text;
    text << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("not valid JSON: ") + e.what());
    }
    if (!j.is_object())
        throw Error("not a JSON object");
    std::map<std::string, ChannelRecord> out;
    for (const char* key : {"packages", "packages.conda"}) {
        auto it = j.find(key);
        if (it == j.end())
            continue;
        if (!it->is_object())
            throw Error(std::string("`") + key + "` is not an object");
        for (const auto& [fn, rec] : it->items()) {
            if (!rec.is_object())
                throw Error("the record of " + quote(terminal_text(fn)) + " is not an object");
            ChannelRecord r;
            auto str = [&](const char* k) {
                auto f = rec.find(k);
                return f != rec.end() && f->is_string() ? f->get<std::string>() : std::string();
            };
            r.name = str("name");
            r.version = str("version");
            r.build = str("build");
            r.subdir = str("subdir");
            r.sha256 = str("sha256");
            r.md5 = str("md5");
            if (auto s = rec.find("size"); s != rec.end() && s->is_number_unsigned())
                r.size = s->get<std::uint64_t>();
            if (auto d = rec.find("depends"); d != rec.end()) {
                if (!d->is_array())
                    throw Error("the record of " + quote(terminal_text(fn)) +
                                ": `depends` is not a list");
                for (const auto& dep : *d) {
                    if (!dep.is_string())
                        throw Error("the record of " + quote(terminal_text(fn)) +
                                    ": `depends` holds " + terminal_text(dep.dump()) +
                                    ", not a string");
                    r.depends.push_back(dep.get<std::string>());
                }
            }
            if (!out.emplace(fn, std::move(r)).second)
                throw Error(quote(terminal_text(fn)) + " has two records");
        }
    }
    return out;
}

void check_record(const ChannelRecord& r, const bundle::BundleFile& f) {
    if (r.sha256 != f.sha256)
        throw Error("its sha256 in repodata.json is " +
                    (r.sha256.empty() ? std::string("missing") : terminal_text(r.sha256)) +
                    ", the file's is " + f.sha256);
    if (!r.size || *r.size != f.size)
        throw Error("its size in repodata.json is " +
                    (r.size ? std::to_string(*r.size) : std::string("missing")) +
                    ", the file's is " + std::to_string(f.size));
    if (!f.md5.empty() && !r.md5.empty() && f.md5 != r.md5)
        throw Error("its md5 in repodata.json is " + terminal_text(r.md5) + ", the manifest says " +
                    f.md5);
}

void check_record_identity(const ChannelRecord& r, std::string_view filename,
                           std::string_view subdir) {
    auto fn = airlock::conda::PackageFilename::parse(filename);
    auto same = [&](const char* field, const std::string& have, const std::string& want) {
        if (have != want)
            throw Error("its " + std::string(field) + " in repodata.json is " +
                        (have.empty() ? std::string("missing") : quote(have)) +
                        ", the file name says " + quote(want))
                .with_hint(
                    "the bundle's channel does not describe its own files: it was altered or "
                    "not written by airlock-build");
    };
    same("name", r.name, fn.name.source());
    same("version", r.version, fn.version.source());
    same("build", r.build, fn.build);
    if (!r.subdir.empty())
        same("subdir", r.subdir, std::string(subdir));
    for (const auto& dep : r.depends) {
        if (!airlock::conda::MatchSpec::try_parse(dep))
            throw Error("its depends in repodata.json hold " + quote(dep) +
                        ", which is not a conda match spec");
    }
}

}  // namespace airlock::install::conda
