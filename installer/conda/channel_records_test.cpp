#include "installer/conda/channel_records.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

namespace airlock::install::conda {
namespace {

ChannelRecord tiny() {
    ChannelRecord r;
    r.name = "tiny";
    r.version = "1.0";
    r.build = "h0_0";
    r.subdir = "linux-64";
    r.depends = {"python >=3.8", "libzlib 1.2.*"};
    return r;
}

std::string refusal(const ChannelRecord& r) {
    try {
        check_record_identity(r, "tiny-1.0-h0_0.conda", "linux-64");
    } catch (const Error& e) {
        return e.render();
    }
    return "";
}

TEST(ChannelRecordIdentity, AcceptsTheRecordOfItsFile) {
    EXPECT_EQ(refusal(tiny()), "");
    auto no_subdir = tiny();
    no_subdir.subdir.clear();
    EXPECT_EQ(refusal(no_subdir), "");
}

TEST(ChannelRecordIdentity, RefusesARecordOfAnotherFile) {
    auto r = tiny();
    r.name = "../../evil";
    EXPECT_NE(
        refusal(r).find("its name in repodata.json is `../../evil`, the file name says `tiny`"),
        std::string::npos)
        << refusal(r);
    r = tiny();
    r.name = "ti\x1bny";
    EXPECT_NE(refusal(r).find("`ti\\x1bny`"), std::string::npos) << refusal(r);
    r = tiny();
    r.version = "2.0";
    EXPECT_NE(refusal(r).find("its version in repodata.json is `2.0`"), std::string::npos);
    r = tiny();
    r.build.clear();
    EXPECT_NE(refusal(r).find("its build in repodata.json is missing"), std::string::npos);
    r = tiny();
    r.subdir = "win-64";
    EXPECT_NE(refusal(r).find("its subdir in repodata.json is `win-64`"), std::string::npos);
    r = tiny();
    r.depends.push_back("\x1b[2J >=1");
    EXPECT_NE(refusal(r).find("depends in repodata.json hold `\\x1b[2J >=1`, which is not a conda "
                              "match spec"),
              std::string::npos)
        << refusal(r);
}

}  // namespace
}  // namespace airlock::install::conda
