#include "core/bundle/signature.hpp"

#include "core/base/error.hpp"
#include "core/bundle/base64.hpp"
#include "core/bundle/minisign_text.hpp"

#include <cstring>

namespace airlock::bundle {

Signature Signature::parse(std::string_view text, std::string_view source) {
    auto lines = detail::lines_of(text);
    if (lines.size() != 4) {
        throw detail::format_error(source, std::min<std::size_t>(lines.size() + 1, 5),
                                   "a minisign signature has four lines (untrusted comment, "
                                   "signature, trusted comment, global signature); found " +
                                       std::to_string(lines.size()));
    }
    Signature s;
    s.untrusted_comment = detail::comment_after(lines[0], "untrusted comment: ", source, 1);
    std::string sig = detail::decode_line(lines[1], 74, "signature", source, 2);
    if (sig.compare(0, 2, "ED") == 0) {
        s.prehashed = true;
    } else if (sig.compare(0, 2, "Ed") == 0) {
        s.prehashed = false;
    } else {
        throw detail::format_error(source, 2, "unsupported signature algorithm (expected `ED`)");
    }
    std::memcpy(s.key_id.data(), sig.data() + 2, 8);
    std::memcpy(s.signature.data(), sig.data() + 10, 64);
    s.trusted_comment = detail::comment_after(lines[2], "trusted comment: ", source, 3);
    std::string global = detail::decode_line(lines[3], 64, "global signature", source, 4);
    std::memcpy(s.global_signature.data(), global.data(), 64);
    return s;
}

std::string Signature::to_text() const {
    std::string sig = prehashed ? "ED" : "Ed";
    sig.append(reinterpret_cast<const char*>(key_id.data()), 8);
    sig.append(reinterpret_cast<const char*>(signature.data()), 64);
    std::string global(reinterpret_cast<const char*>(global_signature.data()), 64);
    return "untrusted comment: " + untrusted_comment + "\n" + base64_encode(sig) + "\n" +
           "trusted comment: " + trusted_comment + "\n" + base64_encode(global) + "\n";
}

}  // namespace airlock::bundle
