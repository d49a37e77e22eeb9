#include "installer/cli/app.hpp"

#include "core/base/build_info.hpp"
#include "core/base/program.hpp"

namespace airlock::installer {

int run(int argc, char** argv) {
    CLI::App app{
        "airlock-install: verify a signed airlock bundle and install it offline (no network code "
        "is linked into this program).",
        "airlock-install"};
    app.set_version_flag("--version", std::string("airlock-install ") + build_info::version);
    app.require_subcommand(1);
    add_verify_command(app);
    add_list_command(app);
    add_install_command(app);
    add_export_command(app);
    add_recover_command(app);
    add_conda_prefix_command(app);
    return run_program(app, argc, argv);
}

}  // namespace airlock::installer
