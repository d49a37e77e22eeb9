#include "installer/export/conda_channel.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "installer/conda/channel_records.hpp"

#include <zstd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace airlock::exporter {
namespace fs = std::filesystem;

std::string zstd_compress(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 19);
    if (ZSTD_isError(n))
        throw Error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

std::size_t write_conda_channel(const fs::path& root, const bundle::BundleManifest& m) {
    // subdir -> package files of the bundle (paths conda/<subdir>/<file>, checked by the manifest
    // parser), and the subdirs that have a repodata.json.
    std::map<std::string, std::map<std::string, const bundle::BundleFile*>> packages;
    std::set<std::string> indexed;
    for (const auto& f : m.files) {
        const std::string& p = f.path.str();
        if (!p.starts_with("conda/"))
            continue;
        auto slash = p.find('/', 6);
        if (slash == std::string::npos || p.find('/', slash + 1) != std::string::npos)
            throw Error("the bundle holds " + quote(terminal_text(p)) +
                        ", which is not conda/<subdir>/<file>");
        const std::string subdir = p.substr(6, slash - 6);
        const std::string name = p.substr(slash + 1);
        if (name == "repodata.json")
            indexed.insert(subdir);
        else if (name.ends_with(".conda") || name.ends_with(".tar.bz2"))
            packages[subdir][name] = &f;
        else
            throw Error("the bundle holds " + quote(terminal_text(p)) +
                        ", which is neither a conda package nor repodata.json");
    }
    std::size_t count = 0;
    for (const auto& [subdir, files] : packages)
        if (!indexed.contains(subdir))
            throw Error("the bundle has conda packages for " + quote(subdir) + " but no conda/" +
                        subdir + "/repodata.json")
                .with_hint("the bundle is incomplete; rebuild it with airlock-build");
    for (const auto& subdir : indexed) {
        const fs::path repodata = root / "conda" / subdir / "repodata.json";
        within("checking conda/" + subdir + "/repodata.json", [&] {
            auto records = install::conda::read_repodata(repodata);
            auto it = packages.find(subdir);
            const auto& files = it == packages.end()
                                    ? std::map<std::string, const bundle::BundleFile*>{}
                                    : it->second;
            for (const auto& [fn, rec] : records) {
                auto f = files.find(fn);
                if (f == files.end())
                    throw Error("it lists " + quote(terminal_text(fn)) +
                                ", which the bundle does not hold");
                within(quote(fn), [&] {
                    install::conda::check_record(rec, *f->second);
                    install::conda::check_record_identity(rec, fn, subdir);
                });
            }
            for (const auto& [fn, f] : files)
                if (!records.contains(fn))
                    throw Error("it has no record of " + quote(fn) + ", which the bundle holds");
            count += files.size();
            std::ifstream in(repodata, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            std::ofstream out(repodata.string() + ".zst", std::ios::binary);
            out << zstd_compress(text.str());
            if (!out)
                throw Error("cannot write " + quote(repodata.string() + ".zst"));
        });
    }
    return count;
}

}  // namespace airlock::exporter
