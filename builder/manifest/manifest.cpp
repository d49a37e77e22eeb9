#include "builder/manifest/manifest.hpp"

#include "builder/manifest/target_fields.hpp"

#include "core/base/edit_distance.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/pep503/name.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace airlock::manifest {
namespace {

const char* type_name(toml::node_type type) {
    switch (type) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        default:
            return "nothing";
    }
}

/// Validates one document and reports problems with their place in the file.
class Reader {
  public:
    Reader(std::string_view text, const std::filesystem::path& path, const EnvLookup& env)
        : text_(text), file_(path.string()), env_(env) {}

    SourceLocation location(const toml::source_region& region) const {
        return {file_, static_cast<std::size_t>(region.begin.line),
                static_cast<std::size_t>(region.begin.column)};
    }

    [[noreturn]] void fail(const toml::source_region& region, const std::string& message,
                           std::size_t span = 1) const {
        auto where = location(region);
        if (where.line == 0)
            where = {file_, 1, 1};
        if (span <= 1 && region.end.line == region.begin.line &&
            region.end.column > region.begin.column) {
            span = region.end.column - region.begin.column;
        }
        throw Error(source_excerpt(where, line_of(text_, where.line), message, span), Exit::user);
    }

    /// Rejects keys not in `allowed`, suggesting the closest one.
    void check_keys(const toml::table& table, std::string_view what,
                    std::initializer_list<std::string_view> allowed) const {
        for (auto&& [key, value] : table) {
            (void)value;
            if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end())
                continue;
            std::string message = "unknown key " + quote(key.str()) + " in " + std::string(what);
            std::string_view best;
            std::size_t best_distance = 3;
            for (auto candidate : allowed) {
                auto d = edit_distance(key.str(), candidate);
                if (d < best_distance && d < std::max<std::size_t>(2, candidate.size() / 2 + 1)) {
                    best_distance = d;
                    best = candidate;
                }
            }
            if (!best.empty()) {
                message += "; did you mean " + quote(best) + "?";
            } else {
                message += "; allowed keys: ";
                bool first = true;
                for (auto candidate : allowed) {
                    message += (first ? "" : ", ") + quote(candidate);
                    first = false;
                }
            }
            fail(key.source(), message, key.str().size());
        }
    }

    const toml::node* required(const toml::table& table, std::string_view key,
                               std::string_view what, std::string_view example) const {
        const toml::node* node = table.get(key);
        if (!node) {
            fail(table.source(), std::string(what) + " has no " + quote(key) + "; add e.g. " +
                                     std::string(example));
        }
        return node;
    }

    std::string string_value(const toml::node& node, std::string_view key,
                             std::string_view example) const {
        if (auto s = node.as_string()) {
            if (s->get().empty())
                fail(node.source(), quote(key) + " must not be empty");
            return s->get();
        }
        std::string message = quote(key) + " must be a string, not " + type_name(node.type());
        if (node.is_floating_point() || node.is_integer()) {
            message += "; quote it: " + std::string(example);
        } else {
            message += "; e.g. " + std::string(example);
        }
        fail(node.source(), message);
    }

    std::vector<std::string> string_array(const toml::node& node, std::string_view key) const {
        auto array = node.as_array();
        if (!array) {
            fail(node.source(), quote(key) + " must be an array of strings, not " +
                                    type_name(node.type()) + "; e.g. " + std::string(key) +
                                    " = [\"...\"]");
        }
        std::vector<std::string> out;
        for (auto&& element : *array) {
            auto s = element.as_string();
            if (!s) {
                fail(element.source(), "every entry of " + quote(key) + " must be a string, not " +
                                           type_name(element.type()));
            }
            if (s->get().empty()) {
                fail(element.source(), "an entry of " + quote(key) + " is empty; remove it");
            }
            out.push_back(s->get());
        }
        return out;
    }

    /// `${NAME}` → the variable's value; an unset variable is an error at its place.
    std::string expand(const toml::node& node, std::string_view key) const {
        const std::string& raw = node.as_string()->get();
        std::string out;
        std::size_t i = 0;
        while (i < raw.size()) {
            if (raw.compare(i, 2, "${") != 0) {
                out += raw[i++];
                continue;
            }
            auto close = raw.find('}', i + 2);
            auto name = std::string_view(raw).substr(
                i + 2, close == std::string::npos ? std::string::npos : close - i - 2);
            static const std::regex valid("[A-Za-z_][A-Za-z0-9_]*");
            auto region = node.source();
            region.begin.column += static_cast<toml::source_index>(i + 1);
            region.end = region.begin;
            if (close == std::string::npos || !std::regex_match(name.begin(), name.end(), valid)) {
                fail(region,
                     "malformed variable reference in " + quote(key) +
                         "; write ${NAME} with NAME made of letters, digits and `_`",
                     2);
            }
            auto value = env_ ? env_(name) : std::nullopt;
            if (!value) {
                fail(region,
                     "environment variable " + quote(name) + " used in " + quote(key) +
                         " is not set; export it before running airlock-build",
                     name.size() + 3);
            }
            out += *value;
            i = close + 1;
        }
        return out;
    }

    /// The URL, credential-free; its `user:password@` (after `${VAR}` expansion) is added to
    /// `credentials` under the URL, never kept in the text.
    std::string url_value(const toml::node& node, std::string_view key, std::string_view example,
                          std::vector<RootCredentials>& credentials) const {
        string_value(node, key, example);
        std::string expanded = expand(node, key);
        std::optional<net::Url> parsed;
        std::optional<net::Credentials> secret;
        if (expanded.find_first_of(" \t\r\n") == std::string::npos) {
            try {
                parsed = net::Url::parse(expanded, &secret);
            } catch (const Error&) {
            }
        }
        if (!parsed) {
            fail(node.source(), quote(key) +
                                    " must be an absolute http(s):// or file:// URL, got " +
                                    quote(net::redact(expanded)));
        }
        std::string url = parsed->without_fragment();
        while (url.size() > 8 && url.back() == '/')
            url.pop_back();
        if (secret)
            credentials.push_back({url, std::move(*secret)});
        return url;
    }

    const toml::table& table_value(const toml::node& node, std::string_view key) const {
        auto table = node.as_table();
        if (!table) {
            fail(node.source(), quote(key) + " must be a table ([" + std::string(key) + "]), not " +
                                    type_name(node.type()));
        }
        return *table;
    }

    std::vector<const toml::table*> table_array(const toml::node& node,
                                                std::string_view key) const {
        auto array = node.as_array();
        if (!array || !array->is_array_of_tables()) {
            fail(node.source(), quote(key) + " must be an array of tables: write [[" +
                                    std::string(key) + "]] for each one");
        }
        std::vector<const toml::table*> out;
        for (auto&& element : *array)
            out.push_back(element.as_table());
        return out;
    }

    std::string_view text_;
    std::string file_;
    const EnvLookup& env_;
};

Bundle read_bundle(const Reader& r, const toml::table& table) {
    r.check_keys(table, "[bundle]", {"name", "version"});
    Bundle bundle;
    bundle.where = r.location(table.source());
    auto name = r.required(table, "name", "[bundle]", "name = \"my-bundle\"");
    bundle.name = r.string_value(*name, "name", "name = \"my-bundle\"");
    if (!is_safe_name(bundle.name)) {
        r.fail(name->source(), "bundle name " + quote(bundle.name) +
                                   " may only use letters, digits, `.`, `_` and `-` (it names "
                                   "files)");
    }
    auto version = r.required(table, "version", "[bundle]", "version = \"2026.1.0\"");
    bundle.version = r.string_value(*version, "version", "version = \"2026.1.0\"");
    if (bundle.version.find_first_of(" \t/\\") != std::string::npos) {
        r.fail(version->source(),
               "bundle version " + quote(bundle.version) + " may not contain spaces or slashes");
    }
    return bundle;
}

TargetSpec read_target(const Reader& r, const toml::table& table) {
    r.check_keys(table, "[[target]]",
                 {"name", "python", "platform", "implementation", "cuda", "subdir"});
    TargetSpec target;
    target.where = r.location(table.source());
    auto name = r.required(table, "name", "[[target]]", "name = \"linux-py312\"");
    target.name = r.string_value(*name, "name", "name = \"linux-py312\"");
    if (!is_safe_name(target.name)) {
        r.fail(name->source(), "target name " + quote(target.name) +
                                   " may only use letters, digits, `.`, `_` and `-` (it names "
                                   "files such as pylock.<target>.toml)");
    }
    auto python = r.required(table, "python", "[[target]]", "python = \"3.12\"");
    target.python = r.string_value(*python, "python", "python = \"3.12\"");
    if (!is_python_version(target.python)) {
        r.fail(python->source(), quote(target.python) +
                                     " is not a Python version; write the version the target "
                                     "runs, e.g. python = \"3.12\"");
    }
    auto platform =
        r.required(table, "platform", "[[target]]", "platform = \"manylinux_2_28_x86_64\"");
    target.platform = r.string_value(*platform, "platform", "platform = \"manylinux_2_28_x86_64\"");
    if (!is_platform_tag(target.platform)) {
        r.fail(platform->source(),
               quote(target.platform) +
                   " is not a wheel platform tag; use e.g. `manylinux_2_28_x86_64`, "
                   "`musllinux_1_2_x86_64`, `win_amd64` or `macosx_11_0_arm64`");
    }
    target.implementation = "cpython";
    if (auto impl = table.get("implementation")) {
        auto value = r.string_value(*impl, "implementation", "implementation = \"cpython\"");
        if (value == "cpython" || value == "cp") {
            target.implementation = "cpython";
        } else if (value == "pypy" || value == "pp") {
            target.implementation = "pypy";
        } else {
            r.fail(impl->source(),
                   quote(value) + " is not a supported implementation; use `cpython` or `pypy`");
        }
    }
    if (auto cuda = table.get("cuda")) {
        auto value = r.string_value(*cuda, "cuda", "cuda = \"12.4\"");
        if (!is_cuda_version(value)) {
            r.fail(cuda->source(),
                   quote(value) + " is not a CUDA version; write e.g. cuda = \"12.4\"");
        }
        if (target.platform.starts_with("macosx")) {
            r.fail(cuda->source(), "target " + quote(target.name) +
                                       " is a macOS target, which has no CUDA; remove `cuda`");
        }
        target.cuda = value;
    }
    if (auto subdir = table.get("subdir")) {
        auto value = r.string_value(*subdir, "subdir", "subdir = \"linux-64\"");
        static const std::regex conda_subdir("(linux|win|osx)-[a-z0-9]+");
        if (!std::regex_match(value, conda_subdir)) {
            r.fail(subdir->source(), quote(value) +
                                         " is not a conda subdir; write e.g. subdir = "
                                         "\"linux-64\", \"linux-aarch64\", \"win-64\" or "
                                         "\"osx-arm64\"");
        }
        target.subdir = value;
    }
    return target;
}

bool is_url(std::string_view text);

/// A `find_links` location: a URL as written, or a local path (relative to the manifest's
/// folder) as a file:// URL.
std::string find_links_value(const Reader& r, const toml::node& node,
                             const std::filesystem::path& manifest_path, IndexSpec& index) {
    auto text = r.string_value(node, "find_links", "find_links = \"./wheels\"");
    if (is_url(text) || text.find("${") != std::string::npos)
        return r.url_value(node, "find_links", "find_links = \"https://host/links.html\"",
                           index.credentials);
    std::filesystem::path local(text);
    if (local.is_relative())
        local = manifest_path.parent_path() / local;
    std::error_code ec;
    auto absolute = std::filesystem::absolute(local, ec).lexically_normal();
    if (ec || !std::filesystem::exists(absolute, ec)) {
        r.fail(node.source(), "the find_links folder " + quote(absolute.string()) +
                                  " does not exist; give a folder of wheels, an HTML file of "
                                  "links, or an http(s):// URL");
    }
    auto out = absolute.string();
    while (out.size() > 1 && out.back() == '/')
        out.pop_back();
    return net::file_url(out);
}

IndexSpec read_index(const Reader& r, const toml::table& table,
                     const std::filesystem::path& manifest_path) {
    r.check_keys(table, "[[index]]", {"name", "url", "find_links", "mirrors", "packages"});
    IndexSpec index;
    index.where = r.location(table.source());
    auto name = r.required(table, "name", "[[index]]", "name = \"pypi\"");
    index.name = r.string_value(*name, "name", "name = \"pypi\"");
    if (!is_safe_name(index.name)) {
        r.fail(name->source(), "index name " + quote(index.name) +
                                   " may only use letters, digits, `.`, `_` and `-`");
    }
    if (auto links = table.get("find_links")) {
        if (auto url = table.get("url")) {
            r.fail(url->source(),
                   "an [[index]] has either `url` (a simple repository) or `find_links` (a "
                   "folder or page of links), not both; split it into two [[index]] entries");
        }
        if (auto mirrors = table.get("mirrors"))
            r.fail(mirrors->source(), "`mirrors` are for `url` indexes, not `find_links`");
        index.kind = IndexKind::find_links;
        index.url = find_links_value(r, *links, manifest_path, index);
    } else {
        auto url = r.required(table, "url", "[[index]]", "url = \"https://pypi.org/simple\"");
        index.url =
            r.url_value(*url, "url", "url = \"https://pypi.org/simple\"", index.credentials);
    }
    if (auto mirrors = table.get("mirrors")) {
        r.string_array(*mirrors, "mirrors");
        for (auto&& element : *mirrors->as_array()) {
            index.mirrors.push_back(
                r.url_value(element, "mirrors", "\"https://mirror/simple\"", index.credentials));
        }
    }
    if (auto packages = table.get("packages")) {
        auto names = r.string_array(*packages, "packages");
        if (names.empty()) {
            r.fail(packages->source(),
                   "`packages` is empty; list the packages only this index "
                   "may serve, or remove the key to use it for all others");
        }
        std::size_t i = 0;
        for (auto&& element : *packages->as_array()) {
            if (!pep503::is_valid_name(names[i])) {
                r.fail(element.source(), quote(names[i]) +
                                             " is not a package name; list bare names such as "
                                             "\"torch\" (no versions or extras)");
            }
            auto normalized = pep503::normalize(names[i]);
            if (std::find(index.packages.begin(), index.packages.end(), normalized) ==
                index.packages.end()) {
                index.packages.push_back(normalized);
            }
            ++i;
        }
    }
    return index;
}

bool is_channel_name(std::string_view name) {
    // `conda-forge`, `pytorch`, or with a label: `conda-forge/label/dev`.
    static const std::regex channel("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");
    return std::regex_match(name.begin(), name.end(), channel);
}

bool is_url(std::string_view text) {
    return text.starts_with("http://") || text.starts_with("https://") ||
           text.starts_with("file://");
}

std::string place(const SourceLocation& where) {
    return where.line == 0
               ? where.file
               : where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

/// A URL from a settings file, credential-free, its `user:password@` into `credentials`.
std::string settings_url(const SettingText& value, std::string_view key,
                         std::vector<RootCredentials>& credentials) {
    std::optional<net::Credentials> secret;
    std::optional<net::Url> parsed;
    try {
        parsed = net::Url::parse(value.text, &secret);
    } catch (const Error&) {
    }
    if (!parsed) {
        throw Error(place(value.where) + ": " + quote(key) +
                        " must be an absolute http(s):// or file:// URL, got " +
                        quote(net::redact(value.text)),
                    Exit::user);
    }
    std::string url = parsed->without_fragment();
    while (url.size() > 8 && url.back() == '/')
        url.pop_back();
    if (secret)
        credentials.push_back({url, std::move(*secret)});
    return url;
}

CondaSpec read_conda(const Reader& r, const toml::table& table, const CondaDefaults& rc) {
    r.check_keys(
        table, "[conda]",
        {"channels", "channel_alias", "custom_channels", "mirrors", "channel_priority", "specs"});
    CondaSpec conda;
    conda.section = r.location(table.source());
    if (auto alias = table.get("channel_alias")) {
        conda.channel_alias =
            r.url_value(*alias, "channel_alias", "channel_alias = \"https://conda.anaconda.org\"",
                        conda.credentials);
    } else if (rc.channel_alias) {
        conda.channel_alias = settings_url(*rc.channel_alias, "channel_alias", conda.credentials);
        conda.channel_alias_origin = place(rc.channel_alias->where);
    }
    std::map<std::string, std::string> custom;
    if (auto node = table.get("custom_channels")) {
        const auto& roots = r.table_value(*node, "custom_channels");
        for (auto&& [key, value] : roots) {
            if (!is_channel_name(key.str())) {
                r.fail(key.source(), quote(key.str()) + " is not a channel name", key.str().size());
            }
            custom[std::string(key.str())] = r.url_value(
                value, "custom_channels", "pytorch = \"https://mirror.example/anaconda/cloud\"",
                conda.credentials);
        }
    } else {
        for (const auto& [name, value] : rc.custom_channels)
            custom[name] = settings_url(value, "custom_channels", conda.credentials);
    }
    std::map<std::string, std::pair<std::vector<std::string>, const toml::node*>> mirrors;
    if (auto node = table.get("mirrors")) {
        const auto& entries = r.table_value(*node, "mirrors");
        for (auto&& [key, value] : entries) {
            std::vector<std::string> urls;
            r.string_array(value, "mirrors");
            for (auto&& element : *value.as_array())
                urls.push_back(r.url_value(element, "mirrors",
                                           "\"https://mirror.example/conda-forge\"",
                                           conda.credentials));
            mirrors[std::string(key.str())] = {urls, &value};
        }
    }
    if (auto node = table.get("channel_priority")) {
        auto value = r.string_value(*node, "channel_priority", "channel_priority = \"strict\"");
        if (value == "strict") {
            conda.channel_priority = ChannelPriority::strict;
        } else if (value == "flexible") {
            conda.channel_priority = ChannelPriority::flexible;
        } else {
            r.fail(node->source(), quote(value) +
                                       " is not a channel priority; use \"strict\" (a package "
                                       "comes from the first channel that has it) or "
                                       "\"flexible\"");
        }
    }
    // The channels as written: the manifest's, else .condarc's.
    struct Written {
        std::string name;
        const toml::node* node = nullptr;  ///< the manifest's element, or null
        SourceLocation where;
    };
    std::vector<Written> written;
    auto channels = table.get("channels");
    if (channels || rc.channels.empty()) {
        channels = r.required(table, "channels", "[conda]",
                              "channels = [\"conda-forge\"] (or list them in ~/.condarc)");
        auto names = r.string_array(*channels, "channels");
        if (names.empty()) {
            r.fail(channels->source(),
                   "`channels` is empty; list the channels to take packages from, in priority "
                   "order, e.g. channels = [\"conda-forge\"]");
        }
        std::size_t i = 0;
        for (auto&& element : *channels->as_array())
            written.push_back({names[i++], &element, r.location(element.source())});
    } else {
        for (const auto& value : rc.channels)
            written.push_back({value.text, nullptr, value.where});
    }
    auto fail_at = [&](const Written& w, const std::string& message) {
        if (w.node)
            r.fail(w.node->source(), message);
        throw Error(place(w.where) + ": " + message, Exit::user);
    };
    // `defaults` stands for default_channels (.condarc's, else conda's own).
    std::vector<Written> expanded;
    for (const auto& w : written) {
        if (w.name != "defaults") {
            expanded.push_back(w);
            continue;
        }
        if (rc.default_channels.empty()) {
            for (const char* url :
                 {"https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r"})
                expanded.push_back({url, nullptr, w.where});
        } else {
            for (const auto& value : rc.default_channels)
                expanded.push_back({value.text, nullptr, value.where});
        }
    }
    std::set<std::string> seen;
    for (const auto& w : expanded) {
        CondaChannel channel;
        channel.where = w.where;
        if (w.node && (is_url(w.name) || w.name.find("${") != std::string::npos)) {
            channel.url = r.url_value(*w.node, "channels", "\"https://conda.anaconda.org/pytorch\"",
                                      conda.credentials);
            channel.name = channel.url;
        } else if (is_url(w.name)) {
            channel.url = settings_url({w.name, w.where}, "channels", conda.credentials);
            channel.name = channel.url;
        } else if (is_channel_name(w.name)) {
            channel.name = w.name;
            auto root = custom.find(w.name.substr(0, w.name.find('/')));
            channel.url =
                (root != custom.end() ? root->second : conda.channel_alias) + "/" + w.name;
        } else {
            fail_at(w, quote(w.name) +
                           " is not a channel; write a name such as \"conda-forge\" (found under "
                           "`channel_alias`) or a full URL such as "
                           "\"https://conda.anaconda.org/pytorch\"");
        }
        if (!seen.insert(channel.url).second) {
            fail_at(w, "the channel " + quote(w.name) + " is listed twice; list each channel once");
        }
        if (auto m = mirrors.find(channel.name); m != mirrors.end()) {
            channel.mirrors = m->second.first;
            mirrors.erase(m);
        }
        conda.channels.push_back(std::move(channel));
    }
    for (auto& [name, entry] : mirrors) {
        r.fail(entry.second->source(),
               "`mirrors` names the channel " + quote(name) + ", which is not in `channels`");
    }
    auto specs = r.required(table, "specs", "[conda]", "specs = [\"python=3.12\", \"numpy\"]");
    conda.specs = r.string_array(*specs, "specs");
    if (conda.specs.empty()) {
        r.fail(specs->source(),
               "`specs` is empty; list what to bundle, e.g. specs = [\"pytorch=2.3.1\"]");
    }
    for (auto&& element : *specs->as_array())
        conda.where.push_back(r.location(element.source()));
    return conda;
}

/// `hashes = { numpy = ["sha256:<hex>"] }`: names normalised, digests lower-case.
std::map<std::string, std::vector<std::string>> read_hashes(const Reader& r,
                                                            const toml::table& table) {
    std::map<std::string, std::vector<std::string>> out;
    static const std::regex sha256("sha256:[0-9a-fA-F]{64}");
    for (auto&& [key, value] : table) {
        std::string name(key.str());
        if (!pep503::is_valid_name(name))
            r.fail(key.source(), quote(name) + " is not a package name", name.size());
        auto digests = r.string_array(value, "hashes");
        if (digests.empty())
            r.fail(value.source(),
                   "the hashes of " + quote(name) + " are empty; list at least one");
        auto& pins = out[pep503::normalize(name)];
        std::size_t i = 0;
        for (auto&& element : *value.as_array()) {
            if (!std::regex_match(digests[i], sha256)) {
                r.fail(element.source(), quote(digests[i]) +
                                             " is not a sha256 pin; write \"sha256:<64 hex "
                                             "digits>\" (airlock checks sha256)");
            }
            std::string hex = digests[i].substr(7);
            std::transform(hex.begin(), hex.end(), hex.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (std::find(pins.begin(), pins.end(), hex) == pins.end())
                pins.push_back(hex);
            ++i;
        }
    }
    return out;
}

/// When a file given as the manifest is another kind of input: what to write instead.
std::string input_kind_hint(const std::filesystem::path& path, std::string_view text) {
    std::string name = path.filename().string();
    std::string file = path.string();
    auto has_line = [&](const std::regex& pattern) {
        std::size_t pos = 0;
        while (pos < text.size()) {
            auto end = text.find('\n', pos);
            if (end == std::string_view::npos)
                end = text.size();
            std::string line(text.substr(pos, end - pos));
            if (std::regex_search(line, pattern))
                return true;
            pos = end + 1;
        }
        return false;
    };
    static const std::regex yaml_key("^(name|channels|dependencies):");
    static const std::regex lock_version("^lock-version\\s*=");
    static const std::regex requirement(
        "^(-r|-c|-e|--[a-z-]+|[A-Za-z0-9][A-Za-z0-9._-]*\\s*(\\[[^]]*\\])?\\s*(==|>=|<=|~=|!=|<|>|;"
        "|$))");
    if (name.ends_with(".yml") || name.ends_with(".yaml") || has_line(yaml_key))
        return quote(file) + " looks like a conda environment file: pass it as `--environment " +
               file +
               "` (with --add-target NAME:PLATFORM:PYTHON), or turn it into a manifest "
               "with `airlock-build init --from " +
               file + "`";
    if (has_line(lock_version))
        return quote(file) + " looks like a PEP 751 lock: pass it as `--pylock " + file +
               "` (with --add-target NAME:PLATFORM:PYTHON)";
    if (name.ends_with(".txt") || name.ends_with(".in") || has_line(requirement))
        return quote(file) + " looks like a pip requirements file: pass it as `--requirements " +
               file +
               "` (with --add-target NAME:PLATFORM:PYTHON), or turn it into a manifest "
               "with `airlock-build init --from " +
               file + "`";
    return "";
}

}  // namespace

std::optional<std::string> process_env(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value)
        return std::nullopt;
    return std::string(value);
}

Manifest parse_manifest(std::string_view text, const std::filesystem::path& path,
                        const EnvLookup& env, Packages packages, const ManifestDefaults& defaults) {
    Reader r(text, path, env);
    toml::table root;
    try {
        root = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        SourceLocation where{path.string(), static_cast<std::size_t>(e.source().begin.line),
                             static_cast<std::size_t>(e.source().begin.column)};
        if (where.line == 0)
            where.line = 1;
        if (where.column == 0)
            where.column = 1;
        throw Error(source_excerpt(where, line_of(text, where.line),
                                   "invalid TOML: " + std::string(e.description())),
                    Exit::user);
    }

    Manifest manifest;
    manifest.path = path;
    r.check_keys(root, "the manifest", {"bundle", "target", "index", "python", "conda"});
    toml::source_region top{{1, 1}, {1, 1}, nullptr};

    auto bundle = root.get("bundle");
    if (!bundle)
        r.fail(top, "the manifest has no [bundle]; add [bundle] with name and version");
    manifest.bundle = read_bundle(r, r.table_value(*bundle, "bundle"));

    auto targets = root.get("target");
    if (!targets) {
        r.fail(top,
               "the manifest has no [[target]]; add one, e.g. [[target]] name = \"linux\" "
               "python = \"3.12\" platform = \"manylinux_2_28_x86_64\"");
    }
    std::map<std::string, SourceLocation> target_names;
    for (const toml::table* table : r.table_array(*targets, "target")) {
        auto target = read_target(r, *table);
        auto [it, inserted] = target_names.emplace(target.name, target.where);
        if (!inserted) {
            r.fail(table->get("name")->source(),
                   "target name " + quote(target.name) + " is already used at line " +
                       std::to_string(it->second.line) + "; give each [[target]] its own name");
        }
        manifest.targets.push_back(std::move(target));
    }

    std::map<std::string, SourceLocation> index_names;
    std::map<std::string, std::string> package_owner;
    if (auto indexes = root.get("index")) {
        for (const toml::table* table : r.table_array(*indexes, "index")) {
            auto index = read_index(r, *table, path);
            auto [it, inserted] = index_names.emplace(index.name, index.where);
            if (!inserted) {
                r.fail(table->get("name")->source(),
                       "index name " + quote(index.name) + " is already used at line " +
                           std::to_string(it->second.line) + "; give each [[index]] its own name");
            }
            if (auto packages = table->get("packages")) {
                for (auto&& element : *packages->as_array()) {
                    auto normalized = pep503::normalize(*element.value<std::string>());
                    auto [owner, fresh] = package_owner.emplace(normalized, index.name);
                    if (!fresh && owner->second != index.name) {
                        r.fail(element.source(),
                               "package " + quote(normalized) + " is claimed by index " +
                                   quote(owner->second) + " and index " + quote(index.name) +
                                   "; a package may come from one index only: remove it from "
                                   "one of the `packages` lists");
                    }
                }
            }
            manifest.indexes.push_back(std::move(index));
        }
    }

    if (!defaults.override_indexes.empty())
        manifest.indexes = defaults.override_indexes;
    else if (manifest.indexes.empty())
        manifest.indexes = defaults.indexes;
    if (!defaults.find_links.empty()) {
        auto links = defaults.find_links;
        for (auto& link : links) {
            while (std::any_of(manifest.indexes.begin(), manifest.indexes.end(),
                               [&](const IndexSpec& i) { return i.name == link.name; }))
                link.name = "cli-" + link.name;
        }
        manifest.indexes.insert(manifest.indexes.begin(), links.begin(), links.end());
    }

    if (auto conda = root.get("conda"))
        manifest.conda = read_conda(r, r.table_value(*conda, "conda"), defaults.conda);

    auto python = root.get("python");
    if (!python && (manifest.conda || packages == Packages::optional))
        return manifest;
    if (!python) {
        r.fail(top,
               "the manifest has no [python] or [conda] section; add [python] requirements = "
               "[...] (packages from [[index]]es) or [conda] specs = [...] (from channels)");
    }
    const auto& python_table = r.table_value(*python, "python");
    {
        std::ostringstream canonical;
        canonical << toml::toml_formatter(python_table);
        manifest.python.canonical = canonical.str();
    }
    r.check_keys(python_table, "[python]",
                 {"requirements", "prereleases", "constraints", "hashes"});
    auto requirements =
        r.required(python_table, "requirements", "[python]", "requirements = [\"requests>=2\"]");
    manifest.python.requirements = r.string_array(*requirements, "requirements");
    if (manifest.python.requirements.empty()) {
        r.fail(requirements->source(),
               "`requirements` is empty; list what to bundle, e.g. "
               "requirements = [\"requests>=2\"]");
    }
    for (auto&& element : *requirements->as_array()) {
        manifest.python.where.push_back(r.location(element.source()));
    }
    if (auto constraints = python_table.get("constraints")) {
        manifest.python.constraints = r.string_array(*constraints, "constraints");
        for (auto&& element : *constraints->as_array())
            manifest.python.constraint_where.push_back(r.location(element.source()));
    }
    if (auto hashes = python_table.get("hashes"))
        manifest.python.hashes = read_hashes(r, r.table_value(*hashes, "hashes"));
    if (auto prereleases = python_table.get("prereleases")) {
        auto text = r.string_value(*prereleases, "prereleases",
                                   "prereleases = \"if-necessary-or-explicit\"");
        auto mode = parse_prerelease_mode(text);
        if (!mode) {
            r.fail(prereleases->source(),
                   quote(text) +
                       " is not a pre-release mode; use \"disallow\", \"allow\", "
                       "\"if-necessary\", \"explicit\" or \"if-necessary-or-explicit\" (the "
                       "default)");
        }
        manifest.python.prereleases = *mode;
    }
    if (manifest.indexes.empty()) {
        r.fail(python->source(),
               "the manifest has requirements but no [[index]] to take them "
               "from; add [[index]] name = \"pypi\" url = "
               "\"https://pypi.org/simple\" (or set pip's index-url in pip.conf or "
               "PIP_INDEX_URL, or pass --index-url)");
    }
    return manifest;
}

Manifest load_manifest(const std::filesystem::path& path, const ManifestDefaults& defaults) {
    auto text = read_file(path, "the manifest");
    try {
        return parse_manifest(text, path, process_env, Packages::required, defaults);
    } catch (Error& e) {
        auto flag = input_kind_hint(path, text);
        if (!flag.empty())
            e.with_hint(flag);
        throw;
    }
}

}  // namespace airlock::manifest
