/// Wheel file names (core/wheel, PEP 427) and the other names an index link can carry: sdist
/// file names, URLs' last segments, compressed tag sets (core/tags). Properties: try_parse
/// agrees with parse; a parsed wheel name's parts are non-empty and its tags print as tags that
/// parse again; every parsed name is PEP 503-normalised.

#include "core/tags/tag.hpp"
#include "core/wheel/filename.hpp"
#include "core/wheel/sdist_filename.hpp"
#include "core/wheel/url_filename.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
using airlock::fuzz::must_accept;

namespace {

bool is_normalized(std::string_view name) {
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok)
            return false;
    }
    return !name.empty();
}

void wheel_property(std::string_view text) {
    std::optional<wheel::WheelFilename> name;
    bool ok = accepted([&] { name = wheel::WheelFilename::parse(text); });
    check(ok == wheel::WheelFilename::try_parse(text).has_value(),
          "WheelFilename: try_parse disagrees", text);
    if (!name)
        return;
    check(!name->name.empty() && !name->version.empty() && !name->tags.empty(),
          "WheelFilename: an empty part", text);
    check(is_normalized(name->normalized_name), "WheelFilename: name not normalised",
          name->normalized_name);
    accepted([&] { name->build(); });
    for (const auto& tag : name->tags) {
        auto printed = tag.to_string();
        auto again = tags::try_parse_tag_set(printed);
        check(again && again->size() == 1 && (*again)[0].to_string() == printed,
              "WheelFilename: a tag does not print as itself", printed);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    wheel_property(text);
    auto sdist = wheel::try_parse_sdist(text);
    if (sdist)
        check(is_normalized(sdist->normalized_name), "sdist: name not normalised", text);
    std::string from_url;
    must_accept([&] { from_url = wheel::filename_from_url(text); }, "filename_from_url throws",
                text);
    wheel_property(from_url);
    bool ok = accepted([&] { tags::parse_tag_set(text); });
    check(ok == tags::try_parse_tag_set(text).has_value(), "parse_tag_set: try_parse disagrees",
          text);
    return 0;
}
