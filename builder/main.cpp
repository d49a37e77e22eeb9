#include "builder/cli/app.hpp"

int main(int argc, char** argv) {
    return airlock::builder::run(argc, argv);
}
