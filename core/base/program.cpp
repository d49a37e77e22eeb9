#include "core/base/program.hpp"

#include "core/base/edit_distance.hpp"
#include "core/base/error.hpp"

#include <cctype>
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

/// `airlock-build lock --bogus`: CLI11 would report a missing required option first ("--output
/// is required"). An option the command does not know is reported before anything else, with a
/// "did you mean" for a near one.
std::optional<Error> unknown_option(CLI::App& app, int argc, char** argv) {
    CLI::App* command = &app;
    bool skip_value = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--")
            break;
        if (skip_value) {
            skip_value = false;
            continue;
        }
        const bool is_long = arg.size() > 2 && arg.starts_with("--") &&
                             std::isalpha(static_cast<unsigned char>(arg[2]));
        const bool is_short = !is_long && arg.size() > 1 && arg[0] == '-' &&
                              std::isalpha(static_cast<unsigned char>(arg[1]));
        if (!is_long && !is_short) {
            if (command == &app) {
                auto subs =
                    app.get_subcommands([&](CLI::App* sub) { return sub->check_name(arg); });
                if (subs.empty())
                    return std::nullopt;  // not a command: unknown_command() speaks
                command = subs.front();
            }
            continue;
        }
        // `--name=value`, `-ovalue` (a short option's value may follow it directly).
        const std::string name = is_long ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
        if (const auto* option = command->get_option_no_throw(name)) {
            skip_value = option->get_expected_min() > 0 &&
                         (is_long ? arg.find('=') == std::string::npos : arg.size() == 2);
            continue;
        }
        std::vector<std::string> names;  // long names only: one letter has no "near" one
        for (const auto* option : command->get_options()) {
            for (const auto& l : option->get_lnames())
                names.push_back("--" + l);
        }
        const std::string usage =
            app.get_name() + (command == &app ? "" : " " + command->get_name()) + " --help";
        Error error("unknown option " + name, Exit::usage);
        auto close = closest_words(name, names, 2);
        if (!close.empty()) {
            std::string options;
            for (std::size_t k = 0; k < close.size(); ++k)
                options += (k == 0 ? "" : " or ") + close[k];
            error.with_hint("did you mean " + options + "? See " + usage);
        } else {
            error.with_hint("see " + usage);
        }
        return error;
    }
    return std::nullopt;
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
            if (auto unknown = unknown_option(app, argc, argv)) {
                std::cerr << unknown->render();
                return static_cast<int>(Exit::usage);
            }
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
