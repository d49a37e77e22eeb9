#include "core/base/program.hpp"

#include "core/base/edit_distance.hpp"
#include "core/base/error.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

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

namespace {

/// `airlock-install instal …`: CLI11 would only say "A subcommand is required". The first
/// argument that is not an option and names no command gets a "did you mean".
std::optional<Error> unknown_command(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0')
        return std::nullopt;
    const std::string word = argv[1];
    std::vector<std::string> names, shown;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name() == word)
            return std::nullopt;  // a real command: CLI11's message is about something else
        names.push_back(sub->get_name());
        if (!sub->get_group().empty())
            shown.push_back(sub->get_name());
    }
    Error error("unknown command " + quote(word), Exit::usage);
    // The start of a command ("inst") first, then a typo's distance.
    std::vector<std::string> close;
    for (const auto& n : shown)
        if (word.size() >= 2 && n.starts_with(word))
            close.push_back(n);
    if (close.empty())
        close = closest_words(word, names, 2);
    std::string list;
    for (const auto& n : shown)
        list += (list.empty() ? "" : ", ") + n;
    const std::string program = app.get_name();
    if (!close.empty()) {
        std::string options;
        for (std::size_t i = 0; i < close.size(); ++i)
            options += (i == 0 ? "" : " or ") + quote(close[i]);
        error.with_hint("did you mean " + options + "? The commands are " + list + " (" + program +
                        " --help)");
    } else {
        error.with_hint("the commands are " + list + "; " + program +
                        " COMMAND --help shows one with an example");
    }
    return error;
}

}  // namespace

int run_program(CLI::App& app, int argc, char** argv) {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() != 0) {
            if (auto typo = unknown_command(app, argc, argv)) {
                std::cerr << typo->render();
                return static_cast<int>(Exit::usage);
            }
        }
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
