#include "core/conda/repodata_writer.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using airlock::conda::PackageRecord;
using airlock::conda::write_repodata;

TEST(CondaRepodataWriter, WritesSortedSectionsThatReadBack) {
    std::vector<PackageRecord> records = {
        PackageRecord::from_json(R"({"name":"b","version":"1","build":"0","subdir":"linux-64"})",
                                 "b-1-0.conda"),
        PackageRecord::from_json(R"({"name":"a","version":"2","build":"py_0","noarch":"python"})",
                                 "a-2-py_0.tar.bz2"),
        PackageRecord::from_json(R"({"name":"a","version":"1","build":"py_0"})", "a-1-py_0.conda"),
    };
    std::string text = write_repodata("linux-64", records);
    EXPECT_EQ(
        text,
        "{\n"
        " \"info\": {\"subdir\": \"linux-64\"},\n"
        " \"packages\": {\n"
        "  \"a-2-py_0.tar.bz2\": "
        "{\"build\":\"py_0\",\"build_number\":0,\"depends\":[],\"name\":\"a\",\"noarch\":"
        "\"python\",\"version\":\"2\"}\n"
        " },\n"
        " \"packages.conda\": {\n"
        "  \"a-1-py_0.conda\": "
        "{\"build\":\"py_0\",\"build_number\":0,\"depends\":[],\"name\":\"a\",\"version\":\"1\"},\n"
        "  \"b-1-0.conda\": "
        "{\"build\":\"0\",\"build_number\":0,\"depends\":[],\"name\":\"b\",\"subdir\":\"linux-64\","
        "\"version\":\"1\"}\n"
        " },\n"
        " \"repodata_version\": 1\n"
        "}\n");
    auto doc = nlohmann::json::parse(text);
    EXPECT_EQ(doc["packages.conda"].size(), 2u);
    EXPECT_EQ(write_repodata("noarch", {}),
              "{\n \"info\": {\"subdir\": \"noarch\"},\n \"packages\": {},\n \"packages.conda\": "
              "{},\n \"repodata_version\": 1\n}\n");
}

TEST(CondaRepodataWriter, RefusesRecordsWithoutFileNamesAndDuplicates) {
    auto r = PackageRecord::from_json(R"({"name":"a","version":"1","build":"0"})");
    EXPECT_THROW(write_repodata("linux-64", {r}), airlock::Error);
    r.fn = "a-1-0.conda";
    EXPECT_THROW(write_repodata("linux-64", {r, r}), airlock::Error);
}
