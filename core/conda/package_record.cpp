#include "core/conda/package_record.hpp"

#include "core/conda/package_record_builder.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/conda/parse_error.hpp"

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

}  // namespace

PackageRecordBuilder::PackageRecordBuilder(std::string_view filename) : filename_(filename) {}

void PackageRecordBuilder::fail(std::string_view message) const {
    std::string what = !filename_.empty() ? "package record `" + printable(filename_) + "`"
                       : !name_.empty()   ? "package record `" + printable(name_) + "`"
                                          : std::string("package record");
    throw Error("invalid " + what + ": " + std::string(message));
}

namespace {

using Kind = JsonField::Kind;

std::string string_of(const PackageRecordBuilder& b, const JsonField& v, std::string_view key) {
    if (v.kind == Kind::null)
        return {};
    if (v.kind != Kind::string)
        b.fail("`" + std::string(key) + "` is not a string");
    return std::string(v.text);
}

std::uint64_t number_of(const PackageRecordBuilder& b, const JsonField& v, std::string_view key) {
    if (v.kind == Kind::null)
        return 0;
    if (v.kind != Kind::number || !v.is_integer)
        b.fail("`" + std::string(key) + "` is not a non-negative integer");
    return v.integer;
}

std::vector<std::string> strings_of(const PackageRecordBuilder& b, const JsonField& v,
                                    std::string_view key) {
    std::vector<std::string> out;
    if (v.kind == Kind::null)
        return out;
    if (v.kind != Kind::strings)
        b.fail("`" + std::string(key) + "` is not a list of strings");
    out.reserve(v.strings.size());
    for (auto s : v.strings)
        out.emplace_back(s);
    return out;
}

}  // namespace

void PackageRecordBuilder::set(std::string_view key, const JsonField& value) {
    PackageRecord& r = record_;
    if (key == "name") {
        name_ = string_of(*this, value, key);
    } else if (key == "version") {
        // Some old records write versions as numbers.
        if (value.kind == Kind::number)
            version_ = std::string(value.text);
        else
            version_ = string_of(*this, value, key);
    } else if (key == "build") {
        r.build = string_of(*this, value, key);
        has_build_ = true;
    } else if (key == "build_number") {
        r.build_number = number_of(*this, value, key);
    } else if (key == "subdir") {
        r.subdir = string_of(*this, value, key);
    } else if (key == "depends") {
        r.depends = strings_of(*this, value, key);
    } else if (key == "constrains") {
        r.constrains = strings_of(*this, value, key);
    } else if (key == "track_features") {
        r.track_features.clear();
        if (value.kind == Kind::strings) {
            for (auto s : value.strings)
                split_features(s, r.track_features);
        } else {
            split_features(string_of(*this, value, key), r.track_features);
        }
    } else if (key == "features") {
        if (value.kind == Kind::strings) {
            std::string joined;
            for (auto s : value.strings)
                joined += (joined.empty() ? "" : " ") + std::string(s);
            r.features = joined;
        } else {
            r.features = string_of(*this, value, key);
        }
    } else if (key == "license") {
        r.license = string_of(*this, value, key);
    } else if (key == "license_family") {
        r.license_family = string_of(*this, value, key);
    } else if (key == "timestamp") {
        if (value.kind == Kind::number && !value.is_integer) {
            r.timestamp = 0;  // fractional timestamps: not worth keeping
        } else {
            r.timestamp = number_of(*this, value, key);
        }
        if (r.timestamp != 0 && r.timestamp <= kLargestSeconds)
            r.timestamp *= 1000;
    } else if (key == "size") {
        r.size = number_of(*this, value, key);
    } else if (key == "sha256") {
        r.sha256 = ascii_lower(string_of(*this, value, key));
    } else if (key == "md5") {
        r.md5 = ascii_lower(string_of(*this, value, key));
    } else if (key == "noarch") {
        if (value.kind == Kind::null) {
            r.noarch = NoArch::none;
        } else if (value.kind == Kind::boolean) {
            r.noarch = value.boolean ? NoArch::generic : NoArch::none;
        } else {
            std::string s = string_of(*this, value, key);
            if (s == "python")
                r.noarch = NoArch::python;
            else if (s == "generic")
                r.noarch = NoArch::generic;
            else
                fail("`noarch` is neither `python` nor `generic`");
        }
    } else if (key == "arch") {
        r.arch = string_of(*this, value, key);
    } else if (key == "platform") {
        r.platform = string_of(*this, value, key);
    }
    // Other keys (`purls`, `python_site_packages_path`, `legacy_bz2_md5`…) are not needed.
}

PackageRecord PackageRecordBuilder::finish() {
    PackageRecord& r = record_;
    if (name_.empty())
        fail("`name` is missing");
    if (!PackageName::is_valid(name_))
        fail("invalid package name `" + printable(name_) + "`");
    r.name = PackageName::parse(name_);
    if (version_.empty())
        fail("`version` is missing");
    auto version = Version::try_parse(version_);
    if (!version)
        fail("invalid version `" + printable(version_) + "`");
    r.version = std::move(*version);
    if (!has_build_)
        fail("`build` is missing");
    if (!is_valid_build_string(r.build))
        fail("invalid build string `" + printable(r.build) + "`");
    if (!r.subdir.empty() && !is_valid_subdir(r.subdir))
        fail("invalid subdir `" + printable(r.subdir) + "`");
    if (!r.sha256.empty() && !is_hex_digest(r.sha256, 64))
        fail("`sha256` is not 64 hexadecimal digits");
    if (!r.md5.empty() && !is_hex_digest(r.md5, 32))
        fail("`md5` is not 32 hexadecimal digits");
    if (!filename_.empty()) {
        // The key must be `name-version-build` plus an extension. Name, version and build are
        // valid by now, so comparing texts suffices; only a differently cased name (or an
        // invalid key) needs the full file name parser.
        std::string_view key = filename_;
        std::string_view stem = key.ends_with(".conda")     ? key.substr(0, key.size() - 6)
                                : key.ends_with(".tar.bz2") ? key.substr(0, key.size() - 8)
                                                            : std::string_view();
        bool same = !stem.empty() && version_.find('*') == std::string::npos &&
                    stem.size() == name_.size() + version_.size() + r.build.size() + 2 &&
                    stem.starts_with(name_) && stem[name_.size()] == '-' &&
                    stem.substr(name_.size() + 1, version_.size()) == version_ &&
                    stem[name_.size() + 1 + version_.size()] == '-' && stem.ends_with(r.build);
        if (!same) {
            auto fn = PackageFilename::try_parse(filename_);
            if (!fn)
                fail("the key is not a valid package file name");
            if (fn->name != r.name || fn->version.source() != r.version.source() ||
                fn->build != r.build)
                fail("the file name does not match the record's name, version and build (" +
                     printable(r.display()) + ")");
        }
        r.fn = filename_;
    }
    return std::move(r);
}

namespace {

/// nlohmann's view of one value, as a JsonField.
JsonField field_of(const nlohmann::json& v, std::string& number_text) {
    JsonField f;
    if (v.is_null()) {
        f.kind = Kind::null;
    } else if (v.is_boolean()) {
        f.kind = Kind::boolean;
        f.boolean = v.get<bool>();
    } else if (v.is_number()) {
        f.kind = Kind::number;
        f.is_integer = v.is_number_unsigned();
        if (f.is_integer)
            f.integer = v.get<std::uint64_t>();
        number_text = v.dump();
        f.text = number_text;
    } else if (v.is_string()) {
        f.kind = Kind::string;
        f.text = v.get_ref<const std::string&>();
    } else if (v.is_array()) {
        f.kind = Kind::strings;
        for (const auto& item : v) {
            if (!item.is_string()) {
                f.kind = Kind::other;
                f.strings.clear();
                break;
            }
            f.strings.push_back(item.get_ref<const std::string&>());
        }
    } else {
        f.kind = Kind::other;
    }
    return f;
}

}  // namespace

PackageRecord PackageRecord::from_json(std::string_view json, std::string_view filename) {
    PackageRecordBuilder builder(filename);
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded())
        builder.fail("not JSON");
    if (!doc.is_object())
        builder.fail("not a JSON object");
    std::string number_text;
    for (const auto& [key, value] : doc.items())
        builder.set(key, field_of(value, number_text));
    return builder.finish();
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
    if (timestamp != 0) {
        // Milliseconds up to kLargestSeconds (seconds before 1978-01-12 scaled) would read back
        // as seconds, 1000 times later (conda reads them so too): written in seconds.
        if (timestamp <= kLargestSeconds && timestamp % 1000 == 0)
            j["timestamp"] = timestamp / 1000;
        else
            j["timestamp"] = timestamp;
    }
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
