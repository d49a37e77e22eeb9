#include "builder/resolve/resolve_progress.hpp"

namespace airlock::resolve {

ResolveProgress::ResolveProgress(std::vector<std::string> targets, ProgressMode mode)
    : phase_("resolve", mode) {
    for (auto& name : targets)
        targets_.push_back(Target{std::move(name), "", 0, 0, false, 0});
}

std::string ResolveProgress::status() {
    std::lock_guard lock(mutex_);
    std::size_t pages = 0;
    std::size_t metadata = 0;
    std::string per_target;
    for (const auto& t : targets_) {
        pages += t.pages;
        metadata += t.metadata;
        per_target += "  " + t.name + " ";
        if (t.done)
            per_target += "done (" + std::to_string(t.packages) + ")";
        else
            per_target += std::to_string(t.pages) + " pkgs" +
                          (t.current.empty() ? std::string() : " " + t.current);
    }
    return std::to_string(pages) + " pages, " + std::to_string(metadata) + " metadata" + per_target;
}

void ResolveProgress::show() {
    phase_.update([this] { return status(); });
}

void ResolveProgress::working_on(std::size_t i, std::string_view what) {
    {
        std::lock_guard lock(mutex_);
        targets_.at(i).current = what;
    }
    show();
}

void ResolveProgress::page(std::size_t i, std::string_view package) {
    count(i, package, &Target::pages);
}

void ResolveProgress::metadata(std::size_t i, std::string_view package) {
    count(i, package, &Target::metadata);
}

void ResolveProgress::count(std::size_t i, std::string_view package, std::size_t Target::*counter) {
    {
        std::lock_guard lock(mutex_);
        auto& t = targets_.at(i);
        ++(t.*counter);
        t.current = package;
    }
    show();
}

void ResolveProgress::done(std::size_t i, std::size_t packages) {
    {
        std::lock_guard lock(mutex_);
        auto& t = targets_.at(i);
        t.done = true;
        t.packages = packages;
        t.current.clear();
    }
    show();
}

void ResolveProgress::finish() {
    std::size_t packages = 0;
    std::size_t n = 0;
    {
        std::lock_guard lock(mutex_);
        for (const auto& t : targets_)
            packages += t.packages;
        n = targets_.size();
    }
    phase_.finish(std::to_string(n) + (n == 1 ? " target, " : " targets, ") +
                  std::to_string(packages) + " packages locked");
}

}  // namespace airlock::resolve
