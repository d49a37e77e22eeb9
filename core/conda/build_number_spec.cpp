#include "core/conda/build_number_spec.hpp"

#include "core/conda/parse_error.hpp"

#include <charconv>

namespace airlock::conda {

BuildNumberSpec BuildNumberSpec::parse(std::string_view text) {
    std::string_view s = text;
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    std::size_t offset = static_cast<std::size_t>(s.data() - text.data());
    BuildNumberSpec spec;
    if (s == "*")
        return spec;
    static constexpr struct {
        std::string_view spelling;
        Op op;
    } operators[] = {
        {"==", Op::equal}, {"!=", Op::not_equal}, {"<=", Op::less_equal}, {">=", Op::greater_equal},
        {"=", Op::equal},  {"<", Op::less},       {">", Op::greater},
    };
    spec.op_ = Op::equal;
    std::string_view number = s;
    for (const auto& candidate : operators) {
        if (s.starts_with(candidate.spelling)) {
            spec.op_ = candidate.op;
            number = s.substr(candidate.spelling.size());
            break;
        }
    }
    std::size_t at = offset + (s.size() - number.size());
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), spec.number_);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size())
        throw_parse_error("build number spec", text,
                          "expected a number, `*`, or a comparison such as `>=5`", at,
                          number.empty() ? 1 : number.size());
    return spec;
}

bool BuildNumberSpec::matches(std::uint64_t n) const {
    switch (op_) {
        case Op::any:
            return true;
        case Op::equal:
            return n == number_;
        case Op::not_equal:
            return n != number_;
        case Op::less:
            return n < number_;
        case Op::less_equal:
            return n <= number_;
        case Op::greater:
            return n > number_;
        case Op::greater_equal:
            return n >= number_;
    }
    return false;
}

std::string BuildNumberSpec::to_string() const {
    std::string n = std::to_string(number_);
    switch (op_) {
        case Op::any:
            return "*";
        case Op::equal:
            return n;
        case Op::not_equal:
            return "!=" + n;
        case Op::less:
            return "<" + n;
        case Op::less_equal:
            return "<=" + n;
        case Op::greater:
            return ">" + n;
        case Op::greater_equal:
            return ">=" + n;
    }
    return n;
}

}  // namespace airlock::conda
