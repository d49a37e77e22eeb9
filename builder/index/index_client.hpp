#pragma once
/// Package index client: PEP 503 (HTML) and PEP 691 (JSON) simple repository pages, PEP 658/714
/// core metadata, with a zip range-read fallback for METADATA. Several indexes; an index with
/// `packages = [...]` is the only source of those packages (no --extra-index-url shadowing).
/// A find-links index (find_links.hpp) gives its files from one folder or page of links.

#include "builder/index/project_page.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/net/http_client.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::index {

/// The Accept header of every page request (PEP 691 JSON preferred, HTML accepted).
inline constexpr const char* page_accept =
    "Accept: application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
    "text/html;q=0.01";

struct IndexClientOptions {
    std::filesystem::path cache_dir;  ///< empty: net::default_cache_dir()
    net::CacheMode cache_mode = net::CacheMode::revalidate;
    /// Extra attempts per URL; empty: those of `network.retry` (`--retries`).
    std::optional<int> retries;
    /// `--cert`, timeouts, retry policy; credentials (null: those of the indexes' URLs, see
    /// index_credentials.hpp).
    net::NetworkOptions network;
};

/// How METADATA was obtained (for tests and `-v` output).
enum class MetadataSource { cache, pep658, range_read, whole_wheel };

class IndexClient {
  public:
    explicit IndexClient(std::vector<manifest::IndexSpec> indexes, IndexClientOptions options = {});
    ~IndexClient();

    /// The indexes that may serve `name` (any spelling), in the order they are asked: the one
    /// index listing it in `packages`, else every index without a `packages` list.
    std::vector<const manifest::IndexSpec*> indexes_for(std::string_view name) const;

    /// The page of the first eligible index that has the project; nullptr when none has it.
    /// Throws airlock::Error for failures other than 404 (URL and status in the message).
    /// The page stays valid for the client's lifetime.
    const ProjectPage* find_project(std::string_view name);

    /// Like find_project, but a missing project is an error naming the indexes asked.
    const ProjectPage& project(std::string_view name);

    /// Fetches the pages of many projects concurrently so later find_project calls are memory
    /// lookups. Errors are not thrown here; they are thrown by the find_project call that needs
    /// the page.
    void prefetch(const std::vector<std::string>& names);

    /// The METADATA text of a wheel: PEP 658 `<url>.metadata` (hash verified), else range reads
    /// of the zip's central directory and METADATA member, else the whole wheel, streamed into
    /// the download cache (builder/fetch, verified against its sha256) where the later download
    /// finds it. Cached on disk by the wheel's sha256 (or URL).
    std::string metadata(const DistFile& file, MetadataSource* source = nullptr);

    /// Fetches METADATA of many wheels concurrently (PEP 658 files in one batch); later
    /// metadata() calls are memory lookups. Errors surface on the metadata() call.
    void prefetch_metadata(const std::vector<DistFile>& files);

    net::HttpClient& http() { return *http_; }

    /// Why no eligible index has `name`, learnt from the roots of those indexes (fetched once
    /// each, only on this error path): an index whose root is missing too and that served no
    /// other project has a wrong URL; names on the roots close to `name` are likely what was
    /// meant.
    struct MissingProject {
        std::string wrong_index;  ///< the [[index]] whose URL looks wrong ("" when none)
        std::string wrong_root;   ///< its root URL (credential-free)
        long wrong_status = 0;    ///< what the root answered
        std::vector<std::string> close_names;  ///< normalised, nearest first
    };
    MissingProject why_missing(std::string_view name);
    /// The error text and hint for a missing project, from why_missing.
    static std::string describe(const MissingProject& why, const std::string& asked);
    static std::string hint(const MissingProject& why);

  private:
    struct PageResult;
    const PageResult& page_result(const std::string& normalized);
    std::string metadata_cache_key(const DistFile& file) const;
    std::string offline_hint() const;
    struct RootListing;
    const RootListing& root_listing(const manifest::IndexSpec& index);
    std::map<std::string, std::unique_ptr<RootListing>> roots_;  ///< index name → its root
    std::pair<std::string, MetadataSource> metadata_from_wheel(const DistFile& file);
    std::string metadata_of_whole_wheel(const DistFile& file);
    /// A find-links index's files (its folder or its page), read once.
    const std::vector<DistFile>& listing(const manifest::IndexSpec& index);

    std::vector<manifest::IndexSpec> indexes_;
    IndexClientOptions options_;
    std::unique_ptr<net::HttpClient> http_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<PageResult>> pages_;  ///< normalised name → result
    std::map<std::string, std::string> metadata_memory_;        ///< cache key → METADATA
    std::mutex listings_mutex_;
    std::map<std::string, std::vector<DistFile>> listings_;  ///< find-links URL → its files
};

}  // namespace airlock::index
