#include "builder/fetch/wheelhouse.hpp"

#include "builder/fetch/cache.hpp"
#include "core/base/error.hpp"

namespace airlock::fetch {

std::uint64_t write_wheelhouse(const std::vector<FetchItem>& items,
                               const std::vector<Fetched>& fetched,
                               const std::filesystem::path& dir) {
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        // fetch_all checked the name and the folder: plain, relative, no `..`.
        auto folder = items[i].folder.empty() ? dir : dir / items[i].folder;
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        if (ec)
            throw Error("cannot create " + quote(folder.string()) + ": " + ec.message());
        place_file(fetched[i].blob, folder / items[i].filename);
        bytes += fetched[i].size;
    }
    return bytes;
}

}  // namespace airlock::fetch
