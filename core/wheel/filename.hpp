#pragma once
/// Wheel file names (PEP 427, the "Binary distribution format" specification):
/// `{name}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`.

#include "core/tags/tag.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace airlock::wheel {

struct WheelFilename {
    std::string name;             ///< as written in the file name ("torch", "typing_extensions")
    std::string normalized_name;  ///< PEP 503 form ("typing-extensions")
    std::string version;          ///< as written ("2.5.1+cu124"); consumers parse it (PEP 440)
    std::string build_tag;        ///< "" when absent, else starts with a digit ("1", "2abc")
    std::vector<tags::Tag> tags;  ///< the expanded compressed tag set, in file-name order

    /// Parses a file name (not a URL: percent-decode first, see url_filename.hpp). Throws
    /// airlock::Error: "The wheel filename `x` is invalid: <reason>".
    static WheelFilename parse(std::string_view filename);
    /// The same, nullopt when the name is not a valid wheel file name.
    static std::optional<WheelFilename> try_parse(std::string_view filename);

    /// The build tag as packaging orders it: (leading number, rest); nullopt without one.
    std::optional<std::pair<std::uint64_t, std::string>> build() const;
};

}  // namespace airlock::wheel
