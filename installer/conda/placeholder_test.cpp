#include "installer/conda/placeholder.hpp"

#include "core/base/error.hpp"
#include "core/conda/link_json.hpp"
#include "installer/conda/prefix_record.hpp"
#include "installer/conda/python_layout.hpp"
#include "installer/conda/shebang.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace airlock::install::conda {
namespace {

using namespace std::string_literals;
const std::string ph = "/opt/anaconda1anaconda2anaconda3";

TEST(Placeholder, TextAnyLength) {
    EXPECT_EQ(replace_text_placeholder("a=" + ph + "/lib:" + ph + "\n", ph, "/p"), "a=/p/lib:/p\n");
    const std::string longer(300, 'x');
    EXPECT_EQ(replace_text_placeholder(ph + "/bin", ph, "/" + longer), "/" + longer + "/bin");
    EXPECT_EQ(replace_text_placeholder("nothing here", ph, "/p"), "nothing here");
}

TEST(Placeholder, TextEscapesSpacesInShebang) {
    EXPECT_EQ(replace_text_placeholder("#!" + ph + "/bin/python\nP='" + ph + "'\n", ph, "/my env"),
              "#!/my\\ env/bin/python\nP='/my env'\n");
}

TEST(Placeholder, BinarySameLengthPaddedWithNuls) {
    const std::string data =
        "\x7f"
        "ELF\0"s +
        ph + "/lib:" + ph + "/lib64\0tail\0"s + ph + "\0"s;
    const std::string out = replace_binary_placeholder(data, ph, "/short");
    EXPECT_EQ(out.size(), data.size());
    const std::string pad(2 * (ph.size() - 6), '\0');
    EXPECT_EQ(out,
              "\x7f"
              "ELF\0/short/lib:/short/lib64\0"s +
                  pad + "tail\0/short\0"s + std::string(ph.size() - 6, '\0'));
    // The same length: nothing moves.
    EXPECT_EQ(replace_binary_placeholder(data, ph, std::string(ph.size(), 'q')).size(),
              data.size());
}

TEST(Placeholder, BinaryPrefixTooLongIsAnError) {
    const std::string data = "x\0"s + ph + "/lib\0"s;
    try {
        replace_binary_placeholder(data, ph, "/" + std::string(ph.size(), 'a'));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("longer than the 32-byte placeholder"),
                  std::string::npos)
            << e.what();
    }
    // A file without the placeholder is left alone whatever the prefix.
    EXPECT_EQ(replace_binary_placeholder("abc\0"s, ph, std::string(100, 'a')), "abc\0"s);
    EXPECT_THROW(replace_binary_placeholder("x" + ph, ph, "/p"), Error);  // no NUL after it
}

TEST(Shebang, LongOnesUseEnv) {
    const std::string deep = "/" + std::string(130, 'd');
    EXPECT_EQ(replace_long_shebang("#!" + deep + "/bin/python3.12 -E\nprint(1)\n"),
              "#!/usr/bin/env python3.12 -E\nprint(1)\n");
    EXPECT_EQ(replace_long_shebang("#!/usr/bin/python3\nx\n"), "#!/usr/bin/python3\nx\n");
    EXPECT_EQ(replace_long_shebang("#!/my\\ env/bin/python\nx\n"), "#!/usr/bin/env python\nx\n");
    EXPECT_EQ(replace_long_shebang("no shebang " + deep), "no shebang " + deep);
    EXPECT_EQ(replace_long_shebang("#!" + deep), "#!/usr/bin/env " + deep.substr(1));
    // 127 characters fit.
    const std::string fits = "#!/" + std::string(127 - 3 - 7, 'f') + "/python";
    ASSERT_EQ(fits.size(), 127u);
    EXPECT_EQ(replace_long_shebang(fits + "\n"), fits + "\n");
}

TEST(Shebang, EntryPoints) {
    EXPECT_EQ(entry_point_shebang("/env/bin/python3.12"), "#!/env/bin/python3.12\n");
    EXPECT_EQ(entry_point_shebang("/my env/bin/python"),
              "#!/bin/sh\n'''exec' \"/my env/bin/python\" \"$0\" \"$@\"\n' '''\n");
    const std::string deep = "/" + std::string(130, 'd') + "/bin/python";
    EXPECT_TRUE(entry_point_shebang(deep).starts_with("#!/bin/sh\n"));
}

TEST(PythonLayout, NoarchMapping) {
    auto unix = PythonLayout::of("3.12.7", Platform::unix_like);
    EXPECT_EQ(unix.version, "3.12");
    EXPECT_EQ(unix.noarch_target("site-packages/a/b.py"), "lib/python3.12/site-packages/a/b.py");
    EXPECT_EQ(unix.noarch_target("python-scripts/tool"), "bin/tool");
    EXPECT_EQ(unix.noarch_target("share/x"), "share/x");
    EXPECT_EQ(unix.noarch_target("site-packagesX/y"), "site-packagesX/y");
    EXPECT_EQ(unix.executable, "bin/python3.12");
    EXPECT_EQ(unix.pyc_path("lib/python3.12/site-packages/a/b.py"),
              "lib/python3.12/site-packages/a/__pycache__/b.cpython-312.pyc");
    auto win = PythonLayout::of("3.11", Platform::windows);
    EXPECT_EQ(win.noarch_target("site-packages/a.py"), "Lib/site-packages/a.py");
    EXPECT_EQ(win.noarch_target("python-scripts/t.py"), "Scripts/t.py");
    for (const char* bad : {"", "3", "x.1", ".3", "3."})
        EXPECT_THROW(PythonLayout::of(bad, Platform::unix_like), Error) << bad;
}

TEST(PythonLayout, EntryPointScriptAsCondaWritesIt) {
    auto ep = airlock::conda::EntryPoint::parse("jupyter-lab = jupyterlab.labapp:main");
    EXPECT_EQ(entry_point_script(ep, "/env/bin/python3.11"),
              "#!/env/bin/python3.11\n"
              "# -*- coding: utf-8 -*-\n"
              "import re\n"
              "import sys\n"
              "\n"
              "from jupyterlab.labapp import main\n"
              "\n"
              "if __name__ == '__main__':\n"
              "    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n"
              "    sys.exit(main())\n");
    auto nested = airlock::conda::EntryPoint::parse("x = pkg.cli:App.run");
    auto text = entry_point_script(nested, "/e/bin/python");
    EXPECT_NE(text.find("from pkg.cli import App\n"), std::string::npos);
    EXPECT_NE(text.find("sys.exit(App.run())"), std::string::npos);
}

TEST(PrefixRecord, CondaMetaShape) {
    PrefixRecordInput in;
    in.index_json = R"({"name": "zlib", "version": "1.3", "build": "h0_0", "build_number": 0,
                        "subdir": "linux-64", "depends": []})";
    in.fn = "zlib-1.3-h0_0.conda";
    in.url = "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3-h0_0.conda";
    in.channel = "https://conda.anaconda.org/conda-forge/linux-64";
    in.sha256 = std::string(64, 'b');
    in.size = 100;
    in.link_source = "/bundle/conda/linux-64/zlib-1.3-h0_0.conda";
    in.paths = {{"lib/libz.so.1", "hardlink", std::string(64, 'c'), std::string(64, 'd'), 7, ph,
                 "binary", false},
                {"include/zlib.h", "hardlink", std::string(64, 'e'), "", 3, "", "", false},
                {"lib/libz.so", "softlink", "", "", std::nullopt, "", "", false}};
    auto j = nlohmann::json::parse(prefix_record_json(in));
    EXPECT_EQ(j["name"], "zlib");
    EXPECT_EQ(j["fn"], in.fn);
    EXPECT_EQ(j["requested_spec"], "");
    EXPECT_EQ(j["files"], nlohmann::json({"include/zlib.h", "lib/libz.so", "lib/libz.so.1"}));
    EXPECT_EQ(j["paths_data"]["paths_version"], 1);
    const auto& paths = j["paths_data"]["paths"];
    ASSERT_EQ(paths.size(), 3u);
    EXPECT_EQ(paths[0]["sha256_in_prefix"], std::string(64, 'e'));  // unchanged file
    EXPECT_EQ(paths[2]["sha256_in_prefix"], std::string(64, 'd'));
    EXPECT_EQ(paths[2]["prefix_placeholder"], ph);
    EXPECT_EQ(paths[2]["file_mode"], "binary");
    EXPECT_FALSE(paths[1].contains("sha256"));
    EXPECT_EQ(j["link"], nlohmann::json({{"source", in.link_source}, {"type", 3}}));
    EXPECT_THROW(prefix_record_json(PrefixRecordInput{}), Error);
}

TEST(PrefixRecord, History) {
    EXPECT_EQ(dist_string("https://conda.anaconda.org/conda-forge/linux-64", "linux-64", "a-1-0"),
              "conda-forge/linux-64::a-1-0");
    EXPECT_EQ(dist_string("pytorch", "noarch", "b-2-0"), "pytorch/noarch::b-2-0");
    EXPECT_EQ(dist_string("", "", "c-3-0"), "local/noarch::c-3-0");
    EXPECT_EQ(history_entry("2026-12-01 06:00:00", "airlock-install x",
                            {"z/n::b-1-0", "z/n::a-1-0"}, {"a", "b>=1"}),
              "==> 2026-12-01 06:00:00 <==\n# cmd: airlock-install x\n+z/n::a-1-0\n+z/n::b-1-0\n"
              "# update specs: ['a', 'b>=1']\n");
}

}  // namespace
}  // namespace airlock::install::conda
