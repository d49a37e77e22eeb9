#include "core/base/human_size.hpp"

#include <cstdio>

namespace airlock {

std::string human_size(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (unit == 0) {
        std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    } else {
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    }
    return text;
}

std::string exact_size(std::uint64_t bytes) {
    if (bytes < 1024)
        return human_size(bytes);
    return human_size(bytes) + " (" + std::to_string(bytes) + " bytes)";
}

}  // namespace airlock
