#pragma once
/// The `verify` phase's live line: `1.2 GiB / 3.4 GiB hashed  35%  files 3/12`.

#include "core/bundle/reader.hpp"

#include <string>

namespace airlock::verify {

std::string verify_status(const bundle::ReadCount& count);

}  // namespace airlock::verify
