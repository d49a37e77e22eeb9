#include "builder/index/url.hpp"

#include <cctype>
#include <vector>

namespace airlock::index {
namespace {

struct Parts {
    std::string_view scheme;  ///< without ':'
    std::string_view authority;
    bool has_authority = false;
    std::string_view path;
    std::string_view query;     ///< with '?'
    std::string_view fragment;  ///< with '#'
};

Parts split(std::string_view url) {
    Parts p;
    auto hash = url.find('#');
    if (hash != std::string_view::npos) {
        p.fragment = url.substr(hash);
        url = url.substr(0, hash);
    }
    auto question = url.find('?');
    if (question != std::string_view::npos) {
        p.query = url.substr(question);
        url = url.substr(0, question);
    }
    auto colon = url.find(':');
    auto first_special = url.find_first_of("/?#");
    if (colon != std::string_view::npos && colon > 0 &&
        (first_special == std::string_view::npos || colon < first_special)) {
        bool valid = true;
        for (char c : url.substr(0, colon)) {
            valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' ||
                              c == '.');
        }
        if (valid) {
            p.scheme = url.substr(0, colon);
            url = url.substr(colon + 1);
        }
    }
    if (url.starts_with("//")) {
        p.has_authority = true;
        auto end = url.find('/', 2);
        p.authority =
            url.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
        url = end == std::string_view::npos ? std::string_view() : url.substr(end);
    }
    p.path = url;
    return p;
}

std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string_view> out;
    bool absolute = path.starts_with('/');
    std::size_t pos = absolute ? 1 : 0;
    bool trailing = false;
    while (pos <= path.size()) {
        auto slash = path.find('/', pos);
        auto segment = path.substr(
            pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
        bool last = slash == std::string_view::npos;
        if (segment == ".") {
            trailing = last;
        } else if (segment == "..") {
            if (!out.empty())
                out.pop_back();
            trailing = last;
        } else {
            out.push_back(segment);
            trailing = false;
        }
        if (last)
            break;
        pos = slash + 1;
    }
    std::string result = absolute ? "/" : "";
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i)
            result += '/';
        result += out[i];
    }
    if (trailing && !result.ends_with('/'))
        result += '/';
    return result;
}

}  // namespace

std::string resolve_url(std::string_view base, std::string_view reference) {
    Parts r = split(reference);
    if (!r.scheme.empty()) {
        return std::string(r.scheme) + ":" +
               (r.has_authority ? "//" + std::string(r.authority) : "") +
               remove_dot_segments(r.path) + std::string(r.query) + std::string(r.fragment);
    }
    Parts b = split(base);
    std::string out = std::string(b.scheme) + ":";
    if (r.has_authority) {
        return out + "//" + std::string(r.authority) + remove_dot_segments(r.path) +
               std::string(r.query) + std::string(r.fragment);
    }
    if (b.has_authority)
        out += "//" + std::string(b.authority);
    std::string path;
    std::string_view query = r.query;
    if (r.path.empty()) {
        path = std::string(b.path);
        if (query.empty())
            query = b.query;
    } else if (r.path.starts_with('/')) {
        path = remove_dot_segments(r.path);
    } else {
        std::string merged;
        if (b.has_authority && b.path.empty()) {
            merged = "/" + std::string(r.path);
        } else {
            auto slash = b.path.rfind('/');
            merged = std::string(slash == std::string_view::npos ? std::string_view()
                                                                 : b.path.substr(0, slash + 1)) +
                     std::string(r.path);
        }
        path = remove_dot_segments(merged);
    }
    return out + path + std::string(query) + std::string(r.fragment);
}

std::pair<std::string_view, std::string_view> split_fragment(std::string_view url) {
    auto hash = url.find('#');
    if (hash == std::string_view::npos)
        return {url, {}};
    return {url.substr(0, hash), url.substr(hash + 1)};
}

}  // namespace airlock::index
