#include "builder/conda/repodata.hpp"

#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/conda/package_name.hpp"
#include "core/conda/package_record_builder.hpp"
#include "core/conda/parse_error.hpp"

#include <simdjson.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdint>
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
    auto size = archive::zstd_content_size(compressed);
    if (size && *size > kMaxRepodataBytes)
        throw Error("repodata `" + printable(source) + "` decompresses to more than 4 GiB");
    // The header's size is the sender's claim: a few bytes may claim 4 GiB. Allocate it up front
    // only when the ratio is one JSON reaches (conda-forge's is about 5); otherwise let the
    // stream below grow the buffer as bytes really come out.
    constexpr std::uint64_t kMaxTrustedRatio = 64;
    if (size && *size > compressed.size() * kMaxTrustedRatio)
        size.reset();
    if (size) {
        // The header declares the size: one call, straight into the final buffer.
        out.resize(*size + simdjson::SIMDJSON_PADDING);
        std::size_t n = within("decompressing repodata `" + printable(source) + "`", [&] {
            return archive::zstd_decompress(compressed, out.data(), *size);
        });
        out.resize(n);
        return out;
    }
    MemorySource memory(compressed);
    archive::ZstdSource zstd(memory);
    constexpr std::size_t chunk = 1 << 20;
    while (true) {
        std::size_t used = out.size();
        if (out.capacity() < used + chunk + simdjson::SIMDJSON_PADDING)
            out.reserve(
                std::max(out.capacity() * 3 / 2, used + chunk + simdjson::SIMDJSON_PADDING));
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
    std::string bytes;    ///< the JSON, followed by simdjson's padding (parse())
    void* map = nullptr;  ///< or the file mapped read-only, zero pages after it (read_file())
    std::size_t map_size = 0;
    const char* data = nullptr;  ///< bytes.data() or map
    ~State() {
        if (map != nullptr)
            munmap(map, map_size);
    }
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

[[noreturn]] void invalid(std::string_view source, std::string_view why) {
    throw Error("invalid repodata `" + printable(source) + "`: " + std::string(why));
}

/// Walks simdjson's stage-1 output: the positions of every `{ } [ ] : ,`, of every string's
/// opening quote and of every other value's first byte. Stage 1 runs with the best kernel the
/// CPU has (simdjson picks it at run time; the On-Demand API would be compiled for the
/// baseline x86-64 and fall back to its slow generic kernel).
class StructuralWalker {
  public:
    StructuralWalker(const char* bytes, const std::uint32_t* positions, std::uint32_t count,
                     std::string_view source)
        : bytes_(bytes), positions_(positions), count_(count), source_(source) {}

    char peek() const { return next_ < count_ ? bytes_[positions_[next_]] : '\0'; }
    std::uint32_t position() const { return positions_[next_]; }
    void advance() { ++next_; }
    bool at_end() const { return next_ >= count_; }

    void expect(char c, std::string_view what) {
        if (peek() != c)
            invalid(source_, "expected " + std::string(what) + " at byte " + where());
        ++next_;
    }

    std::string where() const { return std::to_string(next_ < count_ ? positions_[next_] : 0); }

    /// The string whose opening quote is the current structural, as it sits in the bytes, and
    /// whether it has escapes (then the view is not its value). Moves past it.
    std::string_view string(bool& escaped) {
        if (peek() != '"')
            invalid(source_, "expected a string at byte " + where());
        const char* begin = bytes_ + positions_[next_] + 1;
        const char* end = begin;
        escaped = false;
        while (*end != '"') {
            if (*end == '\\') {
                escaped = true;
                ++end;
            }
            ++end;
        }
        ++next_;
        return std::string_view(begin, static_cast<std::size_t>(end - begin));
    }

    /// Skips one value; returns its bytes when it is an object or an array (else empty).
    std::string_view skip_value() {
        char c = peek();
        if (c != '{' && c != '[') {
            if (c == '\0' || c == '}' || c == ']' || c == ',' || c == ':')
                invalid(source_, "expected a value at byte " + where());
            ++next_;
            return {};
        }
        std::uint32_t start = positions_[next_];
        std::vector<char>& stack = stack_;
        stack.clear();
        do {
            c = peek();
            if (c == '{' || c == '[') {
                stack.push_back(c == '{' ? '}' : ']');
            } else if (c == '}' || c == ']') {
                if (stack.back() != c)
                    invalid(source_, "mismatched brackets at byte " + where());
                stack.pop_back();
            } else if (c == '\0') {
                invalid(source_, "unexpected end");
            }
            ++next_;
        } while (!stack.empty());
        std::uint32_t end = positions_[next_ - 1] + 1;
        return std::string_view(bytes_ + start, end - start);
    }

  private:
    const char* bytes_;
    const std::uint32_t* positions_;
    std::uint32_t count_;
    std::uint32_t next_ = 0;
    std::string_view source_;
    std::vector<char> stack_;
};

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
    st.data = st.bytes.data();
    index(out, source);
    return out;
}

void Repodata::index(Repodata& out, std::string_view source) {
    State& st = *out.state_;
    const char* base = st.data;

    // Stage 1 only: its index of structural positions lives only for this pass.
    std::unique_ptr<simdjson::internal::dom_parser_implementation> stage1;
    if (auto error = simdjson::get_active_implementation()->create_dom_parser_implementation(
            std::max<std::size_t>(st.length, 1), simdjson::DEFAULT_MAX_DEPTH, stage1))
        invalid(source, std::string("cannot index (") + simdjson::error_message(error) + ")");
    if (auto error = stage1->stage1(reinterpret_cast<const std::uint8_t*>(base), st.length,
                                    simdjson::stage1_mode::regular))
        invalid(source, std::string("not JSON (") + simdjson::error_message(error) + ")");
    StructuralWalker walk(base, stage1->structural_indexes.get(), stage1->n_structural_indexes,
                          source);

    std::string lowered;
    std::string_view last_name;
    std::vector<Entry>* last_entries = nullptr;
    auto index_section = [&](std::string_view section_name) {
        if (walk.peek() != '{')
            invalid(source, "`" + std::string(section_name) + "` is not an object");
        walk.advance();
        if (walk.peek() == '}') {
            walk.advance();
            return;
        }
        while (true) {
            bool escaped = false;
            std::string_view key = walk.string(escaped);
            walk.expect(':', "`:`");
            if (walk.peek() != '{')
                invalid(source, "the entry `" + printable(key) + "` is not an object");
            std::string_view raw = walk.skip_value();
            ++st.entries;
            bool is_conda = false;
            std::string_view name =
                escaped ? std::string_view() : name_of_key(key, lowered, is_conda);
            if (name.empty() || key.size() > UINT32_MAX || raw.size() > UINT32_MAX) {
                ++st.skipped;
            } else {
                Entry entry{static_cast<std::uint64_t>(key.data() - base),
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
            if (walk.peek() == ',') {
                walk.advance();
                continue;
            }
            walk.expect('}', "`,` or `}`");
            return;
        }
    };

    walk.expect('{', "a JSON object");
    if (walk.peek() == '}') {
        walk.advance();
    } else {
        while (true) {
            bool escaped = false;
            std::string_view key = walk.string(escaped);
            walk.expect(':', "`:`");
            if (!escaped && (key == "packages" || key == "packages.conda")) {
                index_section(key);
            } else if (!escaped && key == "info" && walk.peek() == '{') {
                walk.advance();
                while (walk.peek() == '"') {
                    std::string_view k = walk.string(escaped);
                    bool key_escaped = escaped;
                    walk.expect(':', "`:`");
                    if (walk.peek() == '"') {
                        std::string_view v = walk.string(escaped);
                        if (!key_escaped && !escaped && k == "subdir")
                            st.subdir = std::string(v);
                        else if (!key_escaped && !escaped && k == "base_url")
                            st.base_url = std::string(v);
                    } else {
                        walk.skip_value();
                    }
                    if (walk.peek() == ',')
                        walk.advance();
                }
                walk.expect('}', "`}`");
            } else {
                // `removed`, `repodata_version`, `signatures`: skipped unread.
                walk.skip_value();
            }
            if (walk.peek() == ',') {
                walk.advance();
                continue;
            }
            walk.expect('}', "`,` or `}`");
            break;
        }
    }
    if (!walk.at_end())
        invalid(source, "unexpected content after the JSON object");
    for (auto& [name, entries] : st.by_name)
        entries.shrink_to_fit();
}

Repodata Repodata::read_file(const std::filesystem::path& path) {
    std::string where = path.string();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot read repodata `" + printable(where) + "`: " + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0 ||
        static_cast<std::uint64_t>(info.st_size) > kMaxRepodataBytes) {
        ::close(fd);
        // Not a plain file of a sensible size: read it the ordinary way (and fail there).
        return parse(airlock::read_file(path, "repodata"), where);
    }
    std::size_t size = static_cast<std::size_t>(info.st_size);
    // Map the file read-only over a slightly larger anonymous mapping: the bytes after the file
    // are zero pages, which gives simdjson its padding without copying the file.
    std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::size_t total = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* region = mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void* file = region == MAP_FAILED
                     ? MAP_FAILED
                     : mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    ::close(fd);
    if (file == MAP_FAILED) {
        if (region != MAP_FAILED)
            munmap(region, total);
        return parse(airlock::read_file(path, "repodata"), where);
    }
    madvise(region, size, MADV_SEQUENTIAL);
    if (archive::is_zstd(
            std::string_view(static_cast<const char*>(region), std::min<std::size_t>(size, 4)))) {
        std::string compressed(static_cast<const char*>(region), size);
        munmap(region, total);
        return parse(std::move(compressed), where);
    }
    Repodata out;
    State& st = *out.state_;
    st.map = region;
    st.map_size = total;
    st.data = static_cast<const char*>(region);
    st.length = size;
    index(out, where);
    return out;
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

namespace {

/// One entry, parsed with simdjson's DOM parser (run-time dispatched kernels). `json` lies
/// inside the padded repodata bytes, so simdjson may read past its end without a copy.
PackageRecord parse_record(std::string_view json, std::string_view filename) {
    thread_local simdjson::dom::parser parser;
    PackageRecordBuilder builder(filename);
    simdjson::dom::element doc;
    if (auto error = parser.parse(json.data(), json.size(), false).get(doc))
        builder.fail(std::string("not JSON (") + simdjson::error_message(error) + ")");
    simdjson::dom::object object;
    if (doc.get_object().get(object))
        builder.fail("not a JSON object");
    JsonField field;
    std::string number_text;
    simdjson::dom::array array;
    for (auto [key, value] : object) {
        field.strings.clear();
        field.is_integer = false;
        field.text = {};
        switch (value.type()) {
            case simdjson::dom::element_type::NULL_VALUE:
                field.kind = JsonField::Kind::null;
                break;
            case simdjson::dom::element_type::BOOL:
                field.kind = JsonField::Kind::boolean;
                field.boolean = value.get_bool().value_unsafe();
                break;
            case simdjson::dom::element_type::INT64:
            case simdjson::dom::element_type::UINT64:
            case simdjson::dom::element_type::DOUBLE:
                field.kind = JsonField::Kind::number;
                field.is_integer = !value.get_uint64().get(field.integer);
                if (key == "version") {
                    number_text = simdjson::minify(value);
                    field.text = number_text;
                }
                break;
            case simdjson::dom::element_type::STRING:
                field.kind = JsonField::Kind::string;
                field.text = value.get_string().value_unsafe();
                break;
            case simdjson::dom::element_type::ARRAY:
                field.kind = JsonField::Kind::strings;
                array = value.get_array().value_unsafe();
                for (simdjson::dom::element item : array) {
                    std::string_view s;
                    if (item.get_string().get(s)) {
                        field.kind = JsonField::Kind::other;
                        field.strings.clear();
                        break;
                    }
                    field.strings.push_back(s);
                }
                break;
            default:
                field.kind = JsonField::Kind::other;
                break;
        }
        builder.set(key, field);
    }
    return builder.finish();
}

}  // namespace

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
    const char* base = state_->data;
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
            out.push_back(
                parse_record(std::string_view(base + e.value_offset, e.value_length), key));
        } catch (const Error& error) {
            if (rejected != nullptr)
                rejected->push_back(error.what());
        }
    }
    return out;
}

}  // namespace airlock::conda
