#pragma once
/// Where the checkout's files are, for tests that read its fixtures (manifests/, tests/,
/// testdata/).

#include <filesystem>

namespace airlock::test_support {

/// The source folder the tests were configured from. Only source_dir.cpp carries the absolute path
/// (a compile definition), so every other test object stays the same in any checkout and ccache
/// reuses it in a fresh clone.
std::filesystem::path source_dir();

}  // namespace airlock::test_support
