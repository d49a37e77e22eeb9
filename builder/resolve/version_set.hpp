#pragma once
/// A set over one package's candidates plus one extra element, "not selected". PubGrub terms
/// become plain sets: `P in S` is S, `not (P in S)` is the complement of S (which contains
/// "not selected"), so intersection, subset and complement are all a term algebra needs.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace airlock::resolve {

class VersionSet {
  public:
    VersionSet() = default;
    /// An empty set over `candidates` versions (bits 0..n-1) and "not selected" (bit n).
    explicit VersionSet(std::size_t candidates)
        : size_(candidates + 1), words_((candidates + 1 + 63) / 64, 0) {}

    static VersionSet full(std::size_t candidates) {
        VersionSet s(candidates);
        for (auto& w : s.words_)
            w = ~std::uint64_t{0};
        s.trim();
        return s;
    }
    static VersionSet single(std::size_t candidates, std::size_t index) {
        VersionSet s(candidates);
        s.set(index);
        return s;
    }

    std::size_t candidates() const { return size_ - 1; }
    std::size_t absent_bit() const { return size_ - 1; }

    void set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
    void reset(std::size_t i) { words_[i / 64] &= ~(std::uint64_t{1} << (i % 64)); }
    bool test(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }

    /// Whether the set allows "not selected" (a negative term).
    bool allows_absent() const { return test(absent_bit()); }
    /// The versions only (without "not selected").
    VersionSet versions() const {
        VersionSet s = *this;
        s.reset(absent_bit());
        return s;
    }

    VersionSet complement() const {
        VersionSet s = *this;
        for (auto& w : s.words_)
            w = ~w;
        s.trim();
        return s;
    }
    VersionSet operator&(const VersionSet& o) const {
        VersionSet s = *this;
        for (std::size_t i = 0; i < words_.size(); ++i)
            s.words_[i] &= o.words_[i];
        return s;
    }
    VersionSet operator|(const VersionSet& o) const {
        VersionSet s = *this;
        for (std::size_t i = 0; i < words_.size(); ++i)
            s.words_[i] |= o.words_[i];
        return s;
    }
    VersionSet& operator&=(const VersionSet& o) {
        for (std::size_t i = 0; i < words_.size(); ++i)
            words_[i] &= o.words_[i];
        return *this;
    }
    bool operator==(const VersionSet& o) const = default;

    bool empty() const {
        for (auto w : words_)
            if (w)
                return false;
        return true;
    }
    bool is_full() const { return complement().empty(); }
    /// this ⊆ o
    bool subset_of(const VersionSet& o) const {
        for (std::size_t i = 0; i < words_.size(); ++i)
            if (words_[i] & ~o.words_[i])
                return false;
        return true;
    }
    bool disjoint(const VersionSet& o) const {
        for (std::size_t i = 0; i < words_.size(); ++i)
            if (words_[i] & o.words_[i])
                return false;
        return true;
    }
    std::size_t count() const {
        std::size_t n = 0;
        for (auto w : words_)
            n += static_cast<std::size_t>(std::popcount(w));
        return n;
    }

  private:
    void trim() {
        if (size_ % 64 && !words_.empty())
            words_.back() &= (std::uint64_t{1} << (size_ % 64)) - 1;
    }
    std::size_t size_ = 1;
    std::vector<std::uint64_t> words_ = std::vector<std::uint64_t>(1, 0);
};

}  // namespace airlock::resolve
