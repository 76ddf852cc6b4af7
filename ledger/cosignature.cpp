#include "ledger/cosignature.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"
#include "ledger/note.hpp"

#include <array>

namespace wijkbudget::ledger {

std::string CosignatureMessage(std::string_view checkpoint_body, std::uint64_t timestamp)
{
    WB_ASSERT(timestamp <= COSIGNATURE_TIMESTAMP_MAX);
    std::string message(COSIGNATURE_HEADER);
    message += "time ";
    message += std::to_string(timestamp);
    message += '\n';
    message += checkpoint_body;
    return message;
}

boost::system::result<std::string> Cosign(const Checkpoint& checkpoint, const SignerKey& witness,
                                          std::uint64_t timestamp)
{
    if (witness.Type() != KeyType::cosignature_ed25519) {
        return make_error_code(Errc::key_malformed);
    }
    if (timestamp > COSIGNATURE_TIMESTAMP_MAX) return make_error_code(Errc::note_malformed);
    const auto body = FormatCheckpoint(checkpoint);
    if (!body) return body.error();
    const auto signature = witness.Sign(CosignatureMessage(*body, timestamp));
    if (!signature) return signature.error();

    std::array<std::uint8_t, COSIGNATURE_BYTES> timestamped{};
    for (std::size_t index = 0; index < COSIGNATURE_TIMESTAMP_BYTES; ++index) {
        const std::size_t shift = 8 * (COSIGNATURE_TIMESTAMP_BYTES - 1 - index);
        timestamped[index] = static_cast<std::uint8_t>(timestamp >> shift);
    }
    std::copy(signature->begin(), signature->end(),
              timestamped.begin() + COSIGNATURE_TIMESTAMP_BYTES);
    return FormatSignatureLine(witness.Name(), witness.Id(), timestamped);
}

boost::system::result<std::uint64_t>
VerifyCosignature(const VerifierKey& witness, std::string_view checkpoint_body,
                  std::span<const std::uint8_t> timestamped_signature)
{
    if (witness.type != KeyType::cosignature_ed25519) {
        return make_error_code(Errc::key_malformed);
    }
    if (timestamped_signature.size() != COSIGNATURE_BYTES) {
        return make_error_code(Errc::signature_invalid);
    }
    std::uint64_t timestamp = 0;
    for (std::size_t index = 0; index < COSIGNATURE_TIMESTAMP_BYTES; ++index) {
        timestamp = (timestamp << 8U) | timestamped_signature[index];
    }
    if (timestamp > COSIGNATURE_TIMESTAMP_MAX) return make_error_code(Errc::signature_invalid);
    const auto verified =
        VerifyEd25519(witness.public_key, CosignatureMessage(checkpoint_body, timestamp),
                      timestamped_signature.subspan(COSIGNATURE_TIMESTAMP_BYTES));
    if (!verified) return verified.error();
    return timestamp;
}

} // namespace wijkbudget::ledger
