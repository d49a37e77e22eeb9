#include "core/conda/package_record.hpp"

#include "core/base/error.hpp"
#include "core/conda/parse_error.hpp"

#include <simdjson.h>
#include <nlohmann/json.hpp>

namespace airlock::conda {

namespace {

/// Timestamps above this are in milliseconds (conda's rule: 253402300799 is 9999-12-31 in
/// seconds).
constexpr std::uint64_t kLargestSeconds = 253402300799ULL;

bool is_hex_digest(std::string_view s, std::size_t length) {
    if (s.size() != length)
        return false;
    for (char c : s) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!ok)
            return false;
    }
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool is_valid_subdir(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.front() == '-')
        return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

/// Splits conda's space- or comma-separated feature lists.
void split_features(std::string_view text, std::vector<std::string>& out) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ','))
            ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != ',')
            ++j;
        if (j > i)
            out.emplace_back(text.substr(i, j - i));
        i = j;
    }
}

struct RecordReader {
    std::string_view filename;
    PackageRecord record;
    std::string name_text;
    std::string version_text;
    bool has_build = false;

    [[noreturn]] void fail(std::string_view message) const {
        std::string what =
            filename.empty() ? (name_text.empty() ? std::string("package record")
                                                  : "package record `" + printable(name_text) + "`")
                             : "package record `" + printable(filename) + "`";
        throw Error("invalid " + what + ": " + std::string(message));
    }

    std::string string_of(simdjson::dom::element value, std::string_view key) const {
        if (value.is_null())
            return {};
        std::string_view s;
        if (value.get_string().get(s))
            fail("`" + std::string(key) + "` is not a string");
        return std::string(s);
    }

    std::uint64_t number_of(simdjson::dom::element value, std::string_view key) const {
        if (value.is_null())
            return 0;
        std::uint64_t n = 0;
        if (!value.get_uint64().get(n))
            return n;
        double d = 0;
        if (!value.get_double().get(d) && d >= 0 && d < 1.8e19)
            return static_cast<std::uint64_t>(d);
        fail("`" + std::string(key) + "` is not a non-negative number");
    }

    std::vector<std::string> strings_of(simdjson::dom::element value, std::string_view key) const {
        std::vector<std::string> out;
        if (value.is_null())
            return out;
        simdjson::dom::array array;
        if (value.get_array().get(array))
            fail("`" + std::string(key) + "` is not a list");
        for (simdjson::dom::element item : array) {
            std::string_view s;
            if (item.get_string().get(s))
                fail("`" + std::string(key) + "` has an item that is not a string");
            out.emplace_back(s);
        }
        return out;
    }

    void field(std::string_view key, simdjson::dom::element value) {
        PackageRecord& r = record;
        if (key == "name") {
            name_text = string_of(value, key);
        } else if (key == "version") {
            // Some old records write versions as numbers.
            if (value.is_string())
                version_text = string_of(value, key);
            else
                version_text = simdjson::minify(value);
        } else if (key == "build") {
            r.build = string_of(value, key);
            has_build = true;
        } else if (key == "build_number") {
            r.build_number = number_of(value, key);
        } else if (key == "subdir") {
            r.subdir = string_of(value, key);
        } else if (key == "depends") {
            r.depends = strings_of(value, key);
        } else if (key == "constrains") {
            r.constrains = strings_of(value, key);
        } else if (key == "track_features") {
            if (value.is_array()) {
                for (auto& s : strings_of(value, key))
                    split_features(s, r.track_features);
            } else {
                split_features(string_of(value, key), r.track_features);
            }
        } else if (key == "features") {
            if (value.is_array()) {
                std::string joined;
                for (auto& s : strings_of(value, key))
                    joined += (joined.empty() ? "" : " ") + s;
                r.features = joined;
            } else {
                r.features = string_of(value, key);
            }
        } else if (key == "license") {
            r.license = string_of(value, key);
        } else if (key == "license_family") {
            r.license_family = string_of(value, key);
        } else if (key == "timestamp") {
            r.timestamp = number_of(value, key);
            if (r.timestamp != 0 && r.timestamp <= kLargestSeconds)
                r.timestamp *= 1000;
        } else if (key == "size") {
            r.size = number_of(value, key);
        } else if (key == "sha256") {
            r.sha256 = lower(string_of(value, key));
        } else if (key == "md5") {
            r.md5 = lower(string_of(value, key));
        } else if (key == "noarch") {
            if (value.is_null()) {
                r.noarch = NoArch::none;
            } else if (value.is_bool()) {
                bool b = false;
                if (value.get_bool().get(b))
                    fail("`noarch` is not a boolean");
                r.noarch = b ? NoArch::generic : NoArch::none;
            } else {
                std::string s = string_of(value, key);
                if (s == "python")
                    r.noarch = NoArch::python;
                else if (s == "generic")
                    r.noarch = NoArch::generic;
                else
                    fail("`noarch` is neither `python` nor `generic`");
            }
        } else if (key == "arch") {
            r.arch = string_of(value, key);
        } else if (key == "platform") {
            r.platform = string_of(value, key);
        }
        // Other keys (`purls`, `python_site_packages_path`, `legacy_bz2_md5`…) are not needed.
    }

    void validate() {
        PackageRecord& r = record;
        if (name_text.empty())
            fail("`name` is missing");
        if (!PackageName::is_valid(name_text))
            fail("invalid package name `" + printable(name_text) + "`");
        r.name = PackageName::parse(name_text);
        if (version_text.empty())
            fail("`version` is missing");
        auto version = Version::try_parse(version_text);
        if (!version)
            fail("invalid version `" + printable(version_text) + "`");
        r.version = std::move(*version);
        if (!has_build)
            fail("`build` is missing");
        if (!is_valid_build_string(r.build))
            fail("invalid build string `" + printable(r.build) + "`");
        if (!r.subdir.empty() && !is_valid_subdir(r.subdir))
            fail("invalid subdir `" + printable(r.subdir) + "`");
        if (!r.sha256.empty() && !is_hex_digest(r.sha256, 64))
            fail("`sha256` is not 64 hexadecimal digits");
        if (!r.md5.empty() && !is_hex_digest(r.md5, 32))
            fail("`md5` is not 32 hexadecimal digits");
        if (!filename.empty()) {
            auto fn = PackageFilename::try_parse(filename);
            if (!fn)
                fail("the key is not a valid package file name");
            if (fn->name != r.name || fn->version.source() != r.version.source() ||
                fn->build != r.build)
                fail("the file name does not match the record's name, version and build (" +
                     printable(r.display()) + ")");
            r.fn = std::string(filename);
        }
    }
};

}  // namespace

PackageRecord PackageRecord::from_json(std::string_view json, std::string_view filename) {
    thread_local simdjson::dom::parser parser;
    RecordReader reader;
    reader.filename = filename;
    simdjson::padded_string padded(json.data(), json.size());
    simdjson::dom::element doc;
    if (auto error = parser.parse(padded).get(doc))
        reader.fail(std::string("not JSON (") + simdjson::error_message(error) + ")");
    simdjson::dom::object object;
    if (doc.get_object().get(object))
        reader.fail("not a JSON object");
    for (auto [key, value] : object)
        reader.field(key, value);
    reader.validate();
    return std::move(reader.record);
}

std::string PackageRecord::to_json() const {
    nlohmann::json j = nlohmann::json::object();
    j["name"] = name.source();
    j["version"] = version.source();
    j["build"] = build;
    j["build_number"] = build_number;
    j["depends"] = depends;
    if (!constrains.empty())
        j["constrains"] = constrains;
    if (!track_features.empty()) {
        std::string joined;
        for (const auto& f : track_features)
            joined += (joined.empty() ? "" : " ") + f;
        j["track_features"] = joined;
    }
    if (!features.empty())
        j["features"] = features;
    if (!subdir.empty())
        j["subdir"] = subdir;
    if (!license.empty())
        j["license"] = license;
    if (!license_family.empty())
        j["license_family"] = license_family;
    if (timestamp != 0)
        j["timestamp"] = timestamp;
    if (size != 0)
        j["size"] = size;
    if (!sha256.empty())
        j["sha256"] = sha256;
    if (!md5.empty())
        j["md5"] = md5;
    if (noarch != NoArch::none)
        j["noarch"] = noarch == NoArch::python ? "python" : "generic";
    if (!arch.empty())
        j["arch"] = arch;
    if (!platform.empty())
        j["platform"] = platform;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

PackageFormat PackageRecord::format() const {
    return std::string_view(fn).ends_with(".tar.bz2") ? PackageFormat::tar_bz2
                                                      : PackageFormat::conda;
}

std::string PackageRecord::display() const {
    return name.source() + " " + version.source() + " " + build;
}

}  // namespace airlock::conda
