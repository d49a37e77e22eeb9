#include "installer/install/python_finder.hpp"

#include "installer/host/host.hpp"
#include "installer/host/process.hpp"

#include <algorithm>
#include <cstdlib>

namespace airlock::install {
namespace fs = std::filesystem;

std::vector<fs::path> find_pythons(const std::string& version) {
    std::vector<fs::path> out;
    if (auto p = host::find_on_path("python" + version))
        out.push_back(*p);
    std::vector<fs::path> roots;
    if (const char* root = std::getenv("PYENV_ROOT"); root && *root)
        roots.emplace_back(root);
    if (const char* home = std::getenv("HOME"); home && *home)
        roots.push_back(fs::path(home) / ".pyenv");
    std::error_code ec;
    for (const auto& root : roots) {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(root / "versions", ec)) {
            auto name = entry.path().filename().string();
            if (name == version || name.starts_with(version + ".")) {
                auto rest = name.substr(version.size());
                if (rest.empty() || rest.find_first_not_of(".0123456789") == std::string::npos)
                    names.push_back(name);
            }
        }
        std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
            return host::compare_numeric(a, b) > 0;
        });
        for (const auto& name : names) {
            auto python = root / "versions" / name / "bin" / ("python" + version);
            if (fs::exists(python, ec) && std::find(out.begin(), out.end(), python) == out.end())
                out.push_back(python);
        }
    }
    return out;
}

}  // namespace airlock::install
