#include "builder/fetch/partial_state.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace airlock::fetch {
namespace fs = std::filesystem;

std::optional<PartialState> PartialState::load(const fs::path& path) {
    auto text = try_read_file(path);
    if (!text)
        return std::nullopt;
    auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object() || json.value("version", 0) != 1)
        return std::nullopt;
    try {
        PartialState state;
        state.url = json.at("url").get<std::string>();
        if (json.contains("size") && !json.at("size").is_null()) {
            state.size = json.at("size").get<std::uint64_t>();
        }
        state.validators = json.at("validators").get<std::vector<std::string>>();
        std::uint64_t expect = 0;
        for (const auto& r : json.at("ranges")) {
            Range range{r.at(0).get<std::uint64_t>(), r.at(1).get<std::uint64_t>(),
                        r.at(2).get<std::uint64_t>()};
            if (range.start != expect || range.end < range.start ||
                range.done > range.end - range.start) {
                return std::nullopt;
            }
            expect = range.end;
            state.ranges.push_back(range);
        }
        if (!state.size || state.ranges.empty() || expect != *state.size)
            return std::nullopt;
        return state;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

void PartialState::save(const fs::path& path) const {
    nlohmann::json json;
    json["version"] = 1;
    json["url"] = url;
    json["size"] = size ? nlohmann::json(*size) : nlohmann::json(nullptr);
    json["validators"] = validators;
    auto ranges_json = nlohmann::json::array();
    for (const auto& r : ranges)
        ranges_json.push_back({r.start, r.end, r.done});
    json["ranges"] = ranges_json;
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << json.dump() << '\n';
        if (!out)
            throw Error("cannot write download state " + quote(tmp.string()));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        throw Error("cannot write download state " + quote(path.string()));
    }
}

std::vector<Segment> PartialState::segments() const {
    std::vector<Segment> out;
    for (const auto& r : ranges) {
        Segment s;
        s.start = r.start;
        s.end = r.end;
        s.done = r.done;
        out.push_back(s);
    }
    return out;
}

std::vector<PartialState::Range> PartialState::ranges_of(const SegmentPlan& plan) {
    std::vector<Range> out;
    for (const auto& s : plan.segments())
        out.push_back(Range{s.start, s.end, s.done});
    return out;
}

}  // namespace airlock::fetch
