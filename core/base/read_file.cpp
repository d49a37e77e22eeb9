#include "core/base/read_file.hpp"

#include "core/base/error.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace airlock {

std::optional<std::string> try_read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

std::string read_file(const std::filesystem::path& path, std::string_view what,
                      std::string_view hint) {
    errno = 0;
    if (auto text = try_read_file(path))
        return std::move(*text);
    int err = errno;
    std::string message = "cannot read " + std::string(what) + " " + quote(path.string());
    if (err != 0)
        message += std::string(": ") + std::strerror(err);
    Error error(std::move(message));
    if (!hint.empty())
        error.with_hint(std::string(hint));
    throw error;
}

}  // namespace airlock
