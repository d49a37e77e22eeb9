/// The main() of a fuzz target in the GCC builds (plain and ASan/UBSan), where libFuzzer is not
/// available: it feeds every file under the given files and directories (recursively, in sorted
/// order, dot files skipped) to LLVMFuzzerTestOneInput once. ctest runs it over the target's
/// seed corpus and its regressions (fuzz/CMakeLists.txt), so every input that once crashed a
/// parser stays a test in every CI run.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool hidden(const fs::path& path) {
    return path.filename().string().starts_with(".");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <file or directory>...\n", argv[0]);
        return 2;
    }
    std::size_t total = 0;
    for (int i = 1; i < argc; ++i) {
        fs::path root(argv[i]);
        std::vector<fs::path> inputs;
        std::error_code ec;
        if (fs::is_directory(root, ec)) {
            for (const auto& entry : fs::recursive_directory_iterator(root)) {
                if (entry.is_regular_file() && !hidden(entry.path()))
                    inputs.push_back(entry.path());
            }
        } else if (fs::is_regular_file(root, ec)) {
            inputs.push_back(root);
        } else {
            std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", argv[i]);
            return 2;
        }
        std::sort(inputs.begin(), inputs.end());
        for (const auto& path : inputs) {
            std::ifstream in(path, std::ios::binary);
            std::string bytes{std::istreambuf_iterator<char>(in), {}};
            if (!in.good() && !in.eof()) {
                std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
                return 2;
            }
            // Printed before the call: when an input aborts, the last line names it.
            std::fprintf(stderr, "replay: %s\n", path.c_str());
            // A heap copy of exactly the input's bytes, so ASan sees a read past the end as it
            // does under libFuzzer.
            auto data = std::make_unique<std::uint8_t[]>(std::max<std::size_t>(bytes.size(), 1));
            std::copy(bytes.begin(), bytes.end(), data.get());
            LLVMFuzzerTestOneInput(data.get(), bytes.size());
            ++total;
        }
        std::printf("replay: %zu inputs from %s\n", inputs.size(), argv[i]);
    }
    std::printf("replay: %zu inputs, no failure\n", total);
    return 0;
}
