#include "builder/conda/repodata.hpp"

#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/conda/package_name.hpp"
#include "core/conda/parse_error.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_set>

namespace airlock::conda {

namespace {

/// Decompressed repodata larger than this is refused (conda-forge's biggest subdir is ~300 MB).
constexpr std::uint64_t kMaxRepodataBytes = 4ULL << 30;

/// Where one entry sits in the bytes.
struct Entry {
    std::uint64_t key_offset;    ///< the file name (a JSON key without escapes)
    std::uint64_t value_offset;  ///< the record's JSON object
    std::uint32_t key_length;
    std::uint32_t value_length;
};

struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

class MemorySource final : public archive::ByteSource {
  public:
    explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
    std::size_t read(void* data, std::size_t size) override {
        std::size_t n = std::min(size, bytes_.size() - pos_);
        std::memcpy(data, bytes_.data() + pos_, n);
        pos_ += n;
        return n;
    }

  private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

/// The decompressed bytes, with room for simdjson's padding after them.
std::string decompress(const std::string& compressed, std::string_view source) {
    std::string out;
    if (auto size = archive::zstd_content_size(compressed); size && *size <= kMaxRepodataBytes)
        out.reserve(*size + simdjson::SIMDJSON_PADDING);
    MemorySource memory(compressed);
    archive::ZstdSource zstd(memory);
    constexpr std::size_t chunk = 1 << 20;
    while (true) {
        std::size_t used = out.size();
        if (out.capacity() < used + chunk)
            out.reserve(std::max(out.capacity() * 3 / 2, used + chunk));
        out.resize(used + chunk);
        std::size_t n = within("decompressing repodata `" + printable(source) + "`",
                               [&] { return zstd.read(out.data() + used, chunk); });
        out.resize(used + n);
        if (n == 0)
            break;
        if (out.size() > kMaxRepodataBytes)
            throw Error("repodata `" + printable(source) + "` decompresses to more than 4 GiB");
    }
    return out;
}

/// The lower-case package name a repodata key (`numpy-1.26.4-py312h_0.conda`) gives, or empty
/// when the key is not a package file name.
std::string_view name_of_key(std::string_view key, std::string& lowered, bool& is_conda) {
    if (key.ends_with(".conda")) {
        key.remove_suffix(6);
        is_conda = true;
    } else if (key.ends_with(".tar.bz2")) {
        key.remove_suffix(8);
        is_conda = false;
    } else {
        return {};
    }
    auto dash2 = key.rfind('-');
    if (dash2 == std::string_view::npos || dash2 == 0)
        return {};
    auto dash1 = key.rfind('-', dash2 - 1);
    if (dash1 == std::string_view::npos || dash1 == 0)
        return {};
    std::string_view name = key.substr(0, dash1);
    if (!PackageName::is_valid(name))
        return {};
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        lowered.assign(name);
        for (char& c : lowered) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        return lowered;
    }
    return name;
}

std::string_view stem_of(std::string_view key) {
    if (key.ends_with(".conda"))
        key.remove_suffix(6);
    else if (key.ends_with(".tar.bz2"))
        key.remove_suffix(8);
    return key;
}

}  // namespace

struct Repodata::State {
    std::string bytes;  ///< the JSON, followed by simdjson's padding
    std::size_t length = 0;
    std::string subdir;
    std::string base_url;
    std::unordered_map<std::string, std::vector<Entry>, NameHash, std::equal_to<>> by_name;
    std::size_t entries = 0;
    std::size_t skipped = 0;
};

Repodata::Repodata() : state_(std::make_unique<State>()) {}
Repodata::Repodata(Repodata&&) noexcept = default;
Repodata& Repodata::operator=(Repodata&&) noexcept = default;
Repodata::~Repodata() = default;

namespace {

namespace od = simdjson::ondemand;

[[noreturn]] void invalid(std::string_view source, std::string_view why) {
    throw Error("invalid repodata `" + printable(source) + "`: " + std::string(why));
}

std::string string_field(od::value value) {
    std::string_view s;
    if (value.get_string().get(s))
        return {};
    return std::string(s);
}

}  // namespace

Repodata Repodata::parse(std::string bytes, std::string_view source) {
    Repodata out;
    State& st = *out.state_;
    if (archive::is_zstd(bytes)) {
        std::string plain = decompress(bytes, source);
        bytes = std::string();  // free the compressed bytes before indexing
        bytes = std::move(plain);
    }
    st.length = bytes.size();
    if (st.length > kMaxRepodataBytes)
        invalid(source, "larger than 4 GiB");
    // Padding: free when the caller left capacity for it, else one copy.
    bytes.resize(st.length + simdjson::SIMDJSON_PADDING, '\0');
    st.bytes = std::move(bytes);
    const char* base = st.bytes.data();

    // The parser and its structural index live only for this pass.
    od::parser parser;
    od::document doc;
    simdjson::padded_string_view view(base, st.length, st.bytes.size());
    if (auto error = parser.iterate(view).get(doc))
        invalid(source, std::string("not JSON (") + simdjson::error_message(error) + ")");
    od::object root;
    if (doc.get_object().get(root))
        invalid(source, "not a JSON object");

    std::string lowered;
    std::string_view last_name;
    std::vector<Entry>* last_entries = nullptr;
    auto index_section = [&](od::value section, std::string_view section_name) {
        od::object packages;
        if (section.get_object().get(packages))
            invalid(source, "`" + std::string(section_name) + "` is not an object");
        for (auto field : packages) {
            od::raw_json_string raw_key;
            if (auto error = field.key().get(raw_key))
                invalid(source, std::string("bad key (") + simdjson::error_message(error) + ")");
            // The key as it sits in the bytes: up to the closing quote; keys with escapes are
            // not package file names.
            const char* key_begin = raw_key.raw();
            const char* key_end = key_begin;
            while (*key_end != '"' && *key_end != '\\')
                ++key_end;
            bool escaped = *key_end == '\\';
            std::string_view key(key_begin, static_cast<std::size_t>(key_end - key_begin));

            od::object record;
            std::string_view raw;
            if (auto error = field.value().get_object().get(record))
                invalid(source, "the entry `" + printable(key) + "` is not an object (" +
                                    simdjson::error_message(error) + ")");
            if (auto error = record.raw_json().get(raw))
                invalid(source, "the entry `" + printable(key) + "` is not valid JSON (" +
                                    simdjson::error_message(error) + ")");
            ++st.entries;
            bool is_conda = false;
            std::string_view name =
                escaped ? std::string_view() : name_of_key(key, lowered, is_conda);
            if (name.empty() || key.size() > UINT32_MAX || raw.size() > UINT32_MAX) {
                ++st.skipped;
                continue;
            }
            Entry entry{static_cast<std::uint64_t>(key_begin - base),
                        static_cast<std::uint64_t>(raw.data() - base),
                        static_cast<std::uint32_t>(key.size()),
                        static_cast<std::uint32_t>(raw.size())};
            // Repodata keys are sorted, so runs of one name are the common case.
            if (last_entries == nullptr || name != last_name) {
                auto it = st.by_name.find(name);
                if (it == st.by_name.end())
                    it = st.by_name.emplace(std::string(name), std::vector<Entry>{}).first;
                last_entries = &it->second;
                last_name = it->first;
            }
            last_entries->push_back(entry);
        }
    };

    for (auto field : root) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key))
            invalid(source, std::string("bad key (") + simdjson::error_message(error) + ")");
        if (key == "packages" || key == "packages.conda") {
            std::string section(key);
            index_section(field.value(), section);
        } else if (key == "info") {
            od::object info;
            if (field.value().get_object().get(info))
                continue;
            for (auto item : info) {
                std::string_view k;
                if (item.unescaped_key().get(k))
                    continue;
                if (k == "subdir")
                    st.subdir = string_field(item.value());
                else if (k == "base_url")
                    st.base_url = string_field(item.value());
            }
        }
        // Other keys (`removed`, `repodata_version`, `signatures`) are skipped unread.
    }
    for (auto& [name, entries] : st.by_name)
        entries.shrink_to_fit();
    return out;
}

Repodata Repodata::read_file(const std::filesystem::path& path) {
    std::string where = path.string();
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        throw Error("cannot read repodata `" + printable(where) + "`: " + std::strerror(errno));
    // Room for simdjson's padding from the start, so parse() does not copy.
    constexpr std::size_t chunk = 1 << 22;
    std::string bytes;
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    bytes.reserve((ec ? 0 : static_cast<std::size_t>(size)) + chunk + simdjson::SIMDJSON_PADDING);
    while (true) {
        std::size_t used = bytes.size();
        if (bytes.capacity() < used + chunk + simdjson::SIMDJSON_PADDING)
            bytes.reserve(
                std::max(bytes.capacity() * 3 / 2, used + chunk + simdjson::SIMDJSON_PADDING));
        bytes.resize(used + chunk);
        std::size_t n = std::fread(bytes.data() + used, 1, chunk, file);
        bytes.resize(used + n);
        if (n == 0)
            break;
    }
    bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed)
        throw Error("cannot read repodata `" + printable(where) + "`");
    return parse(std::move(bytes), where);
}

const std::string& Repodata::subdir() const {
    return state_->subdir;
}

const std::string& Repodata::base_url() const {
    return state_->base_url;
}

std::size_t Repodata::entry_count() const {
    return state_->entries;
}

std::size_t Repodata::skipped_count() const {
    return state_->skipped;
}

std::vector<std::string> Repodata::names() const {
    std::vector<std::string> out;
    out.reserve(state_->by_name.size());
    for (const auto& [name, entries] : state_->by_name)
        out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
}

bool Repodata::contains(std::string_view name) const {
    std::string lowered;
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        lowered.assign(name);
        for (char& c : lowered) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        name = lowered;
    }
    return state_->by_name.find(name) != state_->by_name.end();
}

std::vector<PackageRecord> Repodata::records(std::string_view name,
                                             std::vector<std::string>* rejected) const {
    std::string lowered(name);
    for (char& c : lowered) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    std::vector<PackageRecord> out;
    auto it = state_->by_name.find(std::string_view(lowered));
    if (it == state_->by_name.end())
        return out;
    const char* base = state_->bytes.data();
    auto key_of = [&](const Entry& e) {
        return std::string_view(base + e.key_offset, e.key_length);
    };

    // A build published in both formats: keep the `.conda` one.
    std::unordered_set<std::string_view> conda_stems;
    for (const Entry& e : it->second) {
        std::string_view key = key_of(e);
        if (key.ends_with(".conda"))
            conda_stems.insert(stem_of(key));
    }
    out.reserve(it->second.size());
    for (const Entry& e : it->second) {
        std::string_view key = key_of(e);
        if (key.ends_with(".tar.bz2") && conda_stems.count(stem_of(key)))
            continue;
        try {
            out.push_back(PackageRecord::from_json(
                std::string_view(base + e.value_offset, e.value_length), key));
        } catch (const Error& error) {
            if (rejected != nullptr)
                rejected->push_back(error.what());
        }
    }
    return out;
}

}  // namespace airlock::conda
