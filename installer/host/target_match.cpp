#include "installer/host/target_match.hpp"

#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::host {

std::string TargetOffer::describe() const {
    std::string out = name + " (CPython " + python;
    if (!platform.empty())
        out += ", " + platform;
    if (!cuda.empty())
        out += ", CUDA " + cuda;
    return out + ")";
}

std::string describe_offers(const std::vector<TargetOffer>& offers) {
    std::string out;
    for (std::size_t i = 0; i < offers.size(); ++i) {
        if (i > 0)
            out += i + 1 == offers.size() ? " and " : ", ";
        out += offers[i].describe();
    }
    return out;
}

TargetFit fit(const TargetOffer& offer, const Interpreter& interpreter) {
    TargetFit result;
    result.offer = &offer;
    if (interpreter.implementation != "cpython") {
        result.problems.push_back("it is built for CPython, this interpreter is " +
                                  interpreter.name_and_version());
    }
    if (offer.python != interpreter.python_version()) {
        result.problems.push_back("it needs Python " + offer.python + ", this interpreter is " +
                                  interpreter.name_and_version());
    }
    if (!offer.platform.empty() && offer.platform != "any") {
        auto platforms = interpreter.platform_tags();
        auto at = std::find(platforms.begin(), platforms.end(), offer.platform);
        if (at == platforms.end()) {
            std::string why = "its wheels are for " + offer.platform + ", which this host (" +
                              interpreter.system + " " + interpreter.machine +
                              (interpreter.glibc ? " glibc " + *interpreter.glibc : "") +
                              ") cannot run";
            if (offer.platform.starts_with("manylinux_") && interpreter.glibc &&
                interpreter.system == "Linux") {
                // manylinux_2_28_x86_64: glibc 2.28 or newer needed.
                auto rest = offer.platform.substr(std::string("manylinux_").size());
                auto major_end = rest.find('_');
                auto minor_end = rest.find('_', major_end + 1);
                if (major_end != std::string::npos && minor_end != std::string::npos) {
                    why += " (it needs glibc " + rest.substr(0, major_end) + "." +
                           rest.substr(major_end + 1, minor_end - major_end - 1) + " or newer on " +
                           rest.substr(minor_end + 1) + ")";
                }
            }
            result.problems.push_back(why);
        } else {
            result.rank = static_cast<std::size_t>(at - platforms.begin());
        }
    }
    return result;
}

const TargetOffer& choose_target(const std::vector<TargetOffer>& offers,
                                 const Interpreter& interpreter,
                                 const std::optional<std::string>& wanted, HasGpu gpu) {
    if (offers.empty())
        throw Error("the bundle has no targets");
    const std::string host = "this host is " + interpreter.describe() + " (" +
                             quote(interpreter.executable.string()) + ")";
    if (wanted) {
        auto it = std::find_if(offers.begin(), offers.end(),
                               [&](const TargetOffer& o) { return o.name == *wanted; });
        if (it == offers.end()) {
            throw Error("the bundle has no target " + quote(*wanted) + "; it has targets " +
                        describe_offers(offers))
                .with_hint(
                    "pass one of those names to --target, or leave --target out to pick "
                    "the one that fits this host");
        }
        auto f = fit(*it, interpreter);
        if (!f.fits()) {
            std::string why;
            for (const auto& p : f.problems)
                why += (why.empty() ? "" : "; ") + p;
            throw Error("target " + quote(*wanted) + " does not fit this host: " + why + "; " +
                        host)
                .with_hint("pass a matching interpreter with --python (e.g. python" + it->python +
                           "), or choose another target");
        }
        return *it;
    }
    std::vector<TargetFit> fits;
    for (const auto& offer : offers) {
        auto f = fit(offer, interpreter);
        if (f.fits())
            fits.push_back(f);
    }
    if (fits.empty()) {
        std::vector<std::string> wanted_pythons;
        for (const auto& o : offers)
            if (std::find(wanted_pythons.begin(), wanted_pythons.end(), o.python) ==
                wanted_pythons.end())
                wanted_pythons.push_back(o.python);
        std::string pythons;
        for (const auto& p : wanted_pythons)
            pythons += (pythons.empty() ? "python" : " or python") + p;
        std::string detail;
        for (const auto& offer : offers) {
            auto f = fit(offer, interpreter);
            detail += "\n  " + offer.name + ": ";
            for (std::size_t i = 0; i < f.problems.size(); ++i)
                detail += (i ? "; " : "") + f.problems[i];
        }
        throw Error("no target of this bundle fits this host: the bundle has targets " +
                    describe_offers(offers) + "; " + host + detail)
            .with_hint("run the installer with a matching interpreter (--python /path/to/" +
                       pythons +
                       "), or rebuild the bundle with a target for this host's Python and "
                       "platform");
    }
    std::stable_sort(fits.begin(), fits.end(), [&](const TargetFit& a, const TargetFit& b) {
        bool a_cuda = !a.offer->cuda.empty();
        bool b_cuda = !b.offer->cuda.empty();
        if (a_cuda != b_cuda)
            return gpu == HasGpu::yes ? a_cuda : b_cuda;
        return a.rank < b.rank;
    });
    return *fits.front().offer;
}

}  // namespace airlock::host
