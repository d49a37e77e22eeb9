#include "installer/host/cuda_driver.hpp"

#include "core/base/read_file.hpp"
#include "installer/host/host.hpp"
#include "installer/host/process.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace airlock::host {
namespace {

struct Row {
    std::string_view cuda;
    std::string_view driver;
};

// Minimum Linux x86_64 driver of each toolkit's GA release (NVIDIA CUDA release notes, table 3).
constexpr Row kTable[] = {
    {"10.0", "410.48"},    {"10.1", "418.39"},    {"10.2", "440.33"},    {"11.0", "450.51.05"},
    {"11.1", "455.23"},    {"11.2", "460.27.03"}, {"11.3", "465.19.01"}, {"11.4", "470.42.01"},
    {"11.5", "495.29.05"}, {"11.6", "510.39.01"}, {"11.7", "515.43.04"}, {"11.8", "520.61.05"},
    {"12.0", "525.60.13"}, {"12.1", "530.30.02"}, {"12.2", "535.54.03"}, {"12.3", "545.23.06"},
    {"12.4", "550.54.14"}, {"12.5", "555.42.02"}, {"12.6", "560.28.03"}, {"12.8", "570.26"},
    {"12.9", "575.51.03"}, {"13.0", "580.65.06"},
};

std::string major_minor(std::string_view v) {
    auto first = v.find('.');
    if (first == std::string_view::npos)
        return std::string(v) + ".0";
    auto second = v.find('.', first + 1);
    return std::string(v.substr(0, second));
}

bool is_version_token(std::string_view t) {
    if (t.empty() || !std::isdigit(static_cast<unsigned char>(t.front())))
        return false;
    bool dot = false;
    for (char c : t) {
        if (c == '.')
            dot = true;
        else if (!std::isdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return dot;
}

}  // namespace

std::optional<std::string> parse_proc_driver_version(std::string_view text) {
    auto line_end = text.find('\n');
    std::string line(text.substr(0, line_end));
    if (line.find("NVRM version") == std::string::npos)
        return std::nullopt;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
        if (is_version_token(word))
            return word;
    }
    return std::nullopt;
}

std::optional<CudaDriver> parse_nvidia_smi(std::string_view text) {
    CudaDriver d;
    auto value_after = [&](std::string_view key) -> std::optional<std::string> {
        auto at = text.find(key);
        if (at == std::string_view::npos)
            return std::nullopt;
        std::istringstream rest(std::string(text.substr(at + key.size(), 64)));
        std::string word;
        if (rest >> word && is_version_token(word))
            return word;
        return std::nullopt;
    };
    auto driver = value_after("Driver Version:");
    if (!driver)
        return std::nullopt;
    d.version = *driver;
    d.cuda_version = value_after("CUDA Version:");
    return d;
}

std::optional<CudaDriver> probe_cuda_driver(const std::string& proc_file) {
    if (auto text = try_read_file(proc_file)) {
        if (auto version = parse_proc_driver_version(*text)) {
            CudaDriver d{*version, cuda_for_driver(*version)};
            return d;
        }
    }
    auto smi = find_on_path("nvidia-smi");
    if (!smi)
        return std::nullopt;
    try {
        auto out = capture({{smi->string()}, isolated_environment()});
        if (out.status == 0)
            return parse_nvidia_smi(out.out);
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::optional<std::string> minimum_driver_for_cuda(std::string_view cuda) {
    auto wanted = major_minor(cuda);
    for (const auto& row : kTable)
        if (row.cuda == wanted)
            return std::string(row.driver);
    return std::nullopt;
}

std::optional<std::string> cuda_for_driver(std::string_view driver) {
    std::optional<std::string> best;
    for (const auto& row : kTable)
        if (compare_numeric(driver, row.driver) >= 0)
            best = std::string(row.cuda);
    return best;
}

std::vector<std::string> cuda_warnings(std::string_view target_name, std::string_view target_cuda,
                                       const std::optional<CudaDriver>& driver) {
    std::vector<std::string> out;
    if (target_cuda.empty())
        return out;
    const std::string target =
        "target `" + std::string(target_name) + "` was built for CUDA " + std::string(target_cuda);
    auto minimum = minimum_driver_for_cuda(target_cuda);
    if (!driver) {
        out.push_back(target +
                      ", but no NVIDIA driver was found on this host (no "
                      "/proc/driver/nvidia/version, no nvidia-smi): the packages install, but "
                      "GPU code will not run" +
                      (minimum ? "; it needs driver " + *minimum + " or newer" : std::string()));
        return out;
    }
    bool too_old = false;
    if (driver->cuda_version) {
        too_old = compare_numeric(*driver->cuda_version, major_minor(target_cuda)) < 0;
    } else if (minimum) {
        too_old = compare_numeric(driver->version, *minimum) < 0;
    }
    if (too_old) {
        std::string runs = driver->cuda_version ? " (runs CUDA up to " + *driver->cuda_version + ")"
                                                : std::string();
        out.push_back(target + ", but this host's NVIDIA driver " + driver->version + runs +
                      " is too old" +
                      (minimum ? ": CUDA " + major_minor(target_cuda) + " needs driver " +
                                     *minimum + " or newer on Linux; upgrade the driver"
                               : std::string("; upgrade the driver")));
    } else if (!minimum) {
        out.push_back(target +
                      ", a CUDA version airlock has no driver table entry for; check "
                      "that driver " +
                      driver->version + " supports it");
    }
    return out;
}

}  // namespace airlock::host
