#include "installer/cli/app.hpp"

int main(int argc, char** argv) {
    return airlock::installer::run(argc, argv);
}
