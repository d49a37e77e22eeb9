#include "builder/index/find_links.hpp"

#include "builder/net/url.hpp"
#include "core/digest/sha256.hpp"
#include "core/pep503/name.hpp"
#include "core/wheel/filename.hpp"
#include "core/wheel/sdist_filename.hpp"
#include "core/wheel/url_filename.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

namespace airlock::index {

std::optional<std::filesystem::path> local_path(std::string_view file_url) {
    auto parsed = net::Url::try_parse(file_url);
    if (!parsed || parsed->scheme() != "file")
        return std::nullopt;
    return std::filesystem::path(wheel::percent_decode(parsed->path()));
}

std::vector<DistFile> list_folder(const std::filesystem::path& folder) {
    std::vector<DistFile> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        auto name = entry.path().filename().string();
        std::error_code type_error;
        if (name.starts_with('.') || !entry.is_regular_file(type_error))
            continue;
        if (!wheel::WheelFilename::try_parse(name) && !wheel::try_parse_sdist(name))
            continue;
        DistFile file;
        file.filename = name;
        file.url = net::file_url(entry.path().string());
        auto size = entry.file_size(type_error);
        if (!type_error)
            file.size = size;
        files.push_back(std::move(file));
    }
    std::sort(files.begin(), files.end(),
              [](const DistFile& a, const DistFile& b) { return a.filename < b.filename; });
    return files;
}

bool is_distribution_of(std::string_view filename, std::string_view normalized) {
    if (auto w = wheel::WheelFilename::try_parse(filename))
        return w->normalized_name == normalized;
    if (!wheel::try_parse_sdist(filename))
        return false;
    // An sdist's name may itself contain `-`: the project's name, then `-` and a version that
    // starts with a digit (pip's _find_name_version_sep).
    for (std::size_t dash = filename.find('-'); dash != std::string_view::npos;
         dash = filename.find('-', dash + 1)) {
        if (dash + 1 < filename.size() &&
            std::isdigit(static_cast<unsigned char>(filename[dash + 1])) &&
            pep503::normalize(filename.substr(0, dash)) == normalized)
            return true;
    }
    return false;
}

std::vector<DistFile> project_files(const std::vector<DistFile>& listing,
                                    std::string_view normalized) {
    std::vector<DistFile> out;
    for (const auto& file : listing) {
        if (!is_distribution_of(file.filename, normalized))
            continue;
        out.push_back(file);
        auto& copy = out.back();
        if (!copy.sha256()) {
            if (auto path = local_path(copy.url))
                copy.hashes["sha256"] = digest::sha256_file(*path);
        }
    }
    return out;
}

}  // namespace airlock::index
