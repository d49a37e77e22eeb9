#include "builder/pack/signing_key.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace airlock::pack {
namespace fs = std::filesystem;
namespace {

std::string ask_hidden(const std::string& prompt) {
    termios old{};
    if (::tcgetattr(STDIN_FILENO, &old) != 0) {
        throw Error("cannot switch off echo on the terminal: " + std::string(std::strerror(errno)));
    }
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    // Echo goes off before the prompt appears: whatever is typed after the prompt is kept (a
    // flush after the prompt would discard a fast typist's or a script's answer and hang).
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::cerr << prompt << std::flush;
    std::string line;
    bool ok = static_cast<bool>(std::getline(std::cin, line));
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    if (!ok)
        throw Error("no password was entered");
    return line;
}

}  // namespace

std::string obtain_password(const std::string& prompt, Confirm confirm) {
    if (const char* env = std::getenv(password_env); env != nullptr && *env != '\0') {
        return env;
    }
    if (!::isatty(STDIN_FILENO)) {
        throw Error("a password is needed, but there is no terminal to ask it on")
            .with_hint(std::string("set ") + password_env +
                       " for unattended use (or, for keygen, pass --no-password)");
    }
    std::string password = ask_hidden(prompt + ": ");
    if (password.empty()) {
        throw Error("the password is empty")
            .with_hint("type a password, or use --no-password for an unencrypted key");
    }
    if (confirm == Confirm::yes && ask_hidden("Password (again): ") != password) {
        throw Error("the two passwords differ");
    }
    return password;
}

bundle::SecretKey load_signing_key(const fs::path& path) {
    std::string text =
        read_file(path, "the secret key", "create one with `airlock-build keygen --out PREFIX`");
    std::optional<std::string> password;
    if (bundle::SecretKey::is_encrypted(text, path.string())) {
        password = obtain_password("Password for " + path.string(), Confirm::no);
    }
    return bundle::SecretKey::parse(text, path.string(), password);
}

}  // namespace airlock::pack
