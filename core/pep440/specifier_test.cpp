#include "core/pep440/specifier.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using airlock::pep440::Operator;
using airlock::pep440::Prereleases;
using airlock::pep440::Specifier;
using airlock::pep440::SpecifierSet;
using airlock::pep440::Version;

namespace {

constexpr auto by_spec = Prereleases::by_spec;
constexpr auto allow = Prereleases::allow;
constexpr auto deny = Prereleases::deny;

struct Row {
    const char* spec;
    const char* version;
    bool expected;
    Prereleases prereleases = by_spec;
};

// Each row: does `spec` contain `version`? Written from PEP 440 and checked against pypa/packaging
// 24.1, except where PEP 440 and packaging disagree (marked PEP 440: packaging compares base
// versions in `<` and `>`, pypa/packaging#788).
const Row kSpecifierTable[] = {
    // ==
    {"==2", "2.0", true},
    {"==2.0", "2.0", true},
    {"==2.0.0", "2.0", true},
    {"==2", "2.1", false},
    {"==2.0", "2.0.post1", false},
    {"==2.0.post1", "2.0.post1", true},
    {"==2.0a1", "2.0a1", true},
    {"==2.0a1", "2.0a1", false, deny},
    {"==v2.0", "2.0", true},
    {"==1!2.0", "2.0", false},
    // == and local labels: `==2.5.1` matches every local build, `==2.5.1+cu124` only itself
    {"==2.5.1", "2.5.1+cu124", true},
    {"==2.5.1", "2.5.1+cpu", true},
    {"==2.5.1+cu124", "2.5.1+cu124", true},
    {"==2.5.1+cu124", "2.5.1", false},
    {"==2.5.1+cu124", "2.5.1+cu118", false},
    {"==2.5.1+CU124", "2.5.1+cu124", true},
    // == prefix matching
    {"==2.*", "2.0", true},
    {"==2.*", "2", true},
    {"==2.*", "2.1.3", true},
    {"==2.*", "3.0", false},
    {"==2.0.*", "2", true},
    {"==2.0.*", "2.0.0", true},
    {"==2.0.*", "2.0.post1", true},
    {"==2.0.*", "2.0rc1", false},
    {"==2.0.*", "2.0rc1", true, allow},
    {"==2.0.*", "2.0.1.dev1", true, allow},
    {"==2.0.*", "2.1", false},
    {"==2.5.*", "2.5.1+cu124", true},
    {"==1!2.*", "2.0", false},
    {"==1!2.*", "1!2.0", true},
    // !=
    {"!=2", "2.1", true},
    {"!=2.0", "2.0", false},
    {"!=2.0", "2.0.0", false},
    {"!=2.0", "2.0+deadbeef", false},
    {"!=2.0+deadbeef", "2.0", true},
    {"!=2.0+deadbeef", "2.0+deadbeef", false},
    {"!=1.5.*", "1.5.2", false},
    {"!=1.5.*", "1.6", true},
    {"!=1.5.*", "1.4.9", true},
    {"!=2.0a1", "2.0", true},
    // <= and >= (local labels ignored)
    {"<=2", "2.0", true},
    {"<=2", "2.0+local.version", true},
    {"<=2", "1.9", true},
    {"<=2", "2.0.post1", false},
    {">=2", "2.0", true},
    {">=2", "2.0+local.version", true},
    {">=2", "3.0", true},
    {">=2", "1.9.9", false},
    {">=2", "2.0rc1", false, allow},
    {">=2.0rc1", "2.0rc1", true},
    {">=2.0rc1", "2.0rc2", true},
    {">=2.0rc1", "2.0", true},
    {">=2.0rc1", "2.0b9", false},
    // < excludes pre-releases of the version itself, unless it is a pre-release
    {"<2.0", "1.9", true},
    {"<2.0", "2.0", false},
    {"<2.0", "1.9rc1", false},
    {"<2.0", "1.9rc1", true, allow},
    {"<2.0", "2.0rc1", false, allow},
    {"<2.0", "2.0.dev1", false, allow},
    {"<2.0", "2.0+local", false},
    {"<2.0", "1.9+local", true},
    {"<2.0rc2", "2.0rc1", true},  // `<` naming a pre-release admits them (packaging 22+)
    {"<2.0rc2", "2.0rc1", true, allow},
    {"<2.0rc2", "2.0rc2", false, allow},
    // > excludes post-releases and local builds of the version itself
    {">2", "3", true},
    {">2", "2.1", true},
    {">2", "2.0.1", true},
    {">2", "2.1.post1", true},
    {">2", "2.1+local.version", true},
    {">2", "2", false},
    {">2", "2.0.post1", false},
    {">2", "2.0+local.version", false},
    {">2.0.post1", "2.0.post2", true},
    {">2.0.post1", "2.0.post1+local", false},
    {">2.0a1", "2.0a2", true},  // `>` naming a pre-release admits them (packaging 22+)
    {">2.0a1", "2.0a2", true, allow},
    {">2.0a1", "2.0", true},
    // exclusive ordered comparisons compare the full version (PEP 440)
    {">1.0.dev1", "1.0.post0", true},  // not a post-release *of 1.0.dev1*
    {">1.0.dev1", "1.0+local", true},  // not a local version *of 1.0.dev1*
    {">1.0.dev1", "1.0", true},
    {">1.0.dev1", "1.0.dev2", true},
    {">1.0.dev1", "1.0.dev1+local", false},
    {">1.0a1", "1.0a2+local", true},   // a local version of 1.0a2, not of 1.0a1
    {">1.0a1", "1.0a1.post1", false},  // a post-release of 1.0a1
    {">1.0a1", "1.0a1+local", false},
    {">1.0", "1.0.post1.dev1", false},  // a dev release of a post-release of 1.0
    {">1.0", "1.0.post1+local", false},
    {">1.0", "1.0.1.post1", true},
    {">1.0.post1", "1.0.post1.dev1", false},  // below 1.0.post1
    {">1!1.0", "1.0.post1", false},
    {">1!1.0", "1!1.0.post1", false},
    {"<1.0.post1", "1.0.dev0", true, allow},  // a pre-release of 1.0, not of 1.0.post1
    {"<1.0.post1", "1.0rc1", true, allow},
    {"<1.0.post1", "1.0rc1", false},  // by default no clause names a pre-release
    {"<1.0.post1", "1.0", true},
    {"<1.0.post1", "1.0.post1.dev0", false, allow},  // a pre-release of 1.0.post1
    {"<1.0.post1", "1.0.post0", true},
    {"<1.0", "1.0rc1.post1", false, allow},  // still a pre-release of 1.0
    {"<1.0", "0.9.post1", true},
    {"<1.0", "1.0.post1", false},
    {"<1.0.dev1", "1.0.dev0", true},  // `<` naming a pre-release admits them
    {"<1.0.dev1", "0.9", true},
    {"<1.0rc1", "1.0b2", true},
    {"<1!1.0", "1!1.0rc1", false, allow},
    {"<1!1.0", "1.0rc1", true, allow},
    // ~=
    {"~=2.0", "2.0", true},
    {"~=2.0", "2.1", true},
    {"~=2.0", "2.9.9", true},
    {"~=2.0", "3.0", false},
    {"~=2.0", "1.9", false},
    {"~=2.2.0", "2.2.0", true},
    {"~=2.2.0", "2.2.9", true},
    {"~=2.2.0", "2.3", false},
    {"~=2.2.post3", "2.2.post3", true},
    {"~=2.2.post3", "2.3", true},
    {"~=2.2.post3", "2.2", false},
    {"~=1.4.5a4", "1.4.5", true},
    {"~=1.4.5a4", "1.4.5a4", true},
    {"~=1.4.5a4", "1.4.6b1", true},
    {"~=1.4.5a4", "1.5", false},
    {"~=2.5", "2.5.1+cu124", true},
    {"~=1!2.0", "1!2.5", true},
    {"~=1!2.0", "2.5", false},
    // === (Version objects: compared in their normal form; raw strings: ArbitraryEquality)
    {"===1.0", "1.0", true},
    {"===1.0", "1.0.0", false},
    {"===1.0", "1.0+local", false},
    {"===2.5.1+CU124", "2.5.1+cu124", true},
    {"===1.0a1", "1.0a1", true},  // names a pre-release
    // pre-release switches
    {">=1.0", "2.0a1", false},
    {">=1.0", "2.0a1", true, allow},
    {">=1.0", "2.0.dev1", false},
    {">=1.0a1", "2.0a1", true},
    {">=1.0a1", "2.0", true, deny},
    {"==2.*", "2.0.dev1", false},
};

bool contains(const char* spec, const char* version, Prereleases prereleases) {
    return Specifier::parse(spec).contains(Version::parse(version), prereleases);
}

std::string error_of(void (*f)()) {
    try {
        f();
    } catch (const airlock::Error& e) {
        std::string out = e.chain().front();
        for (std::size_t k = 1; k < e.chain().size(); ++k)
            out += "\n| " + e.chain()[k];
        return out;
    }
    return "(no error)";
}

}  // namespace

TEST(Specifier, ContainsTable) {
    for (const auto& row : kSpecifierTable) {
        SCOPED_TRACE(std::string(row.spec) + " contains " + row.version);
        EXPECT_EQ(contains(row.spec, row.version, row.prereleases), row.expected);
    }
}

TEST(Specifier, ArbitraryEqualityComparesTheTextAsPublished) {
    const struct {
        const char* spec;
        const char* raw;
        bool expected;
    } table[] = {
        {"===1.01", "1.01", true},  {"===1.01", "1.1", false},   {"===1.1", "1.01", false},
        {"===1.0", "1.0.0", false}, {"===1.0A1", "1.0a1", true}, {"===1.0a1", "1.0-a1", false},
        {"===v1.0", "v1.0", true},  {"===v1.0", "1.0", false},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(std::string(row.spec) + " contains " + row.raw);
        auto version = Version::parse(row.raw);
        EXPECT_EQ(Specifier::parse(row.spec).contains(version, row.raw, allow), row.expected);
        EXPECT_EQ(SpecifierSet::parse(row.spec).contains(version, row.raw, allow), row.expected);
    }
}

TEST(Specifier, EqualityComparesNormalisedVersions) {
    const struct {
        const char* a;
        const char* b;
        bool equal;
    } table[] = {
        {"==2.8.0", "==2.8", true},
        {"== 2.8", "==v2.8.0.0", true},
        {"==2.8", "==2.8.1", false},
        {">=1.0", ">1.0", false},
        {">=1.0.0", ">=1", true},
        {"!=1.0.0", "!=1", true},
        {"<2.0rc1", "<2rc1", true},
        {"==1.0.post1", "==1.post1", true},
        {"==1.0+local", "==1+local", true},
        {"==1.0+local", "==1.0+other", false},
        {"==1!2.0", "==1!2", true},
        {"==2!2.0", "==1!2", false},
        {"~=2.2", "~=2.2.0", false},
        {"~=2.2", "~=2.2", true},  // ~= keeps its zeros
        {"==2.8.*", "==2.8.0.*", false},
        {"==2.8.*", "== 2.8.*", true},
        {"===1.0", "===1.0.0", false},
        {"===Foo", "===foo", true},
        {"==0.0", "==0", true},
        {"==10.0", "==10", true},
        {"==1.10", "==1.1", false},
        {"==1.0", "===1.0", false},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(std::string(row.a) + " vs " + row.b);
        EXPECT_EQ(Specifier::parse(row.a) == Specifier::parse(row.b), row.equal);
        EXPECT_EQ(SpecifierSet::parse(row.a) == SpecifierSet::parse(row.b), row.equal);
    }
    EXPECT_EQ(SpecifierSet::parse(">=1.0,<2.0.0"), SpecifierSet::parse("<2, >=1"));
    EXPECT_EQ(SpecifierSet::parse("==2.8.0,==2.8").specifiers().size(), 1u);
}

TEST(Specifier, PrereleaseDetectionCountsEveryOperatorButNotEqual) {
    const struct {
        const char* spec;
        bool allows;
    } table[] = {
        {">=2.0b1", true},          {"<=2.0b1", true},   {"==2.0b1", true},  {"~=2.0b1", true},
        {">2.0b1", true},           {"<1.0.dev1", true}, {"===2.0b1", true}, {"!=2.0b1", false},
        {">=2.0", false},           {"<2.0", false},     {"==2.0.*", false}, {"===foo", false},
        {">=1.0.post1.dev1", true},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.spec);
        EXPECT_EQ(Specifier::parse(row.spec).allows_prereleases(), row.allows);
        EXPECT_EQ(SpecifierSet::parse(row.spec).allows_prereleases(), row.allows);
    }
    // A set admits pre-releases when any clause names one, through every clause.
    EXPECT_TRUE(SpecifierSet::parse(">=1.0,<2.0.dev1").allows_prereleases());
    EXPECT_TRUE(SpecifierSet::parse(">=1.0,<2.0.dev1").contains(Version::parse("1.5b1")));
    EXPECT_FALSE(SpecifierSet::parse(">=1.0,!=1.5b1").allows_prereleases());
}

TEST(Specifier, ParseAndNormalForm) {
    const struct {
        const char* input;
        const char* normal;
        Operator op;
    } table[] = {
        {">=1.2", ">=1.2", Operator::greater_equal},
        {" >= 1.2 ", ">=1.2", Operator::greater_equal},
        {"==v2.5.*", "==2.5.*", Operator::equal},
        {"!=1.5.*", "!=1.5.*", Operator::not_equal},
        {"~=1.4.2", "~=1.4.2", Operator::compatible},
        {"<2.0RC1", "<2.0rc1", Operator::less},
        {">1.0-post1", ">1.0.post1", Operator::greater},
        {"<=3", "<=3", Operator::less_equal},
        {"==2.5.1+CU124", "==2.5.1+cu124", Operator::equal},
        {"===foobar", "===foobar", Operator::arbitrary},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.input);
        auto s = Specifier::parse(row.input);
        EXPECT_EQ(s.to_string(), row.normal);
        EXPECT_EQ(s.op(), row.op);
    }
    EXPECT_TRUE(Specifier::parse("==2.5.*").is_wildcard());
    EXPECT_EQ(Specifier::parse("==2.5.*").version().to_string(), "2.5");
    EXPECT_TRUE(Specifier::parse(">=2.0b1").allows_prereleases());
    EXPECT_FALSE(Specifier::parse("!=2.0b1").allows_prereleases());
    EXPECT_FALSE(Specifier::parse(">=2.0").allows_prereleases());
}

TEST(Specifier, InvalidTable) {
    for (const char* bad : {"", "1.0", "=>1.0", "=1.0", ">=", ">=1.0.*", "<1.*", "~=1", "~=1.*",
                            ">=1.0+local", "<1.0+cu124", "~=1.0+x", "==1.0a1.*", "==1.0+x.*",
                            "==1.0.*.*", ">=foo", "=== a b", ">>1"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(Specifier::try_parse(bad));
        EXPECT_THROW(Specifier::parse(bad), airlock::Error);
    }
}

TEST(Specifier, ErrorMessages) {
    EXPECT_EQ(error_of([] { Specifier::parse("=>1.0"); }),
              "invalid version specifier `=>1.0`: expected an operator (`~=`, `==`, `!=`, `<=`, "
              "`>=`, `<`, `>` or `===`) followed by a version, like `>=1.2`");
    EXPECT_EQ(error_of([] { Specifier::parse(">="); }),
              "invalid version specifier `>=`: expected a version after the operator");
    EXPECT_EQ(error_of([] { Specifier::parse(">=1.0+cu124"); }),
              "invalid version specifier `>=1.0+cu124`: a local version label (`+cu124`) is only "
              "allowed with `==` and `!=`");
    EXPECT_EQ(error_of([] { Specifier::parse("~=1"); }),
              "invalid version specifier `~=1`: `~=` needs at least two release numbers (like "
              "`~=2.2` or `~=1.4.5`)");
    EXPECT_EQ(error_of([] { Specifier::parse(">=1.*"); }),
              "invalid version specifier `>=1.*`: a `.*` suffix is only allowed with `==` and "
              "`!=`");
    EXPECT_EQ(error_of([] { Specifier::parse("==1.0rc1.*"); }),
              "invalid version specifier `==1.0rc1.*`: a `.*` suffix must follow release "
              "numbers only (like `==1.2.*`)");
    EXPECT_EQ(error_of([] { Specifier::parse(">=1.0-foo"); }),
              "invalid version specifier `>=1.0-foo`: invalid version `1.0-foo`: unexpected "
              "`-foo` after `1.0` (after the release numbers PEP 440 allows only `aN`, `bN`, "
              "`rcN`, `.postN`, `.devN` and `+local`)");
}

TEST(SpecifierSet, ParseCanonicalForm) {
    auto set = SpecifierSet::parse("  >=1.2, <2,!=1.5.*");
    EXPECT_EQ(set.to_string(), "!=1.5.*,<2,>=1.2");
    EXPECT_EQ(set.specifiers().size(), 3u);
    EXPECT_FALSE(set.empty());
    EXPECT_EQ(SpecifierSet::parse(">=1.0,>=1.0, >= v1.0").to_string(), ">=1.0");
    EXPECT_EQ(SpecifierSet::parse(">=1.0,,<2,").to_string(), "<2,>=1.0");
    EXPECT_TRUE(SpecifierSet::parse("").empty());
    EXPECT_TRUE(SpecifierSet::parse("  ").empty());
    EXPECT_EQ(SpecifierSet::parse("").to_string(), "");
    EXPECT_EQ(SpecifierSet::parse("<2,>=1.2").intersect(SpecifierSet::parse("!=1.5.*")), set);
    EXPECT_EQ(set.intersect(set), set);
}

TEST(SpecifierSet, ContainsTable) {
    const struct {
        const char* set;
        const char* version;
        bool expected;
        Prereleases prereleases = by_spec;
    } table[] = {
        {">=1.2, <2,!=1.5.*", "1.2", true},
        {">=1.2, <2,!=1.5.*", "1.9.9", true},
        {">=1.2, <2,!=1.5.*", "1.5.3", false},
        {">=1.2, <2,!=1.5.*", "2.0", false},
        {">=1.2, <2,!=1.5.*", "1.1", false},
        {">=1.2, <2,!=1.5.*", "1.8rc1", false},
        {">=1.2, <2,!=1.5.*", "1.8rc1", true, allow},
        {">=1.2, <2,!=1.5.*", "2.0rc1", false, allow},
        // a clause naming a pre-release lets pre-releases through every clause
        {">=1.0a1,<2", "1.5a1", true},
        {">=1.0a1,<2", "1.5a1", false, deny},
        {">=1.0,<2", "1.5a1", false},
        // the empty set: every final release, no pre-release unless allowed
        {"", "1.0", true},
        {"", "1.0+cu124", true},
        {"", "1.0a1", false},
        {"", "1.0a1", true, allow},
        // CUDA local builds, as on download.pytorch.org
        {"==2.5.1", "2.5.1+cu124", true},
        {"==2.5.1+cu124", "2.5.1+cu118", false},
        {">=2.5,<2.6", "2.5.1+cu124", true},
        {">2.5.1", "2.5.1+cu124", false},
        {"~=2.5.0", "2.5.1+cu124", true},
        {"==2.5.*", "2.5.1+cu124", true},
        {"!=2.5.1", "2.5.1+cu124", false},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(std::string(row.set) + " contains " + row.version);
        EXPECT_EQ(
            SpecifierSet::parse(row.set).contains(Version::parse(row.version), row.prereleases),
            row.expected);
    }
}

TEST(SpecifierSet, ErrorNamesTheBadClause) {
    EXPECT_EQ(error_of([] { SpecifierSet::parse(">=1.2, =>2"); }),
              "invalid version specifier `=>2`: expected an operator (`~=`, `==`, `!=`, `<=`, "
              "`>=`, `<`, `>` or `===`) followed by a version, like `>=1.2`\n"
              "| in the specifier set `>=1.2, =>2`");
    EXPECT_EQ(error_of([] { SpecifierSet::parse("<2.0+x"); }),
              "invalid version specifier `<2.0+x`: a local version label (`+x`) is only allowed "
              "with `==` and `!=`");
    EXPECT_FALSE(SpecifierSet::try_parse(">=1.2, =>2"));
    EXPECT_TRUE(SpecifierSet::try_parse(">=1.2, <2"));
}
