#include "installer/host/host.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <vector>

#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

namespace airlock::host {
namespace {

std::vector<long> numbers(std::string_view v) {
    std::vector<long> out;
    std::size_t i = 0;
    while (i < v.size()) {
        if (!std::isdigit(static_cast<unsigned char>(v[i])))
            break;
        long n = 0;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
            n = n * 10 + (v[i] - '0');
            ++i;
        }
        out.push_back(n);
        if (i < v.size() && v[i] == '.')
            ++i;
        else
            break;
    }
    return out;
}

}  // namespace

int compare_numeric(std::string_view a, std::string_view b) {
    auto x = numbers(a);
    auto y = numbers(b);
    for (std::size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
        long l = i < x.size() ? x[i] : 0;
        long r = i < y.size() ? y[i] : 0;
        if (l != r)
            return l < r ? -1 : 1;
    }
    return 0;
}

std::string Host::describe() const {
    std::string out = system + " " + machine;
    if (glibc)
        out += " glibc " + *glibc;
    return out;
}

Host probe_host() {
    Host host;
    utsname u{};
    if (uname(&u) == 0) {
        host.system = u.sysname;
        host.machine = u.machine;
    }
#if defined(__GLIBC__)
    host.glibc = gnu_get_libc_version();
#endif
    return host;
}

}  // namespace airlock::host
