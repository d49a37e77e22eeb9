#include "builder/net/url.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"

#include <curl/curl.h>

#include <cctype>

#include <memory>

namespace airlock::net {
namespace {

struct HandleDeleter {
    void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
using Handle = std::unique_ptr<CURLU, HandleDeleter>;

Handle new_handle() {
    Handle handle(curl_url());
    if (!handle)
        throw Error("libcurl could not create a URL handle", Exit::internal);
    return handle;
}

std::optional<std::string> get(CURLU* handle, CURLUPart part, unsigned flags = 0) {
    char* out = nullptr;
    if (curl_url_get(handle, part, &out, flags) != CURLUE_OK || out == nullptr)
        return std::nullopt;
    std::string value(out);
    curl_free(out);
    return value;
}

unsigned default_port(const std::string& scheme) {
    return scheme == "https" ? 443 : scheme == "http" ? 80 : 0;
}

}  // namespace

std::optional<Url> Url::from_handle(void* opaque, std::string* problem) {
    auto* handle = static_cast<CURLU*>(opaque);
    Url url;
    url.scheme_ = ascii_lower(get(handle, CURLUPART_SCHEME).value_or(""));
    if (url.scheme_ != "http" && url.scheme_ != "https" && url.scheme_ != "file") {
        if (problem)
            *problem = "it is not an http://, https:// or file:// URL";
        return std::nullopt;
    }
    // Credentials leave the URL here, before its text exists.
    curl_url_set(handle, CURLUPART_USER, nullptr, 0);
    curl_url_set(handle, CURLUPART_PASSWORD, nullptr, 0);
    curl_url_set(handle, CURLUPART_OPTIONS, nullptr, 0);
    if (url.scheme_ != "file") {
        url.host_ = ascii_lower(get(handle, CURLUPART_HOST).value_or(""));
        if (url.host_.empty()) {
            if (problem)
                *problem = "it has no host";
            return std::nullopt;
        }
        curl_url_set(handle, CURLUPART_HOST, url.host_.c_str(), 0);
        auto port = get(handle, CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
        url.port_ = static_cast<unsigned>(std::strtoul(port.c_str(), nullptr, 10));
        if (url.port_ == default_port(url.scheme_))
            curl_url_set(handle, CURLUPART_PORT, nullptr, 0);
    }
    url.path_ = get(handle, CURLUPART_PATH).value_or("/");
    auto text = get(handle, CURLUPART_URL);
    if (!text) {
        if (problem)
            *problem = "libcurl cannot put it together again";
        return std::nullopt;
    }
    url.text_ = std::move(*text);
    return url;
}

Url Url::parse(std::string_view text, std::optional<Credentials>* credentials) {
    auto handle = new_handle();
    std::string owned(text);
    std::string problem;
    auto rc = curl_url_set(handle.get(), CURLUPART_URL, owned.c_str(), CURLU_URLENCODE);
    if (rc != CURLUE_OK) {
        problem = curl_url_strerror(rc);
    } else {
        if (credentials) {
            auto user = get(handle.get(), CURLUPART_USER, CURLU_URLDECODE);
            auto password = get(handle.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
            if (user || password)
                *credentials = Credentials{user.value_or(""), password.value_or("")};
            else
                credentials->reset();
        }
        if (auto url = from_handle(handle.get(), &problem))
            return std::move(*url);
    }
    throw Error("the URL " + quote(redact(text)) + " is invalid: " + problem, Exit::user);
}

std::optional<Url> Url::try_parse(std::string_view text) {
    auto handle = new_handle();
    std::string owned(text);
    if (curl_url_set(handle.get(), CURLUPART_URL, owned.c_str(), CURLU_URLENCODE) != CURLUE_OK)
        return std::nullopt;
    return from_handle(handle.get(), nullptr);
}

std::optional<Url> Url::resolve(std::string_view reference) const {
    // RFC 3986 §5.2.2 for the two forms libcurl 7.88 gets wrong: "" and "#fragment".
    if (reference.empty()) {
        Url out = *this;
        out.text_ = without_fragment();
        return out;
    }
    if (reference.front() == '#') {
        Url out = *this;
        out.text_ = without_fragment() + std::string(reference);
        return out;
    }
    auto handle = new_handle();
    if (curl_url_set(handle.get(), CURLUPART_URL, text_.c_str(), 0) != CURLUE_OK)
        return std::nullopt;
    std::string owned(reference);
    if (curl_url_set(handle.get(), CURLUPART_URL, owned.c_str(), CURLU_URLENCODE) != CURLUE_OK)
        return std::nullopt;
    return from_handle(handle.get(), nullptr);
}

std::string Url::origin() const {
    if (scheme_ == "file")
        return "file://";
    std::string out = scheme_ + "://" + host_;
    if (port_ != default_port(scheme_))
        out += ":" + std::to_string(port_);
    return out;
}

std::string Url::without_fragment() const {
    auto hash = text_.find('#');
    return hash == std::string::npos ? text_ : text_.substr(0, hash);
}

std::string redact(std::string_view text) {
    if (auto url = Url::try_parse(text))
        return url->str();
    // Not a URL libcurl accepts: mask whatever stands before an `@` in its authority.
    auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos)
        return std::string(text);
    auto start = scheme_end + 3;
    auto end = text.find_first_of("/?#", start);
    auto authority = text.substr(start, end == std::string_view::npos ? end : end - start);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos)
        return std::string(text);
    return std::string(text.substr(0, start)) + "***@" + std::string(text.substr(start + at + 1));
}

std::string file_url(const std::string& absolute_path) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out = "file://";
    for (unsigned char c : absolute_path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~' ||
            c == '+' || c == '@' || c == ',' || c == '=') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string origin_of(std::string_view url) {
    auto parsed = Url::try_parse(url);
    return parsed ? parsed->origin() : std::string();
}

}  // namespace airlock::net
