#include "builder/index/channel_client.hpp"

#include "builder/net/url.hpp"
#include "core/base/error.hpp"

#include <algorithm>
#include <exception>
#include <thread>

namespace airlock::index {
namespace {

std::string status_text(const net::HttpResponse& r) {
    return r.status ? "HTTP " + std::to_string(r.status) : r.error;
}

}  // namespace

ChannelClient::ChannelClient(std::vector<manifest::CondaChannel> channels,
                             ChannelClientOptions options)
    : channels_(std::move(channels)), options_(std::move(options)) {
    net::HttpClientOptions http;
    http.cache_dir = options_.cache_dir.empty() && options_.cache_mode != net::CacheMode::disabled
                         ? net::default_cache_dir()
                         : options_.cache_dir;
    http.cache_mode = options_.cache_mode;
    http.network = options_.network;
    http.network.retry.retries = options_.retries;
    http_ = std::make_unique<net::HttpClient>(http);
}

ChannelClient::~ChannelClient() = default;

std::vector<ChannelSubdir> ChannelClient::load(const std::vector<std::string>& subdirs) {
    std::vector<std::string> wanted;
    for (const auto& s : subdirs)
        if (s != "noarch" && std::find(wanted.begin(), wanted.end(), s) == wanted.end())
            wanted.push_back(s);
    wanted.push_back("noarch");

    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<ChannelSubdir> todo;
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        for (const auto& subdir : wanted) {
            if (loaded_.count({c, subdir}))
                continue;
            ChannelSubdir s;
            s.priority = c;
            s.channel = channels_[c].name;
            s.channel_url = net::redact(channels_[c].url);
            s.subdir = subdir;
            s.files_url = s.channel_url + "/" + subdir;
            for (const auto& m : channels_[c].mirrors)
                s.mirrors.push_back(m + "/" + subdir);
            todo.push_back(std::move(s));
        }
    }
    if (!todo.empty()) {
        // repodata.json.zst first; what has none (404, or not cached when offline) asks for
        // repodata.json.
        auto request = [&](const ChannelSubdir& s, const char* file) {
            std::size_t c = s.priority;
            net::HttpRequest r;
            r.url = channels_[c].url + "/" + s.subdir + "/" + file;
            for (const auto& m : channels_[c].mirrors)
                r.mirrors.push_back(m + "/" + s.subdir + "/" + file);
            return r;
        };
        std::vector<net::HttpRequest> zst;
        for (const auto& s : todo)
            zst.push_back(request(s, "repodata.json.zst"));
        auto responses = http_->get_many(zst);
        std::vector<std::size_t> plain_of;
        std::vector<net::HttpRequest> plain;
        for (std::size_t i = 0; i < todo.size(); ++i) {
            if (responses[i].ok())
                continue;
            plain_of.push_back(i);
            plain.push_back(request(todo[i], "repodata.json"));
        }
        auto second = http_->get_many(plain);
        for (std::size_t k = 0; k < plain_of.size(); ++k) {
            auto i = plain_of[k];
            if (second[k].status == 404 || second[k].status == 410) {
                responses[i] = net::HttpResponse{};  // the channel has no such subdir
                responses[i].status = 404;
                continue;
            }
            if (!second[k].ok()) {
                throw Error("cannot fetch " + quote(net::redact(plain[k].url)) + ": " +
                            status_text(second[k]))
                    .with_hint("check the channel " + quote(todo[i].channel) +
                               " in [conda] channels (and channel_alias / custom_channels)");
            }
            responses[i] = std::move(second[k]);
        }
        // Parse concurrently: a big repodata takes a while, and channels are independent.
        std::vector<std::exception_ptr> errors(todo.size());
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < todo.size(); ++i) {
            if (!responses[i].ok())
                continue;
            threads.emplace_back([&, i] {
                try {
                    std::string source = net::redact(responses[i].effective_url.empty()
                                                         ? todo[i].files_url
                                                         : responses[i].effective_url);
                    auto repodata = std::make_shared<conda::Repodata>(
                        conda::Repodata::parse(std::move(responses[i].body), source));
                    if (!repodata->base_url().empty())
                        todo[i].files_url = net::redact(repodata->base_url());
                    while (todo[i].files_url.size() > 1 && todo[i].files_url.back() == '/')
                        todo[i].files_url.pop_back();
                    todo[i].repodata = std::move(repodata);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            });
        }
        for (auto& t : threads)
            t.join();
        for (auto& e : errors)
            if (e)
                std::rethrow_exception(e);
        for (auto& s : todo) {
            auto key = std::make_pair(s.priority, s.subdir);
            loaded_.emplace(key, std::move(s));
        }
    }
    std::vector<ChannelSubdir> out;
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        bool any = false;
        for (const auto& subdir : wanted) {
            const auto& s = loaded_.at({c, subdir});
            any = any || s.repodata;
            out.push_back(s);
        }
        if (!any) {
            std::string list;
            for (const auto& subdir : wanted)
                list += (list.empty() ? "" : ", ") + subdir;
            throw Error("the channel " + quote(channels_[c].name) + " has no repodata for " + list +
                        " at " + quote(net::redact(channels_[c].url)))
                .with_hint(
                    "check the channel's name and URL (channel_alias, custom_channels); a "
                    "channel serves <url>/<subdir>/repodata.json");
        }
    }
    return out;
}

}  // namespace airlock::index
