#include "core/wheel/url_filename.hpp"

namespace airlock::wheel {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string filename_from_url(std::string_view url) {
    if (auto hash = url.find('#'); hash != std::string_view::npos)
        url = url.substr(0, hash);
    if (auto query = url.find('?'); query != std::string_view::npos)
        url = url.substr(0, query);
    if (auto slash = url.rfind('/'); slash != std::string_view::npos)
        url = url.substr(slash + 1);
    return percent_decode(url);
}

}  // namespace airlock::wheel
