#include "installer/install/rollback_state.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

namespace airlock::install {
namespace {

TEST(RollbackState, RefusesOlderSequenceUnlessAllowed) {
    test_support::TempDir temp("airlock-rollback-refuse-");
    auto dir = temp / "state";  // not there yet
    RollbackState state(dir / "state.toml");
    EXPECT_FALSE(state.installed("lab"));
    state.check("lab", 1, "1.0", Downgrade::refuse);
    state.record("lab", 5, "2026.1", Downgrade::refuse);
    state.record("other \"x\"", 2, "1", Downgrade::refuse);
    EXPECT_EQ(state.installed("lab")->sequence, 5u);
    EXPECT_EQ(state.installed("other \"x\"")->sequence, 2u);
    state.check("lab", 5, "2026.1", Downgrade::refuse);  // reinstalling the same is fine
    state.check("lab", 6, "2026.2", Downgrade::refuse);
    try {
        state.check("lab", 4, "2025.9", Downgrade::refuse);
        FAIL();
    } catch (const Error& e) {
        auto text = e.render();
        EXPECT_NE(text.find("has sequence 4, older than sequence 5 (version 2026.1)"),
                  std::string::npos)
            << text;
        EXPECT_NE(text.find("--allow-downgrade"), std::string::npos);
    }
    state.check("lab", 4, "2025.9", Downgrade::allow);
    state.record("lab", 3, "2025.1", Downgrade::refuse);  // never lowers without allow
    EXPECT_EQ(state.installed("lab")->sequence, 5u);
    state.record("lab", 3, "2025.1", Downgrade::allow);
    EXPECT_EQ(state.installed("lab")->sequence, 3u);
}

TEST(RollbackState, DamagedFileIsAnErrorNamingIt) {
    test_support::TempDir temp("airlock-rollback-damaged-");
    auto dir = temp / "state";
    std::filesystem::create_directories(dir);
    test_support::write_file(dir / "state.toml", "[bundle\n");
    RollbackState state(dir / "state.toml");
    try {
        state.installed("lab");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(e.render().find("state.toml` is damaged"), std::string::npos) << e.render();
    }
}

}  // namespace
}  // namespace airlock::install
