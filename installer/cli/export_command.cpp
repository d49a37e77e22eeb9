#include "installer/cli/app.hpp"

#include "core/base/error.hpp"

namespace airlock::installer {

void add_export_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("export", "(not implemented yet)");
    cmd->allow_extras();
    cmd->callback([] {
        throw Error("`airlock-install export` is not implemented yet", Exit::internal);
    });
}

}  // namespace airlock::installer
