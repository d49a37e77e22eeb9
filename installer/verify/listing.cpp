#include "installer/verify/listing.hpp"

#include "core/base/human_size.hpp"

#include <algorithm>
#include <cstdio>

namespace airlock::verify {

std::string render_listing(const bundle::BundleManifest& m, const std::string& signer) {
    std::uint64_t total = 0;
    for (const auto& f : m.files)
        total += f.size;
    std::string out;
    out += "bundle:    " + m.name + "\n";
    out += "version:   " + m.version + "\n";
    out += "sequence:  " + std::to_string(m.sequence) + "\n";
    if (!m.created.empty())
        out += "created:   " + m.created + "\n";
    if (!m.builder.empty())
        out += "builder:   " + m.builder + "\n";
    out += "signed by: " + signer + "\n";
    out += "files:     " + std::to_string(m.files.size()) + " (" + human_size(total) + ")\n";
    out += "targets:\n";
    for (const auto& t : m.targets) {
        out += "  " + t.name + ": CPython " + t.python + ", " + t.platform;
        if (t.cuda)
            out += ", CUDA " + *t.cuda;
        auto files = m.files_for(t.name);
        std::vector<const bundle::BundleFile*> wheels;
        std::uint64_t bytes = 0;
        for (const auto* f : files) {
            if (f->package.empty())
                continue;
            wheels.push_back(f);
            bytes += f->size;
        }
        std::sort(wheels.begin(), wheels.end(),
                  [](auto* a, auto* b) { return a->package < b->package; });
        out += " — " + std::to_string(wheels.size()) + " packages, " + human_size(bytes) + "\n";
        std::size_t width = 0;
        for (const auto* w : wheels)
            width = std::max(width, w->package.size() + w->version.size());
        for (const auto* w : wheels) {
            std::string line = "    " + w->package + " " + w->version;
            line.append(width + 5 - line.size() + 4, ' ');
            out += line + "  " + human_size(w->size) + "\n";
        }
    }
    return out;
}

}  // namespace airlock::verify
