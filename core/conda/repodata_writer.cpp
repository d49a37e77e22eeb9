#include "core/conda/repodata_writer.hpp"

#include "core/base/error.hpp"
#include "core/conda/package_filename.hpp"
#include "core/conda/parse_error.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace airlock::conda {

std::string write_repodata(std::string_view subdir, const std::vector<PackageRecord>& records) {
    std::map<std::string, const PackageRecord*> tar_bz2, conda;
    for (const auto& r : records) {
        auto fn = PackageFilename::try_parse(r.fn);
        if (!fn)
            throw Error("cannot write repodata: the record " + printable(r.display()) +
                        " has no valid file name (`" + printable(r.fn) + "`)");
        auto& section = fn->format == PackageFormat::conda ? conda : tar_bz2;
        if (!section.emplace(r.fn, &r).second)
            throw Error("cannot write repodata: two records for `" + printable(r.fn) + "`");
    }
    auto write_section = [](std::string& out,
                            const std::map<std::string, const PackageRecord*>& s) {
        out += "{";
        bool first = true;
        for (const auto& [fn, record] : s) {
            out += first ? "\n  " : ",\n  ";
            first = false;
            out += nlohmann::json(fn).dump() + ": " + record->to_json();
        }
        out += first ? "}" : "\n }";
    };
    std::string out = "{\n \"info\": {\"subdir\": " + nlohmann::json(std::string(subdir)).dump() +
                      "},\n \"packages\": ";
    write_section(out, tar_bz2);
    out += ",\n \"packages.conda\": ";
    write_section(out, conda);
    out += ",\n \"repodata_version\": 1\n}\n";
    return out;
}

}  // namespace airlock::conda
