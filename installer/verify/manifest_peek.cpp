#include "installer/verify/manifest_peek.hpp"

#include "core/archive/file_parts.hpp"
#include "core/archive/tar_reader.hpp"
#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/bundle/signature.hpp"

#include <memory>

namespace airlock::verify {
namespace {

std::string read_entry(archive::TarReader& tar, const archive::TarEntry& e, std::uint64_t limit) {
    if (e.type != archive::EntryType::file || e.size > limit)
        throw Error(quote(e.path) + " is not a regular file of at most " + std::to_string(limit) +
                    " bytes");
    std::string out;
    for (auto block = tar.read_block(); !block.empty(); block = tar.read_block()) {
        out.append(block.data(), block.size());
        if (out.size() > e.size)
            break;
    }
    if (out.size() != e.size)
        throw Error(quote(e.path) + " is truncated");
    return out;
}

}  // namespace

PeekedManifest peek_manifest(const std::vector<std::filesystem::path>& parts) {
    archive::PartsSource files(parts);
    std::string head(4, '\0');
    std::size_t got = 0;
    while (got < head.size()) {
        auto n = files.read(head.data() + got, head.size() - got);
        if (n == 0)
            break;
        got += n;
    }
    head.resize(got);
    std::unique_ptr<archive::ByteSource> source;
    if (archive::is_zstd(head))
        source = std::make_unique<archive::ZstdSource>(files, head);
    else
        source = std::make_unique<archive::PrefixedSource>(files, head);
    archive::TarReader tar(*source);
    auto first = tar.next();
    if (!first || first->path != bundle::manifest_path) {
        throw Error("not an airlock bundle: the first entry is " +
                    (first ? quote(first->path) : std::string("missing")) + ", not " +
                    quote(bundle::manifest_path));
    }
    PeekedManifest out;
    auto text = read_entry(tar, *first, 64ULL << 20);
    out.manifest = bundle::BundleManifest::parse(text, bundle::manifest_path);
    auto second = tar.next();
    if (second && second->path == bundle::signature_path) {
        auto sig =
            bundle::Signature::parse(read_entry(tar, *second, 16 << 10), bundle::signature_path);
        out.claimed_key = sig.key_id;
    }
    return out;
}

}  // namespace airlock::verify
