#pragma once
// api/main_admin.hpp: the operators' commands of the wijkbudget executable.

#include <filesystem>
#include <string>

namespace wijkbudget::cli {

struct MigrateOptions {
    std::filesystem::path config;
};
struct KeygenOptions {
    std::string name;
    std::filesystem::path out;
};
struct TokenCreateOptions {
    std::filesystem::path config;
    std::string role;
    std::string name;
    std::string council;
    int days{30};
};
struct TokenRevokeOptions {
    std::filesystem::path config;
    std::string id;
};
struct AccountCreateOptions {
    std::filesystem::path config;
    std::string login;
    std::string role;
    std::string member;
    std::string council;
    //! Replace an existing login's password and grant, revoking its member's live tokens.
    bool reset{false};
};

struct VkeyOptions {
    std::filesystem::path config;
};

int RunVkey(const VkeyOptions& options);
int RunMigrate(const MigrateOptions& options);
int RunKeygen(const KeygenOptions& options);
int RunTokenCreate(const TokenCreateOptions& options);
int RunTokenRevoke(const TokenRevokeOptions& options);
int RunAccountCreate(const AccountCreateOptions& options);

} // namespace wijkbudget::cli
