#pragma once
/// Builds a PackageRecord from the fields of one JSON object, whatever parsed the JSON:
/// PackageRecord::from_json feeds it from nlohmann::json (core links no simdjson, so the static
/// installer can read `info/index.json`); the builder's repodata index feeds it from simdjson.
/// Validation (names, versions, builds, digests, the file name) happens here, once.

#include "core/conda/package_record.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

/// One JSON value as a reader saw it. Views stay valid for the set() call only.
struct JsonField {
    enum class Kind : std::uint8_t { null, boolean, number, string, strings, other };
    Kind kind = Kind::null;
    bool boolean = false;
    /// For numbers: the value when it is a non-negative integer (else `is_integer` is false).
    std::uint64_t integer = 0;
    bool is_integer = false;
    /// For strings: the text; for numbers: the number as written.
    std::string_view text;
    /// For arrays: the items when every item is a string (else kind is `other`).
    std::vector<std::string_view> strings;
};

class PackageRecordBuilder {
  public:
    /// `filename`: the entry's key in repodata (checked against the record), or empty.
    explicit PackageRecordBuilder(std::string_view filename = {});

    /// One key of the object; unknown keys are ignored. Throws airlock::Error when a known key
    /// has the wrong type.
    void set(std::string_view key, const JsonField& value);

    /// Validates and returns the record; throws airlock::Error naming the record.
    PackageRecord finish();

    /// Throws "invalid package record `<file name or name>`: <message>".
    [[noreturn]] void fail(std::string_view message) const;

  private:
    std::string filename_;
    PackageRecord record_;
    std::string name_;
    std::string version_;
    bool has_build_ = false;
};

}  // namespace airlock::conda
