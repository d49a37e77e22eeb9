#include "core/archive/zstd_stream.hpp"

#include "core/base/error.hpp"

#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace airlock::archive {

bool is_zstd(std::string_view head) {
    return head.size() >= 4 && static_cast<unsigned char>(head[0]) == 0x28 &&
           static_cast<unsigned char>(head[1]) == 0xB5 &&
           static_cast<unsigned char>(head[2]) == 0x2F &&
           static_cast<unsigned char>(head[3]) == 0xFD;
}

std::optional<std::uint64_t> zstd_content_size(std::string_view head) {
    unsigned long long size = ZSTD_getFrameContentSize(head.data(), head.size());
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR)
        return std::nullopt;
    return static_cast<std::uint64_t>(size);
}

std::size_t zstd_decompress(std::string_view compressed, char* out, std::size_t capacity) {
    std::size_t n = ZSTD_decompress(out, capacity, compressed.data(), compressed.size());
    if (ZSTD_isError(n))
        throw Error(std::string("the zstd stream is damaged: ") + ZSTD_getErrorName(n));
    return n;
}

namespace {
void check(std::size_t code, const char* what) {
    if (ZSTD_isError(code)) {
        throw Error(std::string(what) + ": " + ZSTD_getErrorName(code));
    }
}
}  // namespace

struct ZstdSink::State {
    ByteSink& inner;
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    std::vector<char> out = std::vector<char>(ZSTD_CStreamOutSize());
    explicit State(ByteSink& s) : inner(s) {}
    ~State() { ZSTD_freeCCtx(cctx); }

    void pump(const void* data, std::size_t size, ZSTD_EndDirective mode) {
        ZSTD_inBuffer in{data, size, 0};
        while (true) {
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            std::size_t remaining = ZSTD_compressStream2(cctx, &o, &in, mode);
            check(remaining, "zstd compression failed");
            if (o.pos > 0)
                inner.write(out.data(), o.pos);
            bool done = mode == ZSTD_e_continue ? in.pos == in.size : remaining == 0;
            if (done)
                break;
        }
    }
};

ZstdSink::ZstdSink(ByteSink& inner, int level, int workers)
    : state_(std::make_unique<State>(inner)) {
    if (state_->cctx == nullptr)
        throw Error("cannot start zstd compression", Exit::internal);
    check(ZSTD_CCtx_setParameter(state_->cctx, ZSTD_c_compressionLevel, level),
          "invalid zstd level");
    check(ZSTD_CCtx_setParameter(state_->cctx, ZSTD_c_checksumFlag, 1), "zstd checksum");
    if (workers > 0) {
        check(ZSTD_CCtx_setParameter(state_->cctx, ZSTD_c_nbWorkers, workers),
              "this zstd library cannot use worker threads");
    }
}

ZstdSink::~ZstdSink() = default;

void ZstdSink::write(const void* data, std::size_t size) {
    state_->pump(data, size, ZSTD_e_continue);
}

void ZstdSink::finish() {
    state_->pump(nullptr, 0, ZSTD_e_end);
    state_->inner.finish();
}

struct ZstdSource::State {
    ByteSource& inner;
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    std::vector<char> in = std::vector<char>(ZSTD_DStreamInSize());
    ZSTD_inBuffer buf{nullptr, 0, 0};
    std::size_t last = 0;  // last return of ZSTD_decompressStream: 0 when a frame just ended
    bool eof = false;
    bool started = false;
    State(ByteSource& s) : inner(s) {}
    ~State() { ZSTD_freeDCtx(dctx); }
};

ZstdSource::ZstdSource(ByteSource& inner, std::string head)
    : state_(std::make_unique<State>(inner)) {
    if (state_->dctx == nullptr)
        throw Error("cannot start zstd decompression", Exit::internal);
    if (head.size() > state_->in.size())
        state_->in.resize(head.size());
    std::memcpy(state_->in.data(), head.data(), head.size());
    state_->buf = ZSTD_inBuffer{state_->in.data(), head.size(), 0};
}

ZstdSource::~ZstdSource() = default;

std::size_t ZstdSource::read(void* data, std::size_t size) {
    auto& s = *state_;
    while (true) {
        if (s.buf.pos == s.buf.size && !s.eof) {
            std::size_t n = s.inner.read(s.in.data(), s.in.size());
            if (n == 0) {
                s.eof = true;
            }
            s.buf = ZSTD_inBuffer{s.in.data(), n, 0};
        }
        if (s.buf.pos == s.buf.size && s.eof) {
            if (!s.started || s.last != 0) {
                throw Error("the zstd stream is truncated (it ends in the middle of a frame)");
            }
            return 0;
        }
        ZSTD_outBuffer o{data, size, 0};
        s.last = ZSTD_decompressStream(s.dctx, &o, &s.buf);
        if (ZSTD_isError(s.last)) {
            throw Error(std::string("the zstd stream is damaged: ") + ZSTD_getErrorName(s.last));
        }
        s.started = true;
        if (o.pos > 0)
            return o.pos;
    }
}

std::size_t PrefixedSource::read(void* data, std::size_t size) {
    if (pos_ < head_.size()) {
        std::size_t n = std::min(size, head_.size() - pos_);
        std::memcpy(data, head_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    return inner_.read(data, size);
}

}  // namespace airlock::archive
