#pragma once
/// The one error type of airlock: a fact, the context added by each caller on the way up, an
/// optional hint, and the exit code. Thrown at the point of failure, printed once by main().

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace airlock {

/// Exit codes (STYLE.md §3): 0 ok, 1 the user can fix it, 2 usage or internal error, 130
/// interrupted.
enum class Exit : int { ok = 0, user = 1, usage = 2, internal = 2, interrupted = 130 };

class Error : public std::exception {
  public:
    explicit Error(std::string message, Exit exit = Exit::user);

    /// Adds what the caller was doing (outermost last); returns *this so `throw e.within(...)`.
    Error& within(std::string context);
    Error& with_hint(std::string hint);

    /// The innermost fact first, then each context added on the way up.
    const std::vector<std::string>& chain() const { return chain_; }
    const std::string& hint() const { return hint_; }
    Exit exit() const { return exit_; }
    const char* what() const noexcept override { return chain_.front().c_str(); }

    /// The multi-line report: `error: <outermost>` / `  caused by: …` / `hint: …`.
    std::string render() const;

  private:
    std::vector<std::string> chain_;
    std::string hint_;
    Exit exit_;
};

/// Runs `body`; an Error escaping it gains `context`. Other exceptions pass through untouched.
template <class F>
decltype(auto) within(const std::string& context, F&& body) {
    try {
        return std::forward<F>(body)();
    } catch (Error& e) {
        e.within(context);
        throw;
    }
}

/// Quotes a value for messages: `name`, escaped for the terminal (terminal_text).
std::string quote(std::string_view value);

}  // namespace airlock
