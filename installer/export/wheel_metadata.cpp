#include "installer/export/wheel_metadata.hpp"

#include "core/base/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <optional>
#include <string>

namespace airlock::exporter {
namespace {

constexpr std::size_t kMaxMetadata = 16 * 1024 * 1024;

bool is_metadata_path(std::string_view path) {
    // exactly "<something>.dist-info/METADATA"
    auto slash = path.find('/');
    if (slash == std::string_view::npos || path.substr(slash + 1) != "METADATA")
        return false;
    return path.substr(0, slash).ends_with(".dist-info");
}

}  // namespace

wheel::CoreMetadata read_wheel_metadata(const std::filesystem::path& wheel) {
    const std::string name = wheel.filename().string();
    std::unique_ptr<struct archive, decltype(&archive_read_free)> a(archive_read_new(),
                                                                    &archive_read_free);
    archive_read_support_format_zip_seekable(a.get());
    if (archive_read_open_filename(a.get(), wheel.c_str(), 64 * 1024) != ARCHIVE_OK) {
        throw Error("cannot read the wheel " + quote(wheel.string()) + " as a zip archive: " +
                    (archive_error_string(a.get()) ? archive_error_string(a.get()) : "unknown"));
    }
    std::optional<std::string> text;
    archive_entry* entry = nullptr;
    while (true) {
        int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc < ARCHIVE_WARN) {
            throw Error(
                "the wheel " + quote(name) + " is damaged: " +
                (archive_error_string(a.get()) ? archive_error_string(a.get()) : "unknown"));
        }
        const char* path = archive_entry_pathname(entry);
        if (!path || !is_metadata_path(path))
            continue;
        if (text)
            throw Error("the wheel " + quote(name) + " has more than one .dist-info/METADATA");
        std::string data;
        char buf[16384];
        la_ssize_t n;
        while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
            data.append(buf, static_cast<std::size_t>(n));
            if (data.size() > kMaxMetadata)
                throw Error("the METADATA of wheel " + quote(name) + " is larger than 16 MiB");
        }
        if (n < 0) {
            throw Error(
                "cannot read " + quote(path) + " in the wheel " + quote(name) + ": " +
                (archive_error_string(a.get()) ? archive_error_string(a.get()) : "unknown"));
        }
        text = std::move(data);
    }
    if (!text)
        throw Error("the wheel " + quote(name) + " has no .dist-info/METADATA");
    return wheel::CoreMetadata::parse(*text, name);
}

}  // namespace airlock::exporter
