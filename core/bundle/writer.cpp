#include "core/bundle/writer.hpp"

#include "core/archive/file_parts.hpp"
#include "core/archive/tar_writer.hpp"
#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "core/base/program.hpp"
#include "core/bundle/minisign.hpp"
#include "core/bundle/self_extracting.hpp"
#include "core/digest/sha256.hpp"

#include <algorithm>
#include <map>

namespace airlock::bundle {
namespace {

/// Passes bytes on to `next`, telling `progress` how many went through.
class CountingSink : public archive::ByteSink {
  public:
    CountingSink(archive::ByteSink& next, const WriteOptions& options)
        : next_(next), options_(options) {}
    void write(const void* data, std::size_t size) override {
        next_.write(data, size);
        bytes_ += size;
        if (options_.progress)
            options_.progress(bytes_, files_);
    }
    void finish() override { next_.finish(); }
    void file_done() {
        ++files_;
        if (options_.progress)
            options_.progress(bytes_, files_);
    }

  private:
    archive::ByteSink& next_;
    const WriteOptions& options_;
    std::uint64_t bytes_ = 0;
    std::size_t files_ = 0;
};

}  // namespace
namespace fs = std::filesystem;
namespace {

int group_of(const std::string& path) {
    if (path.starts_with("airlock/"))
        return 0;
    if (path == "sbom.cdx.json")
        return 1;
    if (path.starts_with("wheels/"))
        return 2;
    if (path.starts_with("conda/"))
        return 3;
    return 4;
}

bool has_control_chars(const std::string& s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

bool bundle_order_less(const std::string& a, const std::string& b) {
    int ga = group_of(a), gb = group_of(b);
    if (ga != gb)
        return ga < gb;
    return a < b;
}

WrittenBundle write_bundle_archive(BundleManifest manifest, const std::vector<EntrySource>& sources,
                                   const SecretKey* key, const WriteOptions& options) {
    manifest.signing = key != nullptr ? Signing::signed_ : Signing::unsigned_;
    if (has_control_chars(manifest.name) || has_control_chars(manifest.version) ||
        manifest.name.empty() || manifest.version.empty()) {
        throw Error("the bundle name and version must be non-empty and printable (got " +
                    quote(manifest.name) + " " + quote(manifest.version) + ")");
    }
    std::map<std::string, const EntrySource*> by_path;
    for (const auto& s : sources) {
        if (!by_path.emplace(s.path, &s).second) {
            throw Error("two sources for the bundle entry " + quote(s.path), Exit::internal);
        }
    }
    std::vector<const BundleFile*> order;
    for (const auto& f : manifest.files) {
        if (!is_safe_relative_path(f.path) || f.path == manifest_path || f.path == signature_path) {
            throw Error("cannot put " + quote(f.path) + " in a bundle: unsafe or reserved name");
        }
        if (!by_path.count(f.path)) {
            throw Error("nothing provides " + quote(f.path) + ", listed in the manifest",
                        Exit::internal);
        }
        order.push_back(&f);
    }
    for (const auto& [path, source] : by_path) {
        if (manifest.find(path) == nullptr) {
            throw Error(quote(path) + " is not listed in the manifest", Exit::internal);
        }
    }
    std::sort(order.begin(), order.end(), [](const BundleFile* a, const BundleFile* b) {
        return bundle_order_less(a->path, b->path);
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
        if (order[i]->path == order[i - 1]->path) {
            throw Error(quote(order[i]->path) + " is listed twice in the manifest", Exit::internal);
        }
    }

    WrittenBundle out;
    out.manifest_text = manifest.to_toml();
    if (key != nullptr) {
        out.signature_text =
            sign(out.manifest_text, *key, manifest.trusted_comment(),
                 "airlock bundle " + manifest.name.str() + " " + manifest.version.str() +
                     ", signed by key " + to_string(key->id))
                .to_text();
    }

    if (options.installer && options.split_size) {
        throw Error("a self-extracting bundle cannot be split into parts", Exit::usage);
    }
    archive::PartsSink files(options.output, options.split_size);
    archive::ByteSink* sink = &files;
    std::unique_ptr<SelfExtractingSink> sfx;
    if (options.installer) {
        sfx = within("adding the installer " + quote(options.installer->string()), [&] {
            return std::make_unique<SelfExtractingSink>(files, *options.installer);
        });
        sink = sfx.get();
    }
    std::unique_ptr<archive::ZstdSink> zstd;
    if (options.compression == Compression::zstd) {
        zstd = std::make_unique<archive::ZstdSink>(*sink, options.zstd_level, options.zstd_threads);
        sink = zstd.get();
    }
    CountingSink counted(*sink, options);
    archive::TarWriter tar(counted, options.mtime);
    tar.add_bytes(manifest_path, out.manifest_text);
    if (out.signature_text)
        tar.add_bytes(signature_path, *out.signature_text);
    for (const BundleFile* f : order) {
        throw_if_interrupted();
        const EntrySource& source = *by_path.at(f->path);
        within("adding " + quote(f->path) + " to the bundle", [&] {
            if (source.bytes) {
                std::string computed = digest::sha256_hex(*source.bytes);
                if (source.bytes->size() != f->size || computed != f->sha256) {
                    throw Error("its content does not match the manifest", Exit::internal);
                }
                tar.add_bytes(f->path, *source.bytes);
            } else {
                tar.add_file(f->path, source.file, f->size, f->sha256);
            }
        });
        counted.file_done();
    }
    tar.finish();
    out.bytes = files.bytes_written();
    out.files = files.commit();
    if (options.installer) {
        std::error_code ec;
        fs::permissions(out.files.front(),
                        fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                        fs::perm_options::add, ec);
        if (ec)
            throw Error("cannot make " + quote(out.files.front().string()) +
                        " executable: " + ec.message());
    }
    return out;
}

}  // namespace airlock::bundle
