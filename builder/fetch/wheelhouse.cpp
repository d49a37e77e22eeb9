#include "builder/fetch/wheelhouse.hpp"

#include "builder/fetch/cache.hpp"
#include "core/base/error.hpp"

namespace airlock::fetch {

std::uint64_t write_wheelhouse(const std::vector<FetchItem>& items,
                               const std::vector<Fetched>& fetched,
                               const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error("cannot create " + quote(dir.string()) + ": " + ec.message());
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        place_file(fetched[i].blob, dir / items[i].filename);
        bytes += fetched[i].size;
    }
    return bytes;
}

}  // namespace airlock::fetch
