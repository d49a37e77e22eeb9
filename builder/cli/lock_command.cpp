#include "builder/cli/app.hpp"

#include "core/base/error.hpp"

namespace airlock::builder {

void add_lock_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("lock", "(not implemented yet)");
    cmd->allow_extras();
    cmd->callback([] {
        throw Error("`airlock-build lock` is not implemented yet", Exit::internal);
    });
}

}  // namespace airlock::builder
