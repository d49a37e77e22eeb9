/// A channel's repodata.json (builder/conda/repodata, simdjson) and the records in it
/// (core/conda/package_record, nlohmann): the input is indexed as repodata (zstd inputs are
/// decompressed first), then every name's records are parsed; the input is also parsed as one
/// record. Properties: only airlock::Error escapes; a record's JSON (to_json) parses again to
/// the same JSON; records come back under the name they were asked for.

#include "builder/conda/repodata.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/conda/package_record.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>
#include <string>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
using airlock::fuzz::must_accept;

namespace {

void record_property(const conda::PackageRecord& record) {
    auto json = record.to_json();
    std::optional<conda::PackageRecord> again;
    must_accept([&] { again = conda::PackageRecord::from_json(json, record.fn); },
                "PackageRecord: to_json() does not parse", json);
    check(again->to_json() == json, "PackageRecord: to_json() is not stable", json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    std::optional<conda::Repodata> repodata;
    if (accepted([&] { repodata = conda::Repodata::parse(std::string(text), "fuzz.json"); })) {
        auto names = repodata->names();
        check(names.size() <= repodata->entry_count(), "Repodata: more names than entries");
        for (const auto& name : names) {
            check(repodata->contains(name), "Repodata: a listed name is not contained", name);
            std::vector<std::string> rejected;
            std::vector<conda::PackageRecord> records;
            must_accept([&] { records = repodata->records(name, &rejected); },
                        "Repodata: records() throws instead of rejecting", name);
            for (const auto& record : records) {
                check(record.name.normalized() == name,
                      "Repodata: a record under another name's key", name);
                record_property(record);
            }
        }
    }
    std::optional<conda::PackageRecord> record;
    if (accepted([&] { record = conda::PackageRecord::from_json(text); }))
        record_property(*record);
    return 0;
}
