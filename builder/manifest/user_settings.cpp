#include "builder/manifest/user_settings.hpp"

#include "builder/manifest/condarc.hpp"
#include "builder/manifest/index_credentials.hpp"
#include "builder/manifest/pip_config.hpp"
#include "builder/net/tls.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <system_error>

namespace airlock::manifest {
namespace {

constexpr const char* pypi = "https://pypi.org/simple";

bool is_url(std::string_view text) {
    return text.starts_with("http://") || text.starts_with("https://") ||
           text.starts_with("file://");
}

/// An index from a setting's text: a URL (its `user:password@` split off), or for find-links a
/// local path (relative to the working directory, as pip reads it). nullopt for a find-links
/// path that does not exist (pip ignores it with a warning).
std::optional<IndexSpec> make_index(const std::string& text, std::string name, IndexKind kind,
                                    const std::string& origin) {
    IndexSpec index;
    index.name = std::move(name);
    index.kind = kind;
    index.origin = origin;
    if (kind == IndexKind::find_links && !is_url(text)) {
        std::error_code ec;
        auto absolute = std::filesystem::absolute(text, ec).lexically_normal();
        if (ec || !std::filesystem::exists(absolute, ec))
            return std::nullopt;
        auto path = absolute.string();
        while (path.size() > 1 && path.back() == '/')
            path.pop_back();
        index.url = net::file_url(path);
        return index;
    }
    std::optional<net::Credentials> secret;
    auto parsed = within(origin + " gives " + quote(net::redact(text)),
                         [&] { return net::Url::parse(text, &secret); });
    auto url = parsed.without_fragment();
    while (url.size() > 8 && url.back() == '/')
        url.pop_back();
    index.url = url;
    if (secret)
        index.credentials.push_back({url, std::move(*secret)});
    return index;
}

std::string numbered(const std::string& base, std::size_t i) {
    return i == 0 ? base : base + "-" + std::to_string(i + 1);
}

bool truthy(const std::string& text) {
    auto value = ascii_lower(text);
    return value == "1" || value == "yes" || value == "true" || value == "on" || value == "y" ||
           value == "t";
}

/// Indexes in the order they are asked: find-links first (local wheels win), then the index
/// URL, then the extra index URLs.
std::vector<IndexSpec> pip_indexes(const PipConfig& pip) {
    std::vector<IndexSpec> indexes;
    const auto* index_url = pip.get("index-url");
    const auto* extra = pip.get("extra-index-url");
    const auto* links = pip.get("find-links");
    const auto* no_index = pip.get("no-index");
    if (!index_url && !extra && !links)
        return indexes;
    if (links) {
        std::size_t n = 0;
        for (const auto& item : links->items) {
            if (auto index = make_index(item, numbered("pip-find-links", n), IndexKind::find_links,
                                        links->origin)) {
                indexes.push_back(std::move(*index));
                ++n;
            }
        }
    }
    if (no_index && truthy(no_index->text))
        return indexes;
    if (index_url && !index_url->items.empty()) {
        indexes.push_back(*make_index(index_url->items.front(), "pip-index-url", IndexKind::simple,
                                      index_url->origin));
    } else {
        indexes.push_back(*make_index(pypi, "pypi", IndexKind::simple, "pip's default index"));
    }
    if (extra) {
        std::size_t n = 0;
        for (const auto& item : extra->items)
            indexes.push_back(*make_index(item, numbered("pip-extra-index-url", n++),
                                          IndexKind::simple, extra->origin));
    }
    return indexes;
}

}  // namespace

UserSettings read_user_settings(const CommandLineSettings& command_line, const EnvLookup& env) {
    UserSettings settings;
    PipConfig pip;
    if (!command_line.isolated)
        pip = read_pip_config(env);

    settings.defaults.indexes = pip_indexes(pip);
    if (!command_line.index_url.empty() || !command_line.extra_index_urls.empty()) {
        settings.defaults.override_indexes.push_back(
            *make_index(command_line.index_url.empty() ? pypi : command_line.index_url, "index-url",
                        IndexKind::simple,
                        command_line.index_url.empty() ? "pip's default index" : "--index-url"));
        std::size_t n = 0;
        for (const auto& url : command_line.extra_index_urls)
            settings.defaults.override_indexes.push_back(*make_index(
                url, numbered("extra-index-url", n++), IndexKind::simple, "--extra-index-url"));
    }
    std::size_t n = 0;
    for (const auto& link : command_line.find_links) {
        auto index =
            make_index(link, numbered("find-links", n++), IndexKind::find_links, "--find-links");
        if (!index) {
            throw Error("--find-links " + quote(link) + " does not exist")
                .with_hint("give a folder of wheels, an HTML file of links, or an http(s):// URL");
        }
        settings.defaults.find_links.push_back(std::move(*index));
    }

    if (!command_line.cert.empty()) {
        settings.cert = command_line.cert;
        settings.cert_origin = "--cert";
    } else if (const auto* cert = pip.get("cert")) {
        settings.cert = cert->text;
        settings.cert_origin = cert->origin;
        within("using pip's cert from " + cert->origin, [&] { net::check_ca_file(settings.cert); });
    }

    if (command_line.retries) {
        settings.retries = command_line.retries;
        settings.retries_origin = "--retries";
    } else if (const auto* retries = pip.get("retries")) {
        int value = -1;
        try {
            std::size_t used = 0;
            value = std::stoi(retries->text, &used);
            if (used != retries->text.size())
                value = -1;
        } catch (...) {
        }
        if (value < 0 || value > 100)
            throw Error("pip's retries " + quote(retries->text) + " (" + retries->origin +
                        ") is not a number from 0 to 100");
        settings.retries = value;
        settings.retries_origin = retries->origin;
    }

    if (command_line.timeout) {
        settings.timeout = std::chrono::seconds(*command_line.timeout);
        settings.timeout_origin = "--stall-timeout";
    } else if (const auto* timeout = pip.get("timeout")) {
        double value = -1;
        try {
            std::size_t used = 0;
            value = std::stod(timeout->text, &used);
            if (used != timeout->text.size())
                value = -1;
        } catch (...) {
        }
        if (!(value > 0) || value > 86400)
            throw Error("pip's timeout " + quote(timeout->text) + " (" + timeout->origin +
                        ") is not a number of seconds");
        settings.timeout = std::chrono::seconds(static_cast<long>(std::ceil(value)));
        settings.timeout_origin = timeout->origin;
    }

    if (const auto* hosts = pip.get("trusted-host")) {
        settings.trusted_hosts = hosts->items;
        for (auto& host : settings.trusted_hosts)
            host = ascii_lower(host);
        settings.trusted_hosts_origin = hosts->origin;
    }

    if (!command_line.isolated && command_line.conda) {
        settings.defaults.conda = within("reading conda's configuration (.condarc)",
                                         [&] { return read_condarc(env).settings; });
    }
    if (!command_line.isolated)
        settings.netrc = net::read_netrc(env);
    return settings;
}

net::NetworkOptions network_options(const Manifest& manifest, const UserSettings& settings,
                                    net::NetworkOptions base) {
    net::NetworkOptions options = std::move(base);
    options.ca_file = settings.cert;
    if (settings.timeout) {
        options.stall = *settings.timeout;
        options.connect_timeout = *settings.timeout;
    }
    if (settings.retries)
        options.retry.retries = *settings.retries;
    options.trusted_hosts = settings.trusted_hosts;
    auto store = std::make_shared<net::CredentialStore>(credential_store(manifest));
    net::add_netrc(*store, settings.netrc);
    options.credentials = std::move(store);
    return options;
}

std::vector<SettingLine> describe_settings(const Manifest& manifest, const UserSettings& settings) {
    std::vector<SettingLine> lines;
    auto manifest_at = [&](const SourceLocation& where) {
        return where.line == 0 ? where.file : where.file + ":" + std::to_string(where.line);
    };
    std::set<std::string> hosts;
    auto note_host = [&](const std::string& url) {
        if (auto parsed = net::Url::try_parse(url); parsed && parsed->scheme() != "file")
            hosts.insert(parsed->host());
    };
    for (const auto& index : manifest.indexes) {
        lines.push_back({index.kind == IndexKind::find_links ? "find-links" : "index",
                         index.name + " " + index.url,
                         index.origin.empty() ? manifest_at(index.where) : index.origin});
        note_host(index.url);
        for (const auto& mirror : index.mirrors) {
            lines.push_back({"mirror", index.name + " " + mirror, manifest_at(index.where)});
            note_host(mirror);
        }
    }
    if (manifest.conda) {
        if (!manifest.conda->channel_alias_origin.empty())
            lines.push_back({"channel_alias", manifest.conda->channel_alias,
                             manifest.conda->channel_alias_origin});
        for (const auto& channel : manifest.conda->channels) {
            lines.push_back(
                {"channel", channel.name + " " + channel.url, manifest_at(channel.where)});
            note_host(channel.url);
            for (const auto& mirror : channel.mirrors)
                note_host(mirror);
        }
    }
    lines.push_back(
        {"cert",
         settings.cert.empty() ? "the system store (or $SSL_CERT_FILE)" : settings.cert.string(),
         settings.cert.empty() ? "default" : settings.cert_origin});
    if (settings.timeout)
        lines.push_back(
            {"timeout", std::to_string(settings.timeout->count()) + " s", settings.timeout_origin});
    if (settings.retries)
        lines.push_back({"retries", std::to_string(*settings.retries), settings.retries_origin});
    for (const auto& host : settings.trusted_hosts)
        lines.push_back({"trusted-host", host + " (TLS certificate not verified)",
                         settings.trusted_hosts_origin});
    std::set<std::string> shown;
    for (const auto& entry : settings.netrc) {
        if (!shown.insert(entry.machine).second)
            continue;  // the first entry for a host is the one used
        if (entry.machine.empty() || hosts.count(entry.machine)) {
            lines.push_back(
                {"credentials",
                 entry.machine.empty() ? "any other host (netrc `default`)" : entry.machine,
                 manifest_at(entry.where)});
        }
    }
    return lines;
}

}  // namespace airlock::manifest
