#include "core/base/phase_stream.hpp"

namespace airlock {

PhaseStream::PhaseStream(std::ostream& target, PhaseProgress& phase)
    : std::ostream(nullptr), buffer_(target, phase) {
    rdbuf(&buffer_);
}

PhaseStream::Buffer::int_type PhaseStream::Buffer::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof()))
        return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

std::streamsize PhaseStream::Buffer::xsputn(const char* s, std::streamsize n) {
    for (std::streamsize i = 0; i < n; ++i) {
        if (line_start_) {
            phase_.clear();
            line_start_ = false;
        }
        target_.put(s[i]);
        if (s[i] == '\n') {
            target_.flush();
            line_start_ = true;
        }
    }
    return target_ ? n : 0;
}

int PhaseStream::Buffer::sync() {
    target_.flush();
    return target_ ? 0 : -1;
}

}  // namespace airlock
