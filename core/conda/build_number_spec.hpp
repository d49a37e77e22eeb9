#pragma once
/// The `build_number` field of a MatchSpec (conda's BuildNumberMatch): `5`, `*`, or a
/// comparison `>=5`, `<3`, `!=2`, `==5`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::conda {

class BuildNumberSpec {
  public:
    enum class Op : std::uint8_t {
        any,
        equal,
        not_equal,
        less,
        less_equal,
        greater,
        greater_equal
    };

    /// Any build number.
    BuildNumberSpec() = default;
    /// Throws airlock::Error quoting the input with a caret.
    static BuildNumberSpec parse(std::string_view text);

    bool matches(std::uint64_t build_number) const;
    Op op() const { return op_; }
    std::uint64_t number() const { return number_; }
    /// As conda prints it: `5`, `>=5`, `*`.
    std::string to_string() const;

  private:
    Op op_ = Op::any;
    std::uint64_t number_ = 0;
};

}  // namespace airlock::conda
