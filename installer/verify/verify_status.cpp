#include "installer/verify/verify_status.hpp"

#include "core/base/human_size.hpp"

#include <algorithm>

namespace airlock::verify {

std::string verify_status(const bundle::ReadCount& count) {
    const auto bytes = std::min(count.bytes, count.total_bytes);
    const auto percent = count.total_bytes ? bytes * 100 / count.total_bytes : 100;
    return human_size(bytes) + " / " + human_size(count.total_bytes) + " hashed  " +
           std::to_string(percent) + "%  files " + std::to_string(count.files) + "/" +
           std::to_string(count.total_files);
}

}  // namespace airlock::verify
