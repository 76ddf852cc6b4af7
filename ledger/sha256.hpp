#pragma once
// ledger/sha256.hpp: SHA-256 through OpenSSL's EVP interface, and the Hash value type.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace wijkbudget::ledger {

inline constexpr std::size_t HASH_BYTES{32};

//! A SHA-256 digest.
using Hash = std::array<std::uint8_t, HASH_BYTES>;

//! Incremental SHA-256; reusable after Finish().
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void Update(std::span<const std::uint8_t> bytes);
    void Update(std::string_view bytes);
    //! Returns the digest of everything since construction or the last Finish().
    Hash Finish();

private:
    void* m_context; //!< EVP_MD_CTX*, kept opaque so that OpenSSL stays out of this header.
};

Hash Sha256Of(std::span<const std::uint8_t> bytes);
Hash Sha256Of(std::string_view bytes);

} // namespace wijkbudget::ledger
