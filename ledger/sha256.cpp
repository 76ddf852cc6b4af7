#include "ledger/sha256.hpp"

#include "ledger/assert.hpp"

#include <openssl/evp.h>

namespace wijkbudget::ledger {
namespace {

EVP_MD_CTX* Context(void* context)
{
    return static_cast<EVP_MD_CTX*>(context);
}

//! The SHA-256 implementation, fetched once: OpenSSL 3 looks EVP_sha256() up in its provider
//! table on every init, which tripled the cost of hashing a Merkle node.
const EVP_MD* Sha256Algorithm()
{
    static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    WB_ASSERT(algorithm != nullptr);
    return algorithm;
}

} // namespace

Sha256::Sha256() : m_context{EVP_MD_CTX_new()}
{
    // Out of memory in a hash context leaves nothing sensible to do.
    WB_ASSERT(m_context != nullptr);
    WB_ASSERT(EVP_DigestInit_ex(Context(m_context), Sha256Algorithm(), nullptr) == 1);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(Context(m_context));
}

void Sha256::Update(std::span<const std::uint8_t> bytes)
{
    WB_ASSERT(EVP_DigestUpdate(Context(m_context), bytes.data(), bytes.size()) == 1);
}

void Sha256::Update(std::string_view bytes)
{
    WB_ASSERT(EVP_DigestUpdate(Context(m_context), bytes.data(), bytes.size()) == 1);
}

Hash Sha256::Finish()
{
    Hash digest{};
    unsigned int length = 0;
    WB_ASSERT(EVP_DigestFinal_ex(Context(m_context), digest.data(), &length) == 1);
    WB_ASSERT(length == HASH_BYTES);
    WB_ASSERT(EVP_DigestInit_ex(Context(m_context), Sha256Algorithm(), nullptr) == 1);
    return digest;
}

// One context per thread, reused: allocating a context per hash costs as much as the hash.
Hash Sha256Of(std::span<const std::uint8_t> bytes)
{
    thread_local Sha256 hasher;
    hasher.Update(bytes);
    return hasher.Finish();
}

Hash Sha256Of(std::string_view bytes)
{
    thread_local Sha256 hasher;
    hasher.Update(bytes);
    return hasher.Finish();
}

} // namespace wijkbudget::ledger
