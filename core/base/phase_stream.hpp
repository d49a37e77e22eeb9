#pragma once
/// An output stream that shares the terminal with a phase's live progress line: before each line
/// it passes on, the live line is taken off, so the two never end up on one line.

#include "core/base/phase_progress.hpp"

#include <ostream>
#include <streambuf>

namespace airlock {

class PhaseStream : public std::ostream {
  public:
    /// Writes to `target` (flushed after each line); clears `phase`'s live line first.
    PhaseStream(std::ostream& target, PhaseProgress& phase);

  private:
    class Buffer : public std::streambuf {
      public:
        Buffer(std::ostream& target, PhaseProgress& phase) : target_(target), phase_(phase) {}

      protected:
        int_type overflow(int_type c) override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;
        int sync() override;

      private:
        std::ostream& target_;
        PhaseProgress& phase_;
        bool line_start_ = true;
    };
    Buffer buffer_;
};

}  // namespace airlock
