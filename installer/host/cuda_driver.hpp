#pragma once
/// The NVIDIA driver on the host and the CUDA versions it can run (NVIDIA's CUDA Toolkit release
/// notes, table "CUDA Toolkit and Corresponding Driver Versions", Linux x86_64 column).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::host {

struct CudaDriver {
    std::string version;                      ///< "550.54.14"
    std::optional<std::string> cuda_version;  ///< "12.4" as nvidia-smi reports it, when known
};

/// Reads /proc/driver/nvidia/version (or `proc_file`), then falls back to `nvidia-smi`;
/// nullopt when neither shows a driver (no GPU: not an error).
std::optional<CudaDriver> probe_cuda_driver(
    const std::string& proc_file = "/proc/driver/nvidia/version");

/// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 …" → "550.54.14".
std::optional<std::string> parse_proc_driver_version(std::string_view text);
/// nvidia-smi's banner → driver version and "CUDA Version: 12.4".
std::optional<CudaDriver> parse_nvidia_smi(std::string_view text);

/// The minimum Linux driver a CUDA X.Y toolkit needs ("12.4" → "550.54.14"); nullopt when the
/// version is not in the table.
std::optional<std::string> minimum_driver_for_cuda(std::string_view cuda);
/// The highest CUDA X.Y in the table that `driver` can run, or nullopt when below all of them.
std::optional<std::string> cuda_for_driver(std::string_view driver);

/// Warnings (none when all is well) about running a target built for CUDA `target_cuda` with
/// `driver` (nullopt: no GPU or driver found).
std::vector<std::string> cuda_warnings(std::string_view target_name, std::string_view target_cuda,
                                       const std::optional<CudaDriver>& driver);

}  // namespace airlock::host
