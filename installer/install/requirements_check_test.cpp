#include "installer/install/requirements_check.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace airlock::install {
namespace {

const std::string hash(64, 'a');

TEST(RequirementsCheck, AcceptsWhatAirlockBuildWrites) {
    check_requirements_text(
        "# Locked by airlock for target `t`. Generated: do not edit.\n"
        "\n"
        "alpha==1.0 \\\n    --hash=sha256:" +
            hash + "\nbeta==2.0.post1+local --hash=sha256:" + hash + " --hash=sha256:" + hash +
            "\n",
        "r.txt");
    check_requirements_text("", "r.txt");
}

TEST(RequirementsCheck, RefusesOptionsUrlsPathsAndUnhashedPins) {
    for (const std::string& bad : std::vector<std::string>{
             "--index-url http://127.0.0.1:9/simple", "-r /etc/passwd", "--find-links /mnt", "-e .",
             "evil @ file:///etc/passwd", "alpha==1.0", "alpha>=1.0 --hash=sha256:" + hash,
             "alpha==1.0 --hash=md5:" + std::string(32, 'a'),
             "alpha==1.0 --hash=sha256:" + hash + " --index-url http://x",
             "alpha==1.0; python_version > '3' --hash=sha256:" + hash, "/etc/passwd",
             "\x1b[2Jalpha==1.0 --hash=sha256:" + hash}) {
        try {
            check_requirements_text("# ok\nalpha==1.0 --hash=sha256:" + hash + "\n" + bad + "\n",
                                    "airlock/requirements.t.txt");
            FAIL() << bad;
        } catch (const Error& e) {
            auto text = e.render();
            EXPECT_NE(text.find("airlock/requirements.t.txt:3: `"), std::string::npos) << text;
            EXPECT_NE(text.find("is not a pinned, hashed requirement"), std::string::npos) << text;
            EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
        }
    }
}

TEST(RequirementsCheck, AContinuationAtTheEndIsStillChecked) {
    EXPECT_THROW(check_requirements_text("alpha==1.0 \\", "r.txt"), Error);
}

}  // namespace
}  // namespace airlock::install
