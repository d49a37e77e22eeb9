#include "core/base/program.hpp"

#include "core/base/error.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

namespace airlock {
namespace {

std::atomic<bool> g_interrupted{false};

void on_signal(int) {
    g_interrupted.store(true);
}

}  // namespace

bool interrupted() {
    return g_interrupted.load();
}

void throw_if_interrupted() {
    if (interrupted())
        throw Error("interrupted", Exit::interrupted);
}

int run_program(CLI::App& app, int argc, char** argv) {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::ParseError& e) {
        // --help and --version arrive here as "successes"; real usage errors exit 2.
        int code = app.exit(e);
        return code == 0 ? 0 : static_cast<int>(Exit::usage);
    } catch (const Error& e) {
        std::cout.flush();
        std::cerr << e.render();
        return static_cast<int>(e.exit());
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "error: internal error: " << e.what()
                  << "\n\nhint: this is a bug in airlock; please report it with the command "
                     "you ran\n";
        return static_cast<int>(Exit::internal);
    }
}

}  // namespace airlock
