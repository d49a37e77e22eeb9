#include "core/bundle/bundle_manifest.hpp"

#include "core/base/toml_string.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"
#include "core/digest/sha256.hpp"
#include "core/pep503/name.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

namespace airlock::bundle {
namespace {

/// Reads typed fields out of one table, with errors that point at the line.
class Fields {
  public:
    Fields(const toml::table& table, std::string_view source, std::string what)
        : table_(table), source_(source), what_(std::move(what)) {}

    [[noreturn]] void fail(const toml::node* at, const std::string& message) const {
        const auto& where = at != nullptr ? at->source() : table_.source();
        throw Error(std::string(source_) + ":" + std::to_string(where.begin.line) + ":" +
                    std::to_string(where.begin.column) + ": " + what_ + ": " + message);
    }

    /// A checked value (BundleName, BundlePath, …) or plain text of at most `max` bytes; a value
    /// its grammar refuses fails at its line.
    template <class T>
    T checked(std::string_view key, bool required = true) const {
        std::string value = string(key, required);
        try {
            return T(std::move(value));
        } catch (const Error& e) {
            fail(table_.get(key), e.what());
        }
    }
    std::string text(std::string_view key, bool required = true, std::size_t max = 200) const {
        std::string value = string(key, required);
        if (!is_plain_text(value, max)) {
            fail(table_.get(key), quote(key) + " " + quote(value) +
                                      " holds control characters or is longer than " +
                                      std::to_string(max) + " bytes");
        }
        return value;
    }
    /// Plain text matching `grammar` (checked with `good`), e.g. a Python version.
    template <class Good>
    std::string word(std::string_view key, bool required, Good good,
                     std::string_view grammar) const {
        std::string value = string(key, required);
        if ((required || !value.empty()) && !good(value))
            fail(table_.get(key),
                 quote(key) + " " + quote(value) + " is not " + std::string(grammar));
        return value;
    }

    std::string string(std::string_view key, bool required = true) const {
        const toml::node* n = table_.get(key);
        if (n == nullptr) {
            if (required)
                fail(nullptr, "missing " + quote(key));
            return {};
        }
        if (!n->is_string())
            fail(n, quote(key) + " must be a string");
        return n->as_string()->get();
    }
    std::optional<std::string> optional_string(std::string_view key) const {
        if (table_.get(key) == nullptr)
            return std::nullopt;
        return string(key);
    }
    std::int64_t integer(std::string_view key) const {
        const toml::node* n = table_.get(key);
        if (n == nullptr)
            fail(nullptr, "missing " + quote(key));
        if (!n->is_integer() || n->as_integer()->get() < 0) {
            fail(n, quote(key) + " must be a non-negative integer");
        }
        return n->as_integer()->get();
    }
    bool boolean(std::string_view key) const {
        const toml::node* n = table_.get(key);
        if (n == nullptr)
            fail(nullptr, "missing " + quote(key));
        if (!n->is_boolean())
            fail(n, quote(key) + " must be true or false");
        return n->as_boolean()->get();
    }
    std::vector<std::string> strings(std::string_view key) const {
        std::vector<std::string> out;
        const toml::node* n = table_.get(key);
        if (n == nullptr)
            return out;
        if (!n->is_array())
            fail(n, quote(key) + " must be an array of strings");
        for (const auto& item : *n->as_array()) {
            if (!item.is_string())
                fail(&item, quote(key) + " must be an array of strings");
            out.push_back(item.as_string()->get());
        }
        return out;
    }
    const toml::table& table() const { return table_; }

  private:
    const toml::table& table_;
    std::string_view source_;
    std::string what_;
};

bool is_hex(std::string_view text, std::size_t length) {
    return text.size() == length &&
           text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

/// Format 2's `ecosystems`, `conda_subdir` and `conda_specs` of one [[target]].
void read_conda_part(const Fields& f, BundleTarget& t) {
    const toml::node* node = f.table().get("ecosystems");
    if (node == nullptr)
        f.fail(nullptr, "missing `ecosystems` (format 2 lists them for every target)");
    t.ecosystems.clear();
    for (const auto& name : f.strings("ecosystems")) {
        auto e = parse_ecosystem(name);
        if (!e)
            f.fail(node, "unknown ecosystem " + quote(name) + " (known: `conda`, `pip`)");
        if (std::find(t.ecosystems.begin(), t.ecosystems.end(), *e) != t.ecosystems.end())
            f.fail(node, "ecosystem " + quote(name) + " is listed twice");
        t.ecosystems.push_back(*e);
    }
    t.ecosystems = sorted_ecosystems(std::move(t.ecosystems));
    const bool conda = t.carries(Ecosystem::conda);
    if (f.table().get("conda_subdir") != nullptr)
        t.conda_subdir = f.checked<CondaSubdir>("conda_subdir");
    if (conda != t.conda_subdir.has_value()) {
        f.fail(conda ? nullptr : f.table().get("conda_subdir"),
               conda ? "a target carrying conda needs `conda_subdir`"
                     : "`conda_subdir` is set but `ecosystems` has no `conda`");
    }
    for (auto& spec : f.strings("conda_specs")) {
        try {
            t.conda_specs.emplace_back(std::move(spec));
        } catch (const Error& e) {
            f.fail(f.table().get("conda_specs"), e.what());
        }
    }
    if (!conda && !t.conda_specs.empty())
        f.fail(f.table().get("conda_specs"),
               "`conda_specs` is set but `ecosystems` has no `conda`");
}

const toml::array* array_of_tables(const toml::table& root, std::string_view key,
                                   std::string_view source) {
    const toml::node* n = root.get(key);
    if (n == nullptr)
        return nullptr;
    if (!n->is_array_of_tables()) {
        Fields(root, source, "manifest")
            .fail(n, quote(key) + " must be written as [[" + std::string(key) + "]] tables");
    }
    return n->as_array();
}

}  // namespace

std::optional<std::int64_t> source_date_epoch() {
    const char* value = std::getenv("SOURCE_DATE_EPOCH");
    if (value == nullptr || *value == '\0')
        return std::nullopt;
    std::string text(value);
    if (!std::all_of(text.begin(), text.end(), ::isdigit) || text.size() > 18) {
        throw Error("SOURCE_DATE_EPOCH is " + quote(text) + ", not a number of seconds")
            .with_hint("set it to a Unix time such as `date +%s` prints, or unset it");
    }
    return std::stoll(text);
}

std::string rfc3339_utc(std::int64_t epoch_seconds) {
    std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string BundleManifest::to_toml() const {
    std::string out;
    out += "# airlock bundle manifest. Check its signature with:\n";
    out += "#   minisign -V -p SIGNER.pub -m manifest.toml\n";
    out += "format = " + std::to_string(format_version) + "\n\n";
    out += "[bundle]\n";
    out += "name = " + toml_string(name) + "\n";
    out += "version = " + toml_string(version) + "\n";
    out += "sequence = " + std::to_string(sequence) + "\n";
    out += "created = " + toml_string(created) + "\n";
    out += "builder = " + toml_string(builder) + "\n";
    out += std::string("signed = ") + (signing == Signing::signed_ ? "true" : "false") + "\n";
    for (const auto& t : targets) {
        out += "\n[[target]]\n";
        out += "name = " + toml_string(t.name) + "\n";
        out += "python = " + toml_string(t.python) + "\n";
        out += "platform = " + toml_string(t.platform) + "\n";
        if (t.cuda)
            out += "cuda = " + toml_string(*t.cuda) + "\n";
        if (!t.requires_python.empty()) {
            out += "requires_python = " + toml_string(t.requires_python) + "\n";
        }
        std::vector<std::string> ecosystems;
        for (Ecosystem e : sorted_ecosystems(t.ecosystems))
            ecosystems.emplace_back(ecosystem_name(e));
        out += "ecosystems = " + toml_string_array(ecosystems) + "\n";
        if (t.conda_subdir)
            out += "conda_subdir = " + toml_string(*t.conda_subdir) + "\n";
        if (!t.conda_specs.empty()) {
            out += "conda_specs = " +
                   toml_string_array(
                       std::vector<std::string>(t.conda_specs.begin(), t.conda_specs.end())) +
                   "\n";
        }
    }
    std::vector<const BundleFile*> sorted;
    for (const auto& f : files)
        sorted.push_back(&f);
    std::sort(sorted.begin(), sorted.end(),
              [](const BundleFile* a, const BundleFile* b) { return a->path < b->path; });
    for (const auto* f : sorted) {
        out += "\n[[file]]\n";
        out += "path = " + toml_string(f->path) + "\n";
        out += "size = " + std::to_string(f->size) + "\n";
        out += "sha256 = " + toml_string(f->sha256) + "\n";
        if (!f->md5.empty())
            out += "md5 = " + toml_string(f->md5) + "\n";
        if (!f->package.empty())
            out += "package = " + toml_string(f->package) + "\n";
        if (!f->version.empty())
            out += "version = " + toml_string(f->version) + "\n";
        if (!f->targets.empty())
            out +=
                "targets = " +
                toml_string_array(std::vector<std::string>(f->targets.begin(), f->targets.end())) +
                "\n";
        if (!f->urls.empty())
            out += "urls = " + toml_string_array(f->urls) + "\n";
    }
    return out;
}

BundleManifest BundleManifest::parse(std::string_view text, std::string_view source) {
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        throw Error(source_excerpt({std::string(source), b.line, b.column}, line_of(text, b.line),
                                   std::string(e.description())));
    }
    BundleManifest m;
    Fields top(root, source, "manifest");
    m.format = static_cast<int>(top.integer("format"));
    if (m.format < oldest_format_version || m.format > format_version) {
        throw Error(std::string(source) + ": bundle format " + std::to_string(m.format) +
                    " is not supported (this airlock reads formats " +
                    std::to_string(oldest_format_version) + " to " +
                    std::to_string(format_version) + ")")
            .with_hint("install the bundle with the airlock version that built it, or newer");
    }
    const toml::table* bundle = root["bundle"].as_table();
    if (bundle == nullptr)
        top.fail(nullptr, "missing the [bundle] table");
    Fields b(*bundle, source, "[bundle]");
    m.name = b.checked<BundleName>("name");
    m.version = b.checked<VersionText>("version");
    if (m.version.empty())
        b.fail(bundle->get("version"), "the bundle version is empty");
    m.sequence = static_cast<std::uint64_t>(b.integer("sequence"));
    m.created = b.text("created");
    m.builder = b.text("builder", false);
    m.signing = b.boolean("signed") ? Signing::signed_ : Signing::unsigned_;

    auto dotted = [](const std::string& v) {
        return !v.empty() && v.size() <= 20 && v.front() != '.' && v.back() != '.' &&
               v.find("..") == std::string::npos &&
               v.find_first_not_of("0123456789.") == std::string::npos;
    };
    auto tag = [](const std::string& v) {
        return !v.empty() && v.size() <= 100 &&
               v.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    };
    std::set<std::string> target_names;
    if (const auto* targets = array_of_tables(root, "target", source)) {
        std::size_t i = 0;
        for (const auto& node : *targets) {
            Fields f(*node.as_table(), source, "[[target]] #" + std::to_string(++i));
            BundleTarget t;
            t.name = f.checked<TargetName>("name");
            t.python = f.word("python", true, dotted, "a Python version such as 3.12");
            t.platform = f.word("platform", true, tag, "a wheel platform tag");
            if (f.table().get("cuda") != nullptr)
                t.cuda = f.word("cuda", true, dotted, "a CUDA version such as 12.4");
            t.requires_python = f.text("requires_python", false);
            if (m.format >= 2)
                read_conda_part(f, t);
            if (!target_names.insert(t.name).second) {
                f.fail(nullptr, "target " + quote(t.name) + " is listed twice");
            }
            m.targets.push_back(std::move(t));
        }
    }
    std::set<std::string> paths;
    if (const auto* files = array_of_tables(root, "file", source)) {
        std::size_t i = 0;
        for (const auto& node : *files) {
            Fields f(*node.as_table(), source, "[[file]] #" + std::to_string(++i));
            BundleFile file;
            file.path = f.checked<BundlePath>("path");
            if (file.path == manifest_path || file.path == signature_path) {
                f.fail(f.table().get("path"), "unsafe or reserved path " + quote(file.path));
            }
            if (!paths.insert(file.path).second) {
                f.fail(f.table().get("path"), quote(file.path) + " is listed twice");
            }
            file.size = static_cast<std::uint64_t>(f.integer("size"));
            file.sha256 = f.string("sha256");
            if (!digest::is_sha256_hex(file.sha256)) {
                f.fail(f.table().get("sha256"), "sha256 must be 64 hex digits");
            }
            std::transform(file.sha256.begin(), file.sha256.end(), file.sha256.begin(), ::tolower);
            if (const auto md5 = f.optional_string("md5")) {
                if (!is_hex(*md5, 32))
                    f.fail(f.table().get("md5"), "md5 must be 32 hex digits");
                file.md5 = ascii_lower(*md5);
            }
            file.package = f.checked<PackageName>("package", false);
            // Conda names may start with `_`; a wheel's name is PEP 508's.
            if (!file.package.empty() && !file.path.str().starts_with("conda/") &&
                !pep503::is_valid_name(file.package)) {
                f.fail(f.table().get("package"),
                       "package " + quote(file.package) + " is not a PEP 508 project name");
            }
            file.version = f.checked<VersionText>("version", false);
            for (auto& t : f.strings("targets")) {
                if (!target_names.count(t)) {
                    f.fail(f.table().get("targets"), "unknown target " + quote(t));
                }
                file.targets.emplace_back(std::move(t));  // a known target: checked above
            }
            file.urls = f.strings("urls");
            for (const auto& url : file.urls) {
                if (!is_plain_text(url, 8192)) {
                    f.fail(f.table().get("urls"),
                           "the URL " + quote(url) + " holds control characters or is too long");
                }
            }
            m.files.push_back(std::move(file));
        }
    }
    std::sort(m.files.begin(), m.files.end(),
              [](const BundleFile& a, const BundleFile& c) { return a.path < c.path; });
    return m;
}

const BundleFile* BundleManifest::find(std::string_view path) const {
    auto it =
        std::lower_bound(files.begin(), files.end(), path,
                         [](const BundleFile& f, std::string_view p) { return f.path.str() < p; });
    if (it != files.end() && it->path == path)
        return &*it;
    // Not sorted (built by hand): fall back to a scan.
    for (const auto& f : files) {
        if (f.path == path)
            return &f;
    }
    return nullptr;
}

bool BundleTarget::carries(Ecosystem ecosystem) const {
    return std::find(ecosystems.begin(), ecosystems.end(), ecosystem) != ecosystems.end();
}

const BundleTarget* BundleManifest::find_target(std::string_view target) const {
    for (const auto& t : targets) {
        if (t.name == target)
            return &t;
    }
    return nullptr;
}

std::vector<const BundleFile*> BundleManifest::files_for(std::string_view target) const {
    std::vector<const BundleFile*> out;
    for (const auto& f : files) {
        if (f.targets.empty() ||
            std::find(f.targets.begin(), f.targets.end(), target) != f.targets.end()) {
            out.push_back(&f);
        }
    }
    return out;
}

std::string BundleManifest::trusted_comment() const {
    return "bundle:" + name.str() + "\tversion:" + version.str() +
           "\tsequence:" + std::to_string(sequence);
}

}  // namespace airlock::bundle
