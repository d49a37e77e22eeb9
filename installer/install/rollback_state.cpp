#include "installer/install/rollback_state.hpp"

#include "core/base/error.hpp"
#include "core/bundle/bundle_manifest.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

std::string now_rfc3339() {
    return bundle::rfc3339_utc(std::time(nullptr));
}

class FileLock {
  public:
    explicit FileLock(const fs::path& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw Error("cannot open the lock file " + quote(path.string()) + ": " +
                        std::strerror(errno));
        while (flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                ::close(fd_);
                throw Error("cannot lock " + quote(path.string()) + ": " + std::strerror(errno));
            }
        }
    }
    ~FileLock() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int fd_ = -1;
};

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace

fs::path default_state_file() {
    if (const char* dir = std::getenv("AIRLOCK_STATE_DIR"); dir && *dir)
        return fs::path(dir) / "state.toml";
    if (geteuid() == 0)
        return "/var/lib/airlock/state.toml";
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "airlock" / "state.toml";
    const char* home = std::getenv("HOME");
    return fs::path(home ? home : ".") / ".local" / "state" / "airlock" / "state.toml";
}

RollbackState::RollbackState(fs::path file, std::string recorded)
    : file_(std::move(file)), recorded_(std::move(recorded)) {}

std::map<std::string, InstalledBundle> RollbackState::load() const {
    std::map<std::string, InstalledBundle> out;
    std::error_code ec;
    if (!fs::exists(file_, ec))
        return out;
    toml::table table;
    try {
        table = toml::parse_file(file_.string());
    } catch (const toml::parse_error& e) {
        throw Error("the anti-rollback state file " + quote(file_.string()) +
                    " is damaged: " + std::string(e.description()) + " (line " +
                    std::to_string(e.source().begin.line) + ")")
            .with_hint(
                "restore it from a backup; deleting it forgets which bundle sequences "
                "were installed and so disables rollback protection once");
    }
    if (auto* bundles = table["bundle"].as_table()) {
        for (auto& [name, node] : *bundles) {
            auto* t = node.as_table();
            if (!t)
                continue;
            InstalledBundle b;
            b.sequence = static_cast<std::uint64_t>((*t)["sequence"].value_or<std::int64_t>(0));
            b.version = (*t)["version"].value_or<std::string>("");
            b.installed_at = (*t)["installed_at"].value_or<std::string>("");
            out.emplace(std::string(name.str()), b);
        }
    }
    return out;
}

std::optional<InstalledBundle> RollbackState::installed(const std::string& bundle) const {
    auto all = load();
    auto it = all.find(bundle);
    if (it == all.end())
        return std::nullopt;
    return it->second;
}

void RollbackState::check(const std::string& bundle, std::uint64_t sequence,
                          const std::string& version, Downgrade downgrade) const {
    auto have = installed(bundle);
    if (!have || sequence >= have->sequence || downgrade == Downgrade::allow)
        return;
    throw Error("bundle " + quote(bundle) + " " + version + " has sequence " +
                std::to_string(sequence) + ", older than sequence " +
                std::to_string(have->sequence) + " (version " + have->version + ") " + recorded_ +
                (have->installed_at.empty() ? "" : " at " + have->installed_at) +
                "; refusing a rollback")
        .with_hint(
            "a replayed old bundle may reintroduce fixed vulnerabilities; if the older "
            "bundle is really wanted, pass --allow-downgrade (state file: " +
            file_.string() + ")");
}

void RollbackState::record(const std::string& bundle, std::uint64_t sequence,
                           const std::string& version, Downgrade downgrade) {
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    if (ec)
        throw Error("cannot create the state directory " + quote(file_.parent_path().string()) +
                    ": " + ec.message())
            .with_hint("set AIRLOCK_STATE_DIR to a writable directory");
    FileLock lock(file_.string() + ".lock");
    auto all = load();
    auto& entry = all[bundle];
    if (sequence >= entry.sequence || downgrade == Downgrade::allow) {
        entry.sequence = sequence;
        entry.version = version;
        entry.installed_at = now_rfc3339();
    }
    std::ostringstream out;
    out << "# airlock-install anti-rollback state: the highest bundle sequence installed per "
           "bundle name.\n";
    for (const auto& [name, b] : all) {
        out << "\n[bundle." << toml_string(name) << "]\n"
            << "sequence = " << b.sequence << "\n"
            << "version = " << toml_string(b.version) << "\n"
            << "installed_at = " << toml_string(b.installed_at) << "\n";
    }
    auto tmp = file_;
    tmp += ".tmp." + std::to_string(getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << out.str();
        f.flush();
        if (!f) {
            fs::remove(tmp, ec);
            throw Error("cannot write the state file " + quote(tmp.string()));
        }
    }
    fs::rename(tmp, file_, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error("cannot replace the state file " + quote(file_.string()) + ": " + ec.message());
    }
}

}  // namespace airlock::install
