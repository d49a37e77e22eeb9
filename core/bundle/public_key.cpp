#include "core/bundle/public_key.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/bundle/base64.hpp"
#include "core/bundle/minisign_text.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace airlock::bundle {

std::string to_string(const KeyId& id) {
    char out[17];
    std::snprintf(out, sizeof out, "%016" PRIX64, detail::load_le64(id.data()));
    return out;
}

PublicKey PublicKey::parse(std::string_view text, std::string_view source) {
    auto lines = detail::lines_of(text);
    PublicKey pk;
    std::size_t key_line = 1;
    if (lines.size() == 1) {
        key_line = 1;  // the bare base64 line
    } else if (lines.size() == 2) {
        pk.untrusted_comment = detail::comment_after(lines[0], "untrusted comment: ", source, 1);
        key_line = 2;
    } else {
        throw detail::format_error(source, lines.size() > 2 ? 3 : 1,
                                   "a minisign public key file has two lines: "
                                   "`untrusted comment: …` and the base64 key");
    }
    if (detail::decoded_size(lines[key_line - 1]) == detail::secret_key_size) {
        auto pub = detail::sibling_path(source, ".pub");
        throw Error(quote(source) + " is a minisign secret key, not a public key")
            .with_hint("pass the public key " + (pub.empty() ? "(PREFIX.pub)" : quote(pub)) +
                       " that `airlock-build keygen` wrote beside it; the secret key signs "
                       "bundles and stays on the build machine");
    }
    std::string bytes = detail::decode_line(lines[key_line - 1], detail::public_key_size,
                                            "public key", source, key_line);
    if (bytes.compare(0, 2, "Ed") != 0) {
        throw detail::format_error(source, key_line,
                                   "unsupported key algorithm (expected minisign's `Ed`)");
    }
    std::memcpy(pk.id.data(), bytes.data() + 2, 8);
    std::memcpy(pk.key.data(), bytes.data() + 10, 32);
    return pk;
}

PublicKey PublicKey::load(const std::filesystem::path& path) {
    return parse(read_file(path, "the public key"), path.string());
}

std::string PublicKey::to_text() const {
    std::string raw = "Ed";
    raw.append(reinterpret_cast<const char*>(id.data()), id.size());
    raw.append(reinterpret_cast<const char*>(key.data()), key.size());
    std::string comment =
        untrusted_comment.empty() ? "minisign public key " + to_string(id) : untrusted_comment;
    return "untrusted comment: " + comment + "\n" + base64_encode(raw) + "\n";
}

}  // namespace airlock::bundle
