#include "builder/pack/sbom.hpp"

#include "builder/net/url.hpp"
#include "core/base/build_info.hpp"
#include "core/digest/sha256.hpp"
#include "core/pep503/name.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace airlock::pack {
namespace {

std::string percent_encode(std::string_view s) {
    std::string out;
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", u);
            out += buf;
        }
    }
    return out;
}

/// A UUID (version 5 layout) made from the first bytes of a sha256: the same content, the same id.
std::string content_uuid(const std::string& sha256_hex) {
    std::string h = sha256_hex.substr(0, 32);
    h[12] = '5';
    const char variant[] = "89ab";
    h[16] = variant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

}  // namespace

std::string pypi_purl(std::string_view name, std::string_view version) {
    return "pkg:pypi/" + percent_encode(pep503::normalize(name)) + "@" + percent_encode(version);
}

std::string conda_purl(const conda::PackageRecord& r) {
    std::string channel =
        r.channel.find("://") != std::string::npos ? net::redact(r.channel) : r.channel;
    std::string out = "pkg:conda/" + percent_encode(r.name.normalized()) + "@" +
                      percent_encode(r.version.to_string()) + "?build=" + percent_encode(r.build);
    if (!channel.empty())
        out += "&channel=" + percent_encode(channel);
    if (!r.subdir.empty())
        out += "&subdir=" + percent_encode(r.subdir);
    out += "&type=";
    out += r.format() == conda::PackageFormat::conda ? "conda" : "tar.bz2";
    return out;
}

std::string make_sbom(const bundle::BundleManifest& manifest,
                      const std::map<std::string, const conda::PackageRecord*>& conda) {
    using json = nlohmann::ordered_json;
    json components = json::array();
    for (const auto& f : manifest.files) {
        auto record = conda.find(f.path.str());
        const bool is_conda = record != conda.end();
        if (!f.path.str().starts_with("wheels/") && !is_conda)
            continue;
        json c;
        c["type"] = "library";
        c["bom-ref"] = f.path.str();
        c["name"] = f.package.empty() ? f.path.str().substr(7) : f.package.str();
        if (!f.version.empty())
            c["version"] = f.version.str();
        if (is_conda)
            c["purl"] = conda_purl(*record->second);
        else if (!f.package.empty() && !f.version.empty())
            c["purl"] = pypi_purl(f.package, f.version);
        c["hashes"] = json::array({{{"alg", "SHA-256"}, {"content", f.sha256}}});
        if (!f.urls.empty()) {
            json refs = json::array();
            for (const auto& u : f.urls)
                refs.push_back({{"type", "distribution"}, {"url", u}});
            c["externalReferences"] = refs;
        }
        json props = json::array({{{"name", "airlock:file"}, {"value", f.path.str()}}});
        for (const auto& t : f.targets)
            props.push_back({{"name", "airlock:target"}, {"value", t.str()}});
        c["properties"] = props;
        components.push_back(c);
    }
    // The serial number names this exact content: the manifest's files and identity.
    digest::Sha256 h;
    h.update(manifest.name.str() + "\n" + manifest.version.str() + "\n" +
             std::to_string(manifest.sequence) + "\n");
    for (const auto& f : manifest.files)
        h.update(f.path.str() + " " + f.sha256 + "\n");

    json bom;
    bom["bomFormat"] = "CycloneDX";
    bom["specVersion"] = "1.5";
    bom["serialNumber"] = "urn:uuid:" + content_uuid(h.hex_digest());
    bom["version"] = 1;
    bom["metadata"] = {
        {"timestamp", manifest.created},
        {"tools",
         {{"components", json::array({{{"type", "application"},
                                       {"name", "airlock-build"},
                                       {"version", build_info::version}}})}}},
        {"component",
         {{"type", "application"},
          {"bom-ref", "bundle:" + manifest.name.str()},
          {"name", manifest.name.str()},
          {"version", manifest.version.str()}}},
    };
    bom["components"] = components;
    return bom.dump(2) + "\n";
}

}  // namespace airlock::pack
