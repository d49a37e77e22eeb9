/// The bundle reader (core/bundle/reader): the input is written to a file in a private temporary
/// folder and read as a bundle (tar or zstd tar, or a self-extracting file) with extraction into
/// an empty folder, the way `airlock-install` reads one: unsigned bundles accepted, so that the
/// manifest parser and the payload checks are reached without a valid signature; signed ones
/// checked against a fixed key (the seed corpus has bundles it signed). Properties: only
/// airlock::Error escapes; nothing is written outside the extraction folder; a bundle read
/// without problems has every manifest file extracted with the manifest's size.

#include "core/bundle/minisign.hpp"
#include "core/bundle/reader.hpp"
#include "fuzz/fuzz_check.hpp"

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
namespace fs = std::filesystem;

namespace {

// The key fuzz/make_bundle_seeds.py signs the seed bundles with (`minisign -G -W`).
constexpr std::string_view kTrustedKey =
    "untrusted comment: minisign public key 382FB259154BF7A9\n"
    "RWSp90sVWbIvOE/zvUNrRp17aGyLXaI5y+WoOu2FczjCX3GSAWM3vX9B\n";

/// A folder of this process's own under $TMPDIR, removed at exit.
class Workspace {
  public:
    Workspace() {
        auto base = fs::temp_directory_path() / "airlock-fuzz-bundle-XXXXXX";
        std::string pattern = base.string();
        check(mkdtemp(pattern.data()) != nullptr, "cannot create a temporary folder", pattern);
        root_ = pattern;
    }
    ~Workspace() {
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    const fs::path& root() const { return root_; }

  private:
    fs::path root_;
};

const Workspace& workspace() {
    static Workspace w;
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bundle::TrustedKeys trusted{bundle::PublicKey::parse(kTrustedKey, "fuzz.pub")};
    const auto& root = workspace().root();
    auto bundle_path = root / "bundle.airlock";
    auto out = root / "out";
    {
        std::ofstream file(bundle_path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        check(file.good(), "cannot write the input to", bundle_path.string());
    }
    std::error_code ec;
    fs::remove_all(out, ec);
    fs::create_directory(out);

    std::optional<bundle::VerifyReport> report;
    accepted([&] {
        report = bundle::read_bundle({bundle_path}, trusted, out, bundle::AllowUnsigned::yes);
    });
    if (report && report->ok()) {
        for (const auto& file : report->manifest.files) {
            auto path = out / std::string(file.path);
            check(fs::is_regular_file(path, ec) && fs::file_size(path, ec) == file.size,
                  "a bundle read without problems lacks a file of its manifest",
                  std::string(file.path));
        }
    }
    // Only the input and the extraction folder: nothing escaped beside them.
    for (const auto& entry : fs::directory_iterator(root)) {
        check(entry.path() == bundle_path || entry.path() == out,
              "the reader wrote outside its extraction folder", entry.path().string());
    }
    return 0;
}
