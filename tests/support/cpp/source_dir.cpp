#include "tests/support/cpp/source_dir.hpp"

namespace airlock::test_support {

std::filesystem::path source_dir() {
    return AIRLOCK_SOURCE_DIR;
}

}  // namespace airlock::test_support
