#include "builder/fetch/local_files.hpp"

#include "builder/net/url.hpp"
#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"
#include "core/wheel/url_filename.hpp"

#include <fstream>
#include <random>
#include <system_error>

namespace airlock::fetch {

void import_local_files(const std::vector<FetchItem>& items, const Cache& cache) {
    for (const auto& item : items) {
        if (item.sha256.empty() || item.urls.empty() || cache.lookup(item.sha256))
            continue;
        auto url = net::Url::try_parse(item.urls.front());
        if (!url || url->scheme() != "file")
            continue;
        std::filesystem::path source = wheel::percent_decode(url->path());
        std::ifstream in(source, std::ios::binary);
        if (!in) {
            throw Error("cannot read " + quote(source.string()) + " for " + quote(item.filename))
                .with_hint("the lock names a local file (a find-links folder); is it still there?");
        }
        std::filesystem::create_directories(cache.tmp_dir());
        auto temporary =
            cache.tmp_dir() / (item.sha256 + ".local-" + std::to_string(std::random_device{}()));
        std::uint64_t size = 0;
        digest::Sha256 hash;
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            std::vector<char> buffer(1 << 20);
            while (in) {
                in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                auto got = static_cast<std::size_t>(in.gcount());
                hash.update(buffer.data(), got);
                out.write(buffer.data(), static_cast<std::streamsize>(got));
                size += got;
            }
            if (!out) {
                std::error_code ec;
                std::filesystem::remove(temporary, ec);
                throw Error("cannot write " + quote(temporary.string()));
            }
        }
        auto computed = hash.hex_digest();
        if (computed != item.sha256 || (item.size && *item.size != size)) {
            std::error_code ec;
            std::filesystem::remove(temporary, ec);
            throw Error("the local file " + quote(source.string()) + " does not match the lock: " +
                        "sha256 " + item.sha256 + " expected, " + computed + " found")
                .with_hint("the file changed since it was locked; lock again");
        }
        cache.commit(temporary, item.sha256);
    }
}

}  // namespace airlock::fetch
