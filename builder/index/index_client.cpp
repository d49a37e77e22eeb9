#include "builder/index/index_client.hpp"

#include "builder/fetch/cache.hpp"
#include "builder/fetch/fetch.hpp"
#include "builder/index/find_links.hpp"
#include "builder/index/zip_reader.hpp"
#include "builder/manifest/index_credentials.hpp"
#include "builder/net/http_cache.hpp"
#include "builder/net/netrc.hpp"
#include "builder/net/url.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/edit_distance.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/digest/sha256.hpp"
#include "core/pep503/name.hpp"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

namespace airlock::index {
namespace {

constexpr std::uint64_t tail_bytes = 64 * 1024;

/// A reference that, resolved against `page`, gives `file` (same origin only).
std::optional<std::string> relative_reference(std::string_view page, std::string_view file) {
    auto page_url = net::Url::try_parse(page);
    auto file_url = net::Url::try_parse(file);
    if (!page_url || !file_url || page_url->origin() != file_url->origin())
        return std::nullopt;
    const auto& page_path = page_url->path();
    const auto& file_path = file_url->path();
    auto page_dir = page_path.substr(0, page_path.rfind('/') + 1);
    std::size_t common = 0;  // length of the shared directory prefix, ending with '/'
    for (std::size_t i = 0; i < std::min(page_dir.size(), file_path.size()); ++i) {
        if (page_dir[i] != file_path[i])
            break;
        if (page_dir[i] == '/')
            common = i + 1;
    }
    std::string reference;
    for (std::size_t i = common; i < page_dir.size(); ++i) {
        if (page_dir[i] == '/')
            reference += "../";
    }
    reference += file_path.substr(common);
    std::string_view rest = file.substr(std::min(file.size(), file.find_first_of("?#")));
    return reference + std::string(rest);
}

std::string page_url(const std::string& root, const std::string& normalized) {
    // A file:// index is a directory tree: its pages are the index.html files (as pip reads them).
    if (root.starts_with("file:"))
        return root + "/" + normalized + "/index.html";
    return root + "/" + normalized + "/";
}

std::optional<std::uint64_t> content_range_total(const net::HttpResponse& response) {
    auto it = response.headers.find("content-range");
    if (it == response.headers.end())
        return std::nullopt;
    auto slash = it->second.rfind('/');
    if (slash == std::string::npos || it->second.substr(slash + 1) == "*")
        return std::nullopt;
    try {
        return std::stoull(it->second.substr(slash + 1));
    } catch (...) {
        return std::nullopt;
    }
}

Error http_error(const net::HttpResponse& response, const std::string& url) {
    if (response.status == 0) {
        return Error("GET " + net::redact(url) + " failed: " + response.error, Exit::user);
    }
    return Error("GET " + net::redact(url) + " answered HTTP " + std::to_string(response.status) +
                     (response.error.empty() ? std::string() : ": " + response.error),
                 Exit::user);
}

}  // namespace

struct IndexClient::PageResult {
    std::unique_ptr<ProjectPage> page;  ///< null: not on any eligible index (or error)
    std::optional<Error> error;
    std::vector<std::string> asked;  ///< names of the indexes asked
};

IndexClient::IndexClient(std::vector<manifest::IndexSpec> indexes, IndexClientOptions options)
    : indexes_(std::move(indexes)), options_(std::move(options)) {
    net::HttpClientOptions http;
    http.cache_dir = options_.cache_dir.empty() && options_.cache_mode != net::CacheMode::disabled
                         ? net::default_cache_dir()
                         : options_.cache_dir;
    options_.cache_dir = http.cache_dir;
    http.cache_mode = options_.cache_mode;
    http.network = options_.network;
    if (options_.retries)
        http.network.retry.retries = *options_.retries;
    if (!http.network.credentials) {
        auto store = std::make_shared<net::CredentialStore>(manifest::credential_store(indexes_));
        net::add_netrc(*store, net::read_process_netrc());
        http.network.credentials = std::move(store);
    }
    http_ = std::make_unique<net::HttpClient>(http);
}

IndexClient::~IndexClient() = default;

std::vector<const manifest::IndexSpec*> IndexClient::indexes_for(std::string_view name) const {
    auto normalized = pep503::normalize(name);
    for (const auto& index : indexes_) {
        if (std::find(index.packages.begin(), index.packages.end(), normalized) !=
            index.packages.end()) {
            return {&index};
        }
    }
    std::vector<const manifest::IndexSpec*> out;
    for (const auto& index : indexes_) {
        if (index.packages.empty())
            out.push_back(&index);
    }
    return out;
}

void IndexClient::prefetch(const std::vector<std::string>& names) {
    struct Pending {
        std::string normalized;
        std::vector<const manifest::IndexSpec*> candidates;
        std::size_t next = 0;
        std::unique_ptr<PageResult> result = std::make_unique<PageResult>();
    };
    std::vector<Pending> pending;
    {
        std::lock_guard guard(mutex_);
        for (const auto& name : names) {
            auto normalized = pep503::normalize(name);
            if (pages_.count(normalized))
                continue;
            if (std::any_of(pending.begin(), pending.end(),
                            [&](const Pending& p) { return p.normalized == normalized; })) {
                continue;
            }
            pending.push_back({normalized, indexes_for(normalized)});
        }
    }
    // Ask every project's next eligible index at once; 404s move on to the following index.
    std::vector<Pending*> round;
    for (auto& p : pending)
        round.push_back(&p);
    while (!round.empty()) {
        std::vector<net::HttpRequest> requests;
        std::vector<Pending*> asked;
        for (Pending* p : round) {
            // A find-links index answers from its listing, without a page request.
            bool answered = false;
            while (!answered && p->next < p->candidates.size() &&
                   p->candidates[p->next]->kind == manifest::IndexKind::find_links) {
                const auto* index = p->candidates[p->next];
                p->result->asked.push_back(index->name);
                try {
                    auto files = project_files(listing(*index), p->normalized);
                    if (files.empty()) {
                        ++p->next;
                        continue;
                    }
                    ProjectPage page;
                    page.name = p->normalized;
                    page.url = index->url;
                    page.index_name = index->name;
                    page.index_url = index->url;
                    page.files = std::move(files);
                    p->result->page = std::make_unique<ProjectPage>(std::move(page));
                } catch (Error& e) {
                    p->result->error = std::move(e.within(
                        "listing the files of " + quote(p->normalized) + " from find-links " +
                        quote(index->name) + " (" + net::redact(index->url) + ")"));
                }
                answered = true;
            }
            if (answered || p->next >= p->candidates.size())
                continue;
            const auto* index = p->candidates[p->next];
            net::HttpRequest request;
            request.url = page_url(index->url, p->normalized);
            request.headers = {page_accept};
            for (const auto& mirror : index->mirrors) {
                request.mirrors.push_back(page_url(mirror, p->normalized));
            }
            requests.push_back(std::move(request));
            asked.push_back(p);
        }
        auto responses = http_->get_many(requests);
        round.clear();
        for (std::size_t i = 0; i < asked.size(); ++i) {
            Pending* p = asked[i];
            const auto* index = p->candidates[p->next];
            const auto& response = responses[i];
            const auto& url = requests[i].url;
            p->result->asked.push_back(index->name);
            auto context = "fetching the page of " + quote(p->normalized) + " from index " +
                           quote(index->name);
            if (response.status == 404 || response.status == 410) {
                ++p->next;
                round.push_back(p);
                continue;
            }
            if (!response.ok()) {
                auto error = http_error(response, url);
                if (response.tls_failed) {
                    // The message already says what to do.
                } else if (response.offline_miss) {
                    error.with_hint(offline_hint());
                } else if (response.status == 0) {
                    error.with_hint(
                        "check the network and the index URL; mirrors are tried in "
                        "order when listed under `mirrors`");
                } else if (response.status == 401 || response.status == 403) {
                    error.with_hint(
                        "the index needs credentials: put them in ~/.netrc or in the "
                        "manifest's URL as user:${VAR}@ (they are never written anywhere)");
                }
                p->result->error = std::move(error.within(context));
                continue;
            }
            try {
                auto page = parse_project_page(response.body, response.content_type,
                                               response.effective_url);
                if (page.name.empty())
                    page.name = p->normalized;
                page.index_name = index->name;
                page.index_url = index->url;
                // Files linked relatively are mirrored with the page: map them onto each root.
                std::vector<std::string> roots{index->url};
                roots.insert(roots.end(), index->mirrors.begin(), index->mirrors.end());
                for (auto& file : page.files) {
                    auto reference = relative_reference(response.effective_url, file.url);
                    if (!reference || roots.size() < 2)
                        continue;
                    std::vector<std::string> urls;
                    for (const auto& root : roots) {
                        auto mirrored =
                            net::Url::parse(page_url(root, p->normalized)).resolve(*reference);
                        if (mirrored)
                            urls.push_back(mirrored->str());
                    }
                    if (urls.size() != roots.size())
                        continue;
                    file.url = urls.front();
                    file.mirror_urls.assign(urls.begin() + 1, urls.end());
                }
                p->result->page = std::make_unique<ProjectPage>(std::move(page));
            } catch (Error& e) {
                p->result->error = std::move(e.within(context));
            }
        }
    }
    std::lock_guard guard(mutex_);
    for (auto& p : pending)
        pages_.try_emplace(p.normalized, std::move(p.result));
}

const std::vector<DistFile>& IndexClient::listing(const manifest::IndexSpec& index) {
    std::lock_guard guard(listings_mutex_);
    auto it = listings_.find(index.url);
    if (it != listings_.end())
        return it->second;
    std::vector<DistFile> files;
    std::error_code ec;
    if (auto path = local_path(index.url); path && std::filesystem::is_directory(*path, ec)) {
        files = list_folder(*path);
    } else if (path) {
        auto text = read_file(*path, "the find-links page");
        files = parse_html_page(text, index.url).files;
    } else {
        auto response = http_->get(index.url, {"Accept: text/html"});
        net::throw_if_transport_error(response, index.url);
        if (!response.ok())
            throw http_error(response, index.url)
                .with_hint("find_links is a folder of wheels or an HTML page linking them");
        files = parse_html_page(response.body, response.effective_url).files;
    }
    return listings_.emplace(index.url, std::move(files)).first->second;
}

const IndexClient::PageResult& IndexClient::page_result(const std::string& normalized) {
    {
        std::lock_guard guard(mutex_);
        auto it = pages_.find(normalized);
        if (it != pages_.end())
            return *it->second;
    }
    prefetch({normalized});
    std::lock_guard guard(mutex_);
    return *pages_.at(normalized);
}

const ProjectPage* IndexClient::find_project(std::string_view name) {
    const auto& result = page_result(pep503::normalize(name));
    if (result.error)
        throw Error(*result.error);
    return result.page.get();
}

const ProjectPage& IndexClient::project(std::string_view name) {
    auto normalized = pep503::normalize(name);
    if (const ProjectPage* page = find_project(normalized))
        return *page;
    const auto& result = page_result(normalized);
    std::string asked;
    for (const auto& index : result.asked)
        asked += (asked.empty() ? "" : ", ") + quote(index);
    if (asked.empty()) {
        throw Error("package " + quote(normalized) +
                        " has no index to come from: every [[index]] "
                        "has a `packages` list and none lists it",
                    Exit::user)
            .with_hint("add an [[index]] without `packages`, or add " + quote(normalized) +
                       " to one index's `packages`");
    }
    auto indexes = indexes_for(normalized);
    auto why = why_missing(normalized);
    Error error("package " + quote(normalized) + " is not on " +
                    (result.asked.size() == 1 ? "index " : "any of the indexes ") + asked +
                    (why.wrong_index.empty() ? "" : " (" + describe(why, asked) + ")"),
                Exit::user);
    if (!hint(why).empty()) {
        error.with_hint(hint(why));
    } else if (indexes.size() == 1 && !indexes.front()->packages.empty()) {
        error.with_hint("the manifest pins " + quote(normalized) + " to index " +
                        quote(indexes.front()->name) + " by its `packages` list");
    } else {
        error.with_hint("check the spelling, or add the index that has it as an [[index]]");
    }
    throw error;
}

std::string IndexClient::offline_hint() const {
    const auto dir = options_.cache_dir.empty() ? net::default_cache_dir()
                                                : std::filesystem::path(options_.cache_dir);
    std::error_code ec;
    const bool empty =
        !std::filesystem::exists(dir / "http", ec) || std::filesystem::is_empty(dir / "http", ec);
    return (empty ? "--offline reads only the cache, and the cache " + quote(dir.string()) +
                        " holds no index pages yet"
                  : "--offline reads only the cache " + quote(dir.string()) +
                        ", which was filled for other requirements") +
           ": run the same command once with network (without --offline) to fill it, or pass "
           "--cache-dir with a cache filled on a connected machine";
}

struct IndexClient::RootListing {
    long status = 0;  ///< 0: no answer (offline, network)
    std::string url;
    std::vector<std::string> names;  ///< normalised project names it lists
};

const IndexClient::RootListing& IndexClient::root_listing(const manifest::IndexSpec& index) {
    {
        std::lock_guard guard(mutex_);
        if (auto it = roots_.find(index.name); it != roots_.end())
            return *it->second;
    }
    auto listing = std::make_unique<RootListing>();
    listing->url = index.url.starts_with("file:") ? index.url + "/index.html" : index.url + "/";
    auto response = http_->get(listing->url, {"Accept: text/html"});
    listing->url = net::redact(listing->url);
    listing->status = response.status;
    if (response.ok()) {
        try {
            auto page = parse_project_page(response.body, "text/html", response.effective_url);
            listing->names.reserve(page.files.size());
            for (const auto& f : page.files)
                listing->names.push_back(pep503::normalize(f.filename));
        } catch (const Error&) {
            // A root that does not parse lists nothing.
        }
    }
    std::lock_guard guard(mutex_);
    return *roots_.try_emplace(index.name, std::move(listing)).first->second;
}

IndexClient::MissingProject IndexClient::why_missing(std::string_view name) {
    const auto normalized = pep503::normalize(name);
    MissingProject why;
    for (const auto* index : indexes_for(normalized)) {
        const auto& root = root_listing(*index);
        if (root.status == 0)
            continue;  // nothing to learn
        if (root.status < 200 || root.status >= 300) {
            bool served_pages = false;
            {
                std::lock_guard guard(mutex_);
                for (const auto& [project, result] : pages_)
                    served_pages =
                        served_pages || (result->page && result->page->index_name == index->name);
            }
            // Other projects came from it: the URL is right and the root merely not served.
            if (!served_pages && why.wrong_index.empty()) {
                why.wrong_index = index->name;
                why.wrong_root = root.url;
                why.wrong_status = root.status;
            }
            continue;
        }
        for (auto& close : closest_words(normalized, root.names))
            if (std::find(why.close_names.begin(), why.close_names.end(), close) ==
                why.close_names.end())
                why.close_names.push_back(std::move(close));
    }
    return why;
}

std::string IndexClient::describe(const MissingProject& why, const std::string& asked) {
    std::string text = "asked " + asked;
    if (!why.wrong_index.empty()) {
        text += "; the root of " + quote(why.wrong_index) + ", " + why.wrong_root + ", answers " +
                std::to_string(why.wrong_status) +
                " as well: the index URL looks wrong, not the package name";
    }
    return text;
}

std::string IndexClient::hint(const MissingProject& why) {
    if (!why.wrong_index.empty()) {
        return "set the `url` of [[index]] " + quote(why.wrong_index) +
               " to the root of a simple index, the page listing its projects (like "
               "https://pypi.org/simple or https://download.pytorch.org/whl/cu124); open it in a "
               "browser to check";
    }
    if (!why.close_names.empty()) {
        std::string list;
        for (std::size_t i = 0; i < why.close_names.size(); ++i)
            list += (i == 0                            ? ""
                     : i + 1 == why.close_names.size() ? " or "
                                                       : ", ") +
                    quote(why.close_names[i]);
        return "did you mean " + list + "? The index lists " +
               (why.close_names.size() == 1 ? "it" : "them") + "; fix the name in the manifest";
    }
    return "";
}

std::string IndexClient::metadata_cache_key(const DistFile& file) const {
    if (auto sha = file.sha256())
        return "sha256-" + *sha;
    return "url-" + digest::sha256_hex(file.url);
}

namespace {

std::filesystem::path metadata_path(const std::filesystem::path& cache_dir,
                                    const std::string& key) {
    return cache_dir / "metadata" / key.substr(key.size() - 2) / key;
}

/// Checks a .metadata body against the hash the index gave for it.
void verify_core_metadata(const DistFile& file, const std::string& body, const std::string& url) {
    if (!file.core_metadata_sha256)
        return;
    auto computed = digest::sha256_hex(body);
    if (computed != *file.core_metadata_sha256) {
        throw Error("the core metadata " + net::redact(url) + " has sha256 " + computed +
                        " but the index says " + *file.core_metadata_sha256,
                    Exit::user)
            .with_hint(
                "the index or a proxy serves a corrupted or stale file; try a mirror or "
                "clear the cache");
    }
}

}  // namespace

std::string IndexClient::metadata(const DistFile& file, MetadataSource* source) {
    auto key = metadata_cache_key(file);
    {
        std::lock_guard guard(mutex_);
        auto it = metadata_memory_.find(key);
        if (it != metadata_memory_.end()) {
            if (source)
                *source = MetadataSource::cache;
            return it->second;
        }
    }
    bool use_disk = options_.cache_mode != net::CacheMode::disabled;
    auto path = use_disk ? metadata_path(options_.cache_dir, key) : std::filesystem::path();
    if (use_disk && std::filesystem::exists(path)) {
        auto text = try_read_file(path).value_or(std::string());
        if (!text.empty()) {
            std::lock_guard guard(mutex_);
            metadata_memory_[key] = text;
            if (source)
                *source = MetadataSource::cache;
            return text;
        }
    }
    auto text = within("reading the metadata of " + quote(file.filename), [&] {
        std::string out;
        MetadataSource how = MetadataSource::pep658;
        bool done = false;
        if (file.has_core_metadata) {
            net::HttpRequest request;
            request.url = file.url + ".metadata";
            for (const auto& mirror : file.mirror_urls)
                request.mirrors.push_back(mirror + ".metadata");
            auto response = http_->get_many({request}).front();
            if (response.ok()) {
                verify_core_metadata(file, response.body, request.url);
                out = std::move(response.body);
                done = true;
            } else if (response.status != 404) {
                throw http_error(response, request.url);
            }
        }
        if (!done) {
            if (!file.filename.ends_with(".whl")) {
                throw Error(quote(file.filename) +
                                " is not a wheel and its index offers no "
                                "PEP 658 metadata; airlock reads dependencies from wheels only",
                            Exit::user);
            }
            std::tie(out, how) = metadata_from_wheel(file);
        }
        if (source)
            *source = how;
        return out;
    });
    if (use_disk) {
        try {
            write_file_atomically(path, text, {.parents = Parents::create});
        } catch (const Error&) {
            // The disk cache is an optimisation: a read-only cache must not fail the run.
        }
    }
    std::lock_guard guard(mutex_);
    metadata_memory_[key] = text;
    return text;
}

namespace {

/// METADATA of a wheel on disk, by the same range reads as over the network.
std::string metadata_of_wheel_file(const std::filesystem::path& path, const std::string& filename) {
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (!in || ec)
        throw Error("cannot read the wheel " + quote(path.string()), Exit::user);
    auto read = [&](std::uint64_t offset, std::uint64_t length) {
        std::string bytes(static_cast<std::size_t>(
                              std::min<std::uint64_t>(length, offset < size ? size - offset : 0)),
                          '\0');
        in.clear();
        in.seekg(static_cast<std::streamoff>(offset));
        in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        bytes.resize(static_cast<std::size_t>(in.gcount()));
        return bytes;
    };
    auto tail_length = std::min<std::uint64_t>(tail_bytes, size);
    return read_wheel_metadata(read(size - tail_length, tail_length), size, read, filename);
}

/// A range request that the server answered with something other than the range.
struct RangesIgnored {};

}  // namespace

std::pair<std::string, MetadataSource> IndexClient::metadata_from_wheel(const DistFile& file) {
    // A local wheel (a find-links folder): the same reads, from the file.
    if (auto path = local_path(file.url))
        return {metadata_of_wheel_file(*path, file.filename), MetadataSource::range_read};
    // A wheel already downloaded: no request at all.
    const auto sha = file.sha256();
    if (sha && options_.cache_mode != net::CacheMode::disabled) {
        if (auto blob = fetch::Cache(options_.cache_dir).lookup(*sha))
            return {metadata_of_wheel_file(*blob, file.filename), MetadataSource::whole_wheel};
    }
    auto fetch = [&](net::ByteRange range) {
        net::HttpRequest request{file.url, {}, file.mirror_urls, range};
        auto response = http_->get_many({request}).front();
        if (response.status == 200)
            throw RangesIgnored{};  // nothing read: a range request never buffers the file
        if (!response.ok())
            throw http_error(response, file.url);
        if (response.status != 206)
            throw RangesIgnored{};
        return response;
    };
    try {
        auto tail = fetch(net::ByteRange::tail(tail_bytes));
        auto total = content_range_total(tail);
        if (!total || *total < tail.body.size())
            throw RangesIgnored{};
        auto reader = [&](std::uint64_t offset, std::uint64_t length) {
            return std::move(fetch(net::ByteRange::span(offset, offset + length - 1)).body);
        };
        return {read_wheel_metadata(tail.body, *total, reader, file.filename),
                MetadataSource::range_read};
    } catch (const RangesIgnored&) {
    }
    return {metadata_of_whole_wheel(file), MetadataSource::whole_wheel};
}

std::string IndexClient::metadata_of_whole_wheel(const DistFile& file) {
    // The server ignores ranges: the whole wheel, streamed into the download cache (verified
    // against the index's sha256), where the later download finds it; never held in memory.
    fetch::FetchItem item;
    item.filename = file.filename;
    item.urls.push_back(file.url);
    item.urls.insert(item.urls.end(), file.mirror_urls.begin(), file.mirror_urls.end());
    item.sha256 = file.sha256().value_or("");
    item.size = file.size;
    fetch::FetchOptions options;
    options.jobs = 1;
    options.progress = fetch::FetchOptions::Progress::quiet;
    options.network = options_.network;
    options.cache_dir = options_.cache_dir;
    if (options_.cache_mode != net::CacheMode::disabled)
        return metadata_of_wheel_file(fetch::fetch_all({item}, options).front().blob,
                                      file.filename);
    // No cache wanted: a download cache of its own, removed afterwards.
    auto pattern = (std::filesystem::temp_directory_path() / "airlock-wheel-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw Error("cannot create a temporary directory in " +
                    quote(std::filesystem::temp_directory_path().string()));
    struct Remove {
        std::filesystem::path path;
        ~Remove() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    } scratch{pattern};
    options.cache_dir = scratch.path;
    return metadata_of_wheel_file(fetch::fetch_all({item}, options).front().blob, file.filename);
}

void IndexClient::prefetch_metadata(const std::vector<DistFile>& files) {
    std::vector<const DistFile*> pep658;
    std::vector<const DistFile*> wheels;
    for (const auto& file : files) {
        auto key = metadata_cache_key(file);
        {
            std::lock_guard guard(mutex_);
            if (metadata_memory_.count(key))
                continue;
        }
        if (options_.cache_mode != net::CacheMode::disabled &&
            std::filesystem::exists(metadata_path(options_.cache_dir, key))) {
            continue;
        }
        (file.has_core_metadata ? pep658 : wheels).push_back(&file);
    }
    std::vector<net::HttpRequest> requests;
    for (const DistFile* file : pep658) {
        net::HttpRequest request;
        request.url = file->url + ".metadata";
        for (const auto& mirror : file->mirror_urls)
            request.mirrors.push_back(mirror + ".metadata");
        requests.push_back(std::move(request));
    }
    auto responses = http_->get_many(requests);
    for (std::size_t i = 0; i < pep658.size(); ++i) {
        if (!responses[i].ok())
            continue;  // metadata() retries and reports
        try {
            verify_core_metadata(*pep658[i], responses[i].body, requests[i].url);
        } catch (const Error&) {
            continue;
        }
        auto key = metadata_cache_key(*pep658[i]);
        if (options_.cache_mode != net::CacheMode::disabled) {
            try {
                write_file_atomically(metadata_path(options_.cache_dir, key), responses[i].body,
                                      {.parents = Parents::create});
            } catch (const Error&) {
            }
        }
        std::lock_guard guard(mutex_);
        metadata_memory_[key] = std::move(responses[i].body);
    }
    // Range reads take three sequential round trips per wheel: run several wheels at once.
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < wheels.size(); i = next++) {
            try {
                metadata(*wheels[i]);
            } catch (const std::exception&) {
                // Reported by the metadata() call that needs it.
            }
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < std::min<std::size_t>(wheels.size(), 8); ++t)
        threads.emplace_back(worker);
    worker();
    for (auto& thread : threads)
        thread.join();
}

}  // namespace airlock::index
