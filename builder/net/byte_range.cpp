#include "builder/net/byte_range.hpp"

namespace airlock::net {

std::string ByteRange::spec() const {
    if (suffix != 0)
        return "-" + std::to_string(suffix);
    std::string text = std::to_string(first) + "-";
    if (last)
        text += std::to_string(*last);
    return text;
}

}  // namespace airlock::net
