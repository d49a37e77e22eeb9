#include "builder/cli/app.hpp"

#include "core/base/atomic_file.hpp"

#include "builder/pack/signing_key.hpp"
#include "core/base/error.hpp"
#include "core/bundle/minisign.hpp"

#include <iostream>
#include <memory>

namespace airlock::builder {
namespace {

struct KeygenOptions {
    std::string out;
    bool no_password = false;
    bool force = false;
};

void run_keygen(const KeygenOptions& o) {
    std::filesystem::path secret = o.out + ".key";
    std::filesystem::path pub = o.out + ".pub";
    auto overwrite = o.force ? Overwrite::yes : Overwrite::no;
    if (overwrite == Overwrite::no) {
        // Check both before asking for a password or writing anything.
        for (const auto& p : {secret, pub}) {
            std::error_code ec;
            if (std::filesystem::symlink_status(p, ec).type() !=
                std::filesystem::file_type::not_found) {
                throw Error(quote(p.string()) + " already exists")
                    .with_hint("choose another --out, or pass --force to replace it");
            }
        }
    }
    std::optional<std::string> password;
    if (!o.no_password) {
        password = pack::obtain_password("Password for the new secret key", pack::Confirm::yes);
    }
    auto pair = bundle::generate_keypair();
    if (password)
        std::cerr << "Deriving a key from the password (scrypt, about 1 GiB)...\n";
    std::string secret_text = pair.secret.to_text(password);
    write_file_atomically(secret, secret_text,
                          {.mode = 0600, .overwrite = overwrite, .durability = Durability::fsync});
    write_file_atomically(pub, pair.public_key.to_text(),
                          {.mode = 0644, .overwrite = overwrite, .durability = Durability::fsync});
    std::cout << "key id:      " << bundle::to_string(pair.public_key.id) << "\n"
              << "secret key:  " << secret.string()
              << (password ? " (password-protected)" : " (NOT password-protected)") << "\n"
              << "public key:  " << pub.string() << "\n\n"
              << "Sign bundles with `airlock-build build ... --key " << secret.string()
              << "`; give " << pub.string()
              << " to the sites that install them (`airlock-install ... --key " << pub.string()
              << "`). Keep the secret key off shared machines.\n";
}

}  // namespace

void add_keygen_command(CLI::App& app) {
    auto o = std::make_shared<KeygenOptions>();
    auto* cmd = app.add_subcommand(
        "keygen",
        "Create a minisign key pair for signing bundles: PREFIX.key (secret, mode 0600) and "
        "PREFIX.pub (public). The password is asked twice on the terminal; for unattended use "
        "set AIRLOCK_KEY_PASSWORD. Without a terminal and without --no-password it fails rather "
        "than prompt.");
    cmd->footer(
        "Example:\n  airlock-build keygen --out site   # writes site.key (secret) and site.pub");
    cmd->add_option("--out", o->out, "Prefix of the key files (writes PREFIX.key, PREFIX.pub)")
        ->required();
    cmd->add_flag("--no-password", o->no_password,
                  "Store the secret key unencrypted (like `minisign -W`)");
    cmd->add_flag("--force", o->force, "Replace existing key files");
    cmd->callback([o] { within("creating a signing key", [&] { run_keygen(*o); }); });
}

}  // namespace airlock::builder
