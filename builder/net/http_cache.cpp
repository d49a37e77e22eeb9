#include "builder/net/http_cache.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/atomic_file.hpp"

#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

namespace airlock::net {
namespace {

constexpr std::string_view magic = "airlock-http-cache 1\n";

}  // namespace

std::optional<std::string> CacheEntry::header(const std::string& name) const {
    auto it = headers.find(name);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::int64_t CacheEntry::max_age() const {
    auto control = header("cache-control");
    if (!control)
        return 0;
    std::string value = ascii_lower(*control);
    if (value.find("no-cache") != std::string::npos ||
        value.find("no-store") != std::string::npos) {
        return 0;
    }
    auto at = value.find("max-age=");
    if (at == std::string::npos)
        return 0;
    try {
        return std::stoll(value.substr(at + 8));
    } catch (...) {
        return 0;
    }
}

HttpCache::HttpCache(std::filesystem::path root) : root_(std::move(root)) {}

std::string HttpCache::key(const std::string& url, const std::string& accept) {
    return digest::sha256_hex(url + "\n" + accept);
}

std::filesystem::path HttpCache::path_of(const std::string& key) const {
    return root_ / key.substr(0, 2) / key;
}

std::optional<CacheEntry> HttpCache::load(const std::string& key) const {
    std::ifstream in(path_of(key), std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!data.starts_with(magic))
        return std::nullopt;
    CacheEntry entry;
    std::size_t pos = magic.size();
    std::optional<std::size_t> body_size;
    // Header lines "name: value" up to an empty line, then the body.
    while (true) {
        auto nl = data.find('\n', pos);
        if (nl == std::string::npos)
            return std::nullopt;
        std::string_view line(data.data() + pos, nl - pos);
        pos = nl + 1;
        if (line.empty())
            break;
        auto colon = line.find(": ");
        if (colon == std::string_view::npos)
            return std::nullopt;
        std::string name(line.substr(0, colon));
        std::string value(line.substr(colon + 2));
        if (name == "@url") {
            entry.url = value;
        } else if (name == "@effective-url") {
            entry.effective_url = value;
        } else if (name == "@stored-at") {
            entry.stored_at = std::atoll(value.c_str());
        } else if (name == "@body-size") {
            body_size = std::strtoull(value.c_str(), nullptr, 10);
        } else {
            entry.headers[name] = value;
        }
    }
    if (!body_size || data.size() - pos != *body_size)
        return std::nullopt;  // torn or foreign
    entry.body = data.substr(pos);
    entry.content_type = entry.header("content-type").value_or("");
    return entry;
}

void HttpCache::store(const std::string& key, const CacheEntry& entry) const {
    std::string data(magic);
    auto line = [&](const std::string& name, const std::string& value) {
        if (value.find('\n') != std::string::npos)
            return;
        data += name + ": " + value + "\n";
    };
    line("@url", entry.url);
    line("@effective-url", entry.effective_url);
    line("@stored-at", std::to_string(entry.stored_at));
    line("@body-size", std::to_string(entry.body.size()));
    for (const auto& [name, value] : entry.headers) {
        if (name == "etag" || name == "last-modified" || name == "cache-control" ||
            name == "content-type" || name == "date") {
            line(name, value);
        }
    }
    data += "\n";
    data += entry.body;
    try {
        write_file_atomically(path_of(key), data, {.parents = Parents::create});
    } catch (const Error&) {
        // A read-only or full cache must not fail the run: the response is still returned.
    }
}

}  // namespace airlock::net
