#include "builder/net/response_check.hpp"

namespace airlock::net {
namespace {

RangeCheck contradiction(std::string problem) {
    return {RangeVerdict::contradiction, std::move(problem)};
}

std::string n(std::uint64_t v) {
    return std::to_string(v);
}

}  // namespace

std::string validator_of(const ResponseHead& head) {
    return !head.etag.empty() ? head.etag : head.last_modified;
}

RangeCheck check_response(const AskedRange& asked, const ResponseHead& head,
                          const KnownFile& known) {
    const auto validator = validator_of(head);
    if (head.status == 206) {
        if (!asked.ranged)
            return contradiction("the server answered 206 (partial) to a request without Range");
        if (!head.range_first || !head.range_last || !head.range_total)
            return contradiction("the server answered 206 without a valid Content-Range");
        const auto first = *head.range_first, last = *head.range_last, total = *head.range_total;
        const auto range = "Content-Range bytes " + n(first) + "-" + n(last) + "/" + n(total);
        if (first != asked.first)
            return contradiction(range + " answers a request for bytes " + n(asked.first) + "-");
        if (last < first || last >= total)
            return contradiction(range + " is not inside the file it describes");
        if (asked.last && last > *asked.last)
            return contradiction(range + " goes past the requested end " + n(*asked.last));
        if (head.content_length && *head.content_length != last - first + 1) {
            return contradiction("Content-Length " + n(*head.content_length) + " disagrees with " +
                                 range);
        }
        if (known.size && total != *known.size) {
            return contradiction(range + " disagrees with the file's size, " + n(*known.size) +
                                 " bytes");
        }
        if (!known.validator.empty() && !validator.empty() && validator != known.validator) {
            return contradiction("the validator changed from " + known.validator + " to " +
                                 validator + " between two ranges of one file");
        }
        return {};
    }
    if (asked.ranged && asked.first > 0) {
        if (!asked.if_range.empty() && !validator.empty() && validator != asked.if_range) {
            return {RangeVerdict::changed, "the file changed on the server (validator " +
                                               asked.if_range + " became " + validator + ")"};
        }
        return contradiction("the server ignored Range: bytes=" + n(asked.first) +
                             "- and sent the whole file (HTTP " + n(head.status) + ")");
    }
    if (known.size && head.content_length && *head.content_length != *known.size) {
        return contradiction("Content-Length " + n(*head.content_length) +
                             " disagrees with the file's size, " + n(*known.size) + " bytes");
    }
    return {RangeVerdict::whole, {}};
}

}  // namespace airlock::net
