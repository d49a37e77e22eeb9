#include "installer/verify/manifest_peek.hpp"

#include "core/bundle/reader.hpp"
#include "core/bundle/signature.hpp"

namespace airlock::verify {

PeekedManifest peek_manifest(const std::vector<std::filesystem::path>& parts) {
    // The same size caps and the same grammar as a verified read; only the signature is not
    // checked (the listing says so).
    auto head = bundle::read_head(parts);
    PeekedManifest out;
    out.manifest = bundle::BundleManifest::parse(head.manifest_text, bundle::manifest_path);
    if (head.signature_text) {
        out.claimed_key =
            bundle::Signature::parse(*head.signature_text, bundle::signature_path).key_id;
    }
    return out;
}

}  // namespace airlock::verify
