#pragma once
/// Telling a full disk (ENOSPC), a quota (EDQUOT) or a file size limit (EFBIG from `ulimit -f`,
/// RLIMIT_FSIZE) from other write failures, so the error names the free-space problem and the
/// destination instead of only "pip failed".

#include "core/base/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::install {

/// `": the disk is full (…)"`-style suffix when `text` (a program's stderr, an error message)
/// says a write failed for want of space; empty otherwise.
std::string space_reason_in(std::string_view text);

/// `": the disk is full (…)"` when the filesystem holding `dir` has almost no space left (under
/// 4 MiB: a program whose message was not seen failed for want of it, most likely); empty
/// otherwise.
std::string space_reason_at(const std::filesystem::path& dir);

/// When `error` says a write failed for want of space: what to add to it, naming `destination`,
/// the free space of its filesystem and any file size limit in force; nullopt otherwise.
std::optional<std::string> space_problem(const Error& error,
                                         const std::filesystem::path& destination);

}  // namespace airlock::install
