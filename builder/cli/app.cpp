#include "builder/cli/app.hpp"

#include "core/base/build_info.hpp"
#include "core/base/program.hpp"

namespace airlock::builder {

int run(int argc, char** argv) {
    CLI::App app{
        "airlock-build: resolve a Python environment for one or more target platforms, download "
        "every file, and write one signed, reproducible bundle for an air-gapped site.",
        "airlock-build"};
    app.set_version_flag("--version", std::string("airlock-build ") + build_info::version);
    app.require_subcommand(1);
    add_init_command(app);
    add_lock_command(app);
    add_fetch_command(app);
    add_download_command(app);
    add_build_command(app);
    add_keygen_command(app);
    return run_program(app, argc, argv);
}

}  // namespace airlock::builder
