#include "builder/cli/app.hpp"

#include "core/base/error.hpp"

namespace airlock::builder {

void add_build_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("build", "(not implemented yet)");
    cmd->allow_extras();
    cmd->callback([] {
        throw Error("`airlock-build build` is not implemented yet", Exit::internal);
    });
}

}  // namespace airlock::builder
