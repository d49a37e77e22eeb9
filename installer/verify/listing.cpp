#include "installer/verify/listing.hpp"

#include "core/base/human_size.hpp"
#include "core/base/terminal_text.hpp"

#include <algorithm>
#include <cstdio>

namespace airlock::verify {

std::string render_listing(const bundle::BundleManifest& m, const std::string& signer) {
    std::uint64_t total = 0;
    for (const auto& f : m.files)
        total += f.size;
    // The manifest's grammar admits no control characters; escaping anyway keeps this output
    // safe whatever the grammar becomes.
    auto show = [](std::string_view text) { return terminal_text(text); };
    std::string out;
    out += "bundle:    " + show(m.name) + "\n";
    out += "version:   " + show(m.version) + "\n";
    out += "sequence:  " + std::to_string(m.sequence) + "\n";
    if (!m.created.empty())
        out += "created:   " + show(m.created) + "\n";
    if (!m.builder.empty())
        out += "builder:   " + show(m.builder) + "\n";
    out += "signed by: " + show(signer) + "\n";
    out += "files:     " + std::to_string(m.files.size()) + " (" + human_size(total) + ")\n";
    out += "targets:\n";
    for (const auto& t : m.targets) {
        out += "  " + show(t.name) + ": CPython " + show(t.python) + ", " + show(t.platform);
        if (t.cuda)
            out += ", CUDA " + show(*t.cuda);
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
                  [](auto* a, auto* b) { return a->package.str() < b->package.str(); });
        out += " — " + std::to_string(wheels.size()) + " packages, " + human_size(bytes) + "\n";
        std::size_t width = 0;
        for (const auto* w : wheels)
            width = std::max(width, show(w->package).size() + show(w->version).size());
        for (const auto* w : wheels) {
            std::string line = "    " + show(w->package) + " " + show(w->version);
            line.append(width + 5 - line.size() + 4, ' ');
            out += line + "  " + human_size(w->size) + "\n";
        }
    }
    return out;
}

}  // namespace airlock::verify
