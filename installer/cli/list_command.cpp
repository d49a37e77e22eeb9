#include "installer/cli/app.hpp"

#include "core/base/error.hpp"

namespace airlock::installer {

void add_list_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("list", "(not implemented yet)");
    cmd->allow_extras();
    cmd->callback([] {
        throw Error("`airlock-install list` is not implemented yet", Exit::internal);
    });
}

}  // namespace airlock::installer
