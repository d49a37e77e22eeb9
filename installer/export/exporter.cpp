#include "installer/export/exporter.hpp"

#include "core/base/human_size.hpp"

#include "core/base/created_parents.hpp"
#include "core/base/error.hpp"
#include "core/pep503/name.hpp"
#include "core/wheel/filename.hpp"
#include "installer/export/conda_channel.hpp"
#include "installer/export/simple_index.hpp"
#include "installer/export/wheel_metadata.hpp"
#include "installer/install/temp_tree.hpp"
#include "installer/verify/listing.hpp"
#include "installer/verify/trusted_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>

namespace airlock::exporter {
namespace fs = std::filesystem;
namespace {

void write_file(const fs::path& path, const std::string& text) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f)
        throw Error("cannot write " + quote(path.string()));
}

}  // namespace

void write_index(const fs::path& root, const bundle::BundleManifest& m, const std::string& signer) {
    std::map<std::string, std::vector<IndexFile>> projects;
    for (const auto& f : m.files) {
        if (!f.path.str().starts_with("wheels/"))
            continue;
        // Only checked values become paths: the manifest's BundlePath and PackageName, and a
        // name from a wheel's own METADATA only once it passed the same PackageName grammar.
        const std::string filename = f.path.str().substr(std::string("wheels/").size());
        if (filename.find('/') != std::string::npos)
            continue;
        std::string project = f.package;
        IndexFile entry{filename, f.sha256, ""};
        if (filename.ends_with(".whl")) {
            auto parsed = wheel::WheelFilename::try_parse(filename);
            if (project.empty() && parsed)
                project = parsed->normalized_name;
            auto metadata = within("reading the metadata of " + quote(filename),
                                   [&] { return read_wheel_metadata(root / "files" / filename); });
            entry.requires_python = metadata.requires_python;
            if (project.empty()) {
                project = within("reading the metadata of " + quote(filename),
                                 [&] { return bundle::PackageName(metadata.name).str(); });
            }
        }
        if (project.empty())
            continue;
        projects[bundle::PackageName(pep503::normalize(project)).str()].push_back(std::move(entry));
    }
    std::vector<std::string> names;
    for (auto& [name, files] : projects) {
        std::sort(files.begin(), files.end(),
                  [](const IndexFile& a, const IndexFile& b) { return a.filename < b.filename; });
        names.push_back(name);
        write_file(root / "simple" / name / "index.html", render_project_page(name, files));
    }
    write_file(root / "simple" / "index.html", render_root_index(names));

    std::string readme =
        "This directory is a static Python package index (PEP 503) exported by airlock-install\n"
        "from the bundle `" +
        m.name.str() + "` " + m.version.str() + " (sequence " + std::to_string(m.sequence) + ", " +
        signer +
        ").\nEvery file was verified against the bundle's signed manifest before it was written "
        "here.\n\n"
        "Serve this directory as-is with any web server, for example with nginx:\n\n"
        "    location /airlock/" +
        m.name.str() + "/ { alias " +
        "/path/to/this/directory/; }\n\n"
        "and install on each machine with pip's ordinary options:\n\n"
        "    pip install --index-url http://HOST/airlock/" +
        m.name.str() + "/simple PACKAGE...\n\n";
    for (const auto& t : m.targets) {
        if (!m.find("airlock/requirements." + t.name.str() + ".txt"))
            continue;
        readme += "To install exactly what target `" + t.name.str() + "` (CPython " + t.python +
                  ", " + t.platform + ") locked, with hash checking:\n\n" +
                  "    pip install --index-url http://HOST/airlock/" + m.name.str() +
                  "/simple --require-hashes -r airlock/requirements." + t.name.str() + ".txt\n\n";
    }
    readme +=
        "A local copy works too: pip install --index-url file:///path/to/this/directory/simple\n";
    bool conda = false;
    for (const auto& f : m.files)
        conda = conda || f.path.str().starts_with("conda/");
    if (conda) {
        const std::string url = "http://HOST/airlock/" + m.name.str() + "/conda";
        readme +=
            "\nThe conda packages are a conda channel under conda/ (conda/<subdir>/ with "
            "repodata.json\nand repodata.json.zst). For a fleet, put these lines in each "
            "machine's .condarc\n(or /etc/conda/.condarc for all users):\n\n"
            "    channels:\n"
            "      - " +
            url +
            "\n"
            "    default_channels: []\n"
            "    channel_priority: strict\n\n";
        for (const auto& t : m.targets) {
            if (!t.carries(bundle::Ecosystem::conda) || t.conda_specs.empty())
                continue;
            std::string specs;
            for (const auto& s : t.conda_specs)
                specs += " '" + s.str() + "'";
            readme += "To create the environment of target `" + t.name.str() + "` (" +
                      (t.conda_subdir ? t.conda_subdir->str() : std::string()) + "):\n\n" +
                      "    conda create --prefix ENV --override-channels -c " + url + specs +
                      "\n\n";
        }
        readme += "pixi and mamba take the same URL as a channel.\n";
    }
    write_file(root / "README.txt", readme);
}

void export_bundle(const ExportOptions& o, std::ostream& out) {
    std::error_code ec;
    const fs::path to = fs::absolute(o.to).lexically_normal();
    // An earlier export of a bundle may be replaced (by the same bundle, not older); any other
    // non-empty directory is left alone.
    bool earlier_export = false;
    if (fs::exists(to, ec)) {
        bool empty =
            fs::is_directory(to, ec) && fs::directory_iterator(to, ec) == fs::directory_iterator();
        earlier_export =
            fs::is_directory(to, ec) && fs::is_regular_file(to / export_state_path, ec);
        if (!empty && !earlier_export)
            throw Error("the export destination " + quote(to.string()) +
                        " already exists and is not empty")
                .with_hint(
                    "choose a new directory (it is created), or remove the old export first");
    }
    const fs::path parent = to.has_filename() ? to.parent_path() : to.parent_path().parent_path();
    if (fs::exists(parent, ec) && !fs::is_directory(parent, ec)) {
        throw Error(quote(parent.string()) + " (where the export goes) is not a directory")
            .with_hint("choose another --to");
    }
    bundle::TrustedKeys trusted;
    if (!(o.allow_unsigned == bundle::AllowUnsigned::yes && o.keys.empty() && !o.trust_dir))
        trusted = verify::load_trusted_keys(o.keys, o.trust_dir);
    auto parts = bundle::bundle_parts(o.bundle);
    auto head = within("reading the bundle " + quote(o.bundle.string()),
                       [&] { return bundle::read_manifest(parts, trusted, o.allow_unsigned); });
    if (earlier_export) {
        install::RollbackState before(to / export_state_path, "exported to " + quote(to.string()));
        for (const auto& [name, record] : before.load()) {
            if (name != head.manifest.name) {
                throw Error("the export destination " + quote(to.string()) + " holds the bundle " +
                            quote(name) + ", not " + quote(head.manifest.name))
                    .with_hint("export each bundle to its own directory");
            }
        }
        before.check(head.manifest.name, head.manifest.sequence, head.manifest.version,
                     o.downgrade);
    }

    CreatedParents parents(parent, "the export");
    install::TempTree tmp(parent, "." + to.filename().string() + ".airlock-export-");
    auto report = within("verifying and unpacking the bundle " + quote(o.bundle.string()), [&] {
        auto r = bundle::read_bundle(parts, trusted, tmp.path(), o.allow_unsigned);
        r.throw_if_problems();
        return r;
    });
    if (report.manifest_text != head.manifest_text) {
        throw Error("the bundle " + quote(o.bundle.string()) +
                    " changed while it was being read (its manifest differs between two reads)")
            .with_hint("make sure nothing writes to the bundle file during the export");
    }
    const auto& m = report.manifest;
    const std::string signer =
        report.key_id ? "signed by key " + bundle::to_string(*report.key_id) : "UNSIGNED";
    if (fs::exists(tmp.path() / "wheels", ec))
        fs::rename(tmp.path() / "wheels", tmp.path() / "files");
    else
        fs::create_directories(tmp.path() / "files");
    within("writing the index pages", [&] { write_index(tmp.path(), m, signer); });
    const std::size_t conda_packages =
        within("writing the conda channel", [&] { return write_conda_channel(tmp.path(), m); });
    {
        install::RollbackState state(tmp.path() / export_state_path);
        state.record(m.name, m.sequence, m.version, o.downgrade);
        fs::remove(tmp.path() / (std::string(export_state_path) + ".lock"), ec);
    }
    // mkdtemp made it 0700; a web server's worker must be able to read the tree.
    ::chmod(tmp.path().c_str(), 0755);
    if (fs::exists(to, ec)) {
        // Swap the finished tree with the empty directory or the earlier export in one step;
        // the temporary tree then holds the old one and is removed with it.
        if (::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, to.c_str(), RENAME_EXCHANGE) != 0) {
            throw Error("cannot swap the finished export into place at " + quote(to.string()) +
                        ": " + std::strerror(errno));
        }
        tmp.remove();
    } else {
        fs::rename(tmp.path(), to, ec);
        if (ec) {
            throw Error("cannot move the finished export into place at " + quote(to.string()) +
                        ": " + ec.message());
        }
        tmp.release();
    }
    parents.commit();
    std::size_t wheels = 0;
    for (const auto& f : m.files)
        wheels += f.path.str().starts_with("wheels/");
    out << "exported bundle `" << m.name << "` " << m.version << " (sequence " << m.sequence << ", "
        << signer << "): " << wheels << " files, " << human_size(report.bytes_checked)
        << " verified, into " << to.string() << "\n"
        << "serve it with any web server and install with:\n"
        << "  pip install --index-url http://HOST/PATH/simple PACKAGE...\n";
    if (conda_packages > 0)
        out << "and " << conda_packages << " conda packages as the channel "
            << (to / "conda").string() << ":\n"
            << "  conda install --override-channels -c http://HOST/PATH/conda PACKAGE...\n";
    out << "(see " << (to / "README.txt").string() << ")\n";
}

}  // namespace airlock::exporter
