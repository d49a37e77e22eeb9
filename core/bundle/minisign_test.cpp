#include "core/bundle/minisign.hpp"
#include "core/bundle/base64.hpp"
#include "core/bundle/blake2b.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/process.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

namespace airlock::bundle {
namespace fs = std::filesystem;
namespace {

std::string hex(const std::vector<std::uint8_t>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

// Vectors from Python's hashlib.blake2b (RFC 7693 reference implementation).
struct Blake2Case {
    std::string message;
    const char* b256;
    const char* b512;
};

std::string byte_ramp() {
    std::string s;
    for (int r = 0; r < 5; ++r)
        for (int i = 0; i < 256; ++i)
            s += static_cast<char>(i);
    return s;
}

TEST(Blake2b, MatchesReferenceVectors) {
    const Blake2Case cases[] = {
        {"", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
         "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444"
         "934eb04b903a685b1448b755d56f701afe9be2ce"},
        {"abc", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
         "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de"
         "4533cc9518d38aa8dbf1925ab92386edd4009923"},
        {std::string(127, 'a'), "59e2f1aba240f20aa591016f5ef429990bc9c2131dcd0d30f0ffd75ed18f317d",
         "94596b9d6199c807c40ae1a935f3633ba5a8dd5655f7f1bd44f5285b1ce8dbb0054771eba409539df85a9632"
         "96d28788807105153c90fa3ec3d761228e90f8b8"},
        {std::string(128, 'a'), "ae2aa48507885c4c950fb809b2076f959cde9f8ea6da260d9a3587df33dac450",
         "fc6c71f688f43ea7d60817478808f3cac753e61571865c95adbc2d9122c943a76b92c2cb1047ef3fe7bf6e43"
         "6ec1d0a99a9e5b216780bf7fed9d7ca91d3a8f3b"},
        {std::string(129, 'a'), "2f64744a6de0d2c0b56e64cf6e29a5aaa255010d415d51c75ccc82f73dccd865",
         "55e6e0eb418149a8af92fd9ddc99254781b2f522a131b4f4d984404b71a00e1167b8124d5dcddd4c6977b299"
         "392335d6edd303da6d344d74bbef2d38101b232b"},
        {byte_ramp(), "82628cbfc9689e234b0923a531f4578fe2e7138a03e2f81ed6cde97517336650",
         "a86b784c748f990b998e6d30d71e20cc95228d2b08dd85e29f63e4de8d8839bdf935f4291537af5014fe44c0"
         "b578a073e4c9217c7b05542d0c450784c30bac8a"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(hex(blake2b(c.message, 32)), c.b256) << c.message.size();
        EXPECT_EQ(hex(blake2b(c.message, 64)), c.b512) << c.message.size();
        // Fed in uneven pieces, the digest is the same.
        Blake2b h(64);
        for (std::size_t i = 0; i < c.message.size(); i += 7)
            h.update(c.message.substr(i, 7));
        EXPECT_EQ(hex(h.final()), c.b512);
    }
}

TEST(Base64, RoundTripAndStrictDecode) {
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        EXPECT_EQ(base64_try_decode(base64_encode(s)), s);
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_FALSE(base64_try_decode("Zm8"));
    EXPECT_FALSE(base64_try_decode("Zm=8"));
    EXPECT_FALSE(base64_try_decode("Zm9v!mFy"));
}

// Cheap scrypt for tests (N=2^13); real keys use minisign's defaults.
constexpr KdfLimits test_limits{1 << 20, 8 << 20};

TEST(Minisign, SignVerifyAndRoundTripKeys) {
    auto kp = generate_keypair();
    auto pk = PublicKey::parse(kp.public_key.to_text(), "key.pub");
    EXPECT_EQ(pk.id, kp.public_key.id);
    EXPECT_EQ(pk.key, kp.public_key.key);
    EXPECT_EQ(pk.untrusted_comment, "minisign public key " + to_string(pk.id));

    auto plain = SecretKey::parse(kp.secret.to_text(std::nullopt), "key", std::nullopt);
    EXPECT_EQ(plain.key, kp.secret.key);
    EXPECT_FALSE(SecretKey::is_encrypted(kp.secret.to_text(std::nullopt), "key"));

    std::string locked = kp.secret.to_text(std::string("hunter2"), test_limits);
    EXPECT_TRUE(SecretKey::is_encrypted(locked, "key"));
    EXPECT_EQ(SecretKey::parse(locked, "key", std::string("hunter2")).key, kp.secret.key);
    EXPECT_THROW(SecretKey::parse(locked, "key", std::string("wrong")), Error);
    EXPECT_THROW(SecretKey::parse(locked, "key", std::nullopt), Error);

    auto sig = sign("payload", kp.secret, "name:x\tsequence:1");
    auto parsed = Signature::parse(sig.to_text(), "x.minisig");
    EXPECT_EQ(parsed.trusted_comment, "name:x\tsequence:1");
    EXPECT_EQ(verify("payload", parsed, {pk}), pk.id);
    EXPECT_THROW(verify("payloaD", parsed, {pk}), Error);
    parsed.trusted_comment = "name:x\tsequence:2";
    EXPECT_THROW(verify("payload", parsed, {pk}), Error);
}

TEST(Minisign, WrongKeyNamesBothIds) {
    auto a = generate_keypair();
    auto b = generate_keypair();
    auto sig = sign("x", a.secret, "c");
    try {
        verify("x", sig, {b.public_key});
        FAIL();
    } catch (const Error& e) {
        std::string what = e.what();
        EXPECT_NE(what.find(to_string(a.public_key.id)), std::string::npos) << what;
        EXPECT_NE(what.find(to_string(b.public_key.id)), std::string::npos) << what;
    }
}

TEST(Minisign, MalformedFilesNameTheLine) {
    try {
        Signature::parse("untrusted comment: x\nnot base64!\ntrusted comment: y\nAAAA\n",
                         "s.minisig");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "s.minisig:2: the signature is not valid base64");
    }
    try {
        PublicKey::parse("comment: x\nRWQ=\n", "k.pub");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "k.pub:1: expected a line starting with `untrusted comment: `");
    }
}

// ---- interoperability with Debian's minisign binary -------------------------------------------

// Debian's minisign (packaging/setup.sh installs it): missing, these tests fail, never skip.
class MinisignBinary : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(test_support::run_shell("minisign -v", test_support::Stderr::discarded).exit_code,
                  0)
            << "minisign is not installed: apt-get install minisign (packaging/setup.sh does)";
    }
    void write(const std::string& name, const std::string& text) {
        test_support::write_file(dir_ / name, text);
    }
    std::string read(const std::string& name) { return test_support::read_file(dir_ / name); }
    /// `cmd` run by the shell in the test's directory; its exit code.
    int run(const std::string& cmd) {
        return test_support::run_shell(cmd, test_support::Stderr::discarded, dir_).exit_code;
    }
    test_support::TempDir temp_{"airlock-minisign-"};
    fs::path dir_ = temp_.path();
};

TEST_F(MinisignBinary, MinisignVerifiesOurSignatures) {
    auto kp = generate_keypair();
    write("k.pub", kp.public_key.to_text());
    write("file", "hello world\n");
    write("file.minisig", sign("hello world\n", kp.secret, "bundle:x").to_text());
    EXPECT_EQ(run("minisign -V -p k.pub -m file"), 0);
    // minisign signs with our unencrypted secret key too.
    write("k.key", kp.secret.to_text(std::nullopt));
    EXPECT_EQ(
        run("rm file.minisig && minisign -S -s k.key -m file && minisign -V -p k.pub -m file"), 0);
    write("file", "hello world!\n");
    EXPECT_NE(run("minisign -V -p k.pub -m file"), 0);
}

TEST_F(MinisignBinary, WeVerifyMinisignsSignaturesAndKeys) {
    ASSERT_EQ(run("minisign -G -W -p m.pub -s m.key"), 0);
    write("file", "some bytes");
    ASSERT_EQ(run("minisign -S -s m.key -m file -t 'trusted words'"), 0);
    auto pk = PublicKey::load(dir_ / "m.pub");
    auto sig = Signature::parse(read("file.minisig"), "file.minisig");
    EXPECT_EQ(sig.trusted_comment, "trusted words");
    EXPECT_EQ(verify("some bytes", sig, {pk}), pk.id);
    // Its unencrypted secret key reads as ours, and we sign with it.
    auto sk = SecretKey::parse(read("m.key"), "m.key", std::nullopt);
    EXPECT_EQ(sk.public_key().key, pk.key);
    write("file.minisig", sign("some bytes", sk, "ours").to_text());
    EXPECT_EQ(run("minisign -V -p m.pub -m file"), 0);
}

TEST_F(MinisignBinary, MinisignUsesOurPasswordProtectedKey) {
    auto kp = generate_keypair();
    write("k.pub", kp.public_key.to_text());
    write("k.key", kp.secret.to_text(std::string("correct horse"), test_limits));
    write("file", "data");
    ASSERT_EQ(run("echo 'correct horse' | minisign -S -s k.key -m file -t t"), 0);
    EXPECT_EQ(verify("data", Signature::parse(read("file.minisig"), "f"), {kp.public_key}),
              kp.public_key.id);
    EXPECT_NE(run("rm file.minisig; echo 'wrong' | minisign -S -s k.key -m file"), 0);
}

}  // namespace
}  // namespace airlock::bundle
