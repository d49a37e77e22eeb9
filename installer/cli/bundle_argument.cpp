#include "installer/cli/app.hpp"

#include "core/base/error.hpp"
#include "core/bundle/self_extracting.hpp"

#include <filesystem>

namespace airlock::installer {

void add_bundle_argument(CLI::App& cmd, std::string& bundle) {
    cmd.add_option("bundle", bundle,
                   "the bundle file (or the first of its .partNNN files); default: this program "
                   "itself, when it is a self-extracting bundle");
}

std::string bundle_or_self(const std::string& given) {
    if (!given.empty())
        return given;
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec && bundle::find_embedded_bundle(self))
        return self.string();
    throw Error("no bundle given, and this airlock-install carries none", Exit::usage)
        .with_hint("name the bundle: airlock-install verify BUNDLE --key KEY.pub");
}

}  // namespace airlock::installer
