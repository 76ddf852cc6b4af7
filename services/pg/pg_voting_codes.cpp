#include "services/pg/pg_voting_codes.hpp"

#include "ledger/errc.hpp"
#include "ledger/hex.hpp"

#include <soci/soci.h>

#include <algorithm>

namespace wijkbudget::services::pg {
namespace {

//! Hashes per INSERT: a few hundred kilobytes of statement, well within what PostgreSQL takes.
constexpr std::size_t HASHES_PER_STATEMENT{10'000};

//! A PostgreSQL text[] literal of hex strings; hex needs no quoting.
std::string HexArray(std::span<const ledger::Hash> hashes)
{
    std::string literal = "{";
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        if (i > 0) literal += ',';
        literal += ledger::ToHex(hashes[i]);
    }
    return literal + "}";
}

ledger::Failure StorageFailure()
{
    return ledger::Failure{ledger::Errc::storage_unavailable, "voting codes"};
}

} // namespace

boost::system::result<void, ledger::Failure>
PgVotingCodes::PutBatch(const ledger::Slug& round, const ledger::Hash& digest,
                        std::span<const ledger::Hash> hashes)
{
    const std::string digest_hex = ledger::ToHex(digest);
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        soci::transaction transaction{sql};
        // The same batch again (a retry after its codes.issued failed): already stored, whole.
        long long stored = 0;
        sql << "SELECT count(*) FROM voting_codes WHERE round = :round "
               "AND batch_digest = decode(:digest, 'hex')",
            soci::use(round.value), soci::use(digest_hex), soci::into(stored);
        if (stored > 0 && static_cast<std::size_t>(stored) == hashes.size()) return {};
        for (std::size_t start = 0; start < hashes.size(); start += HASHES_PER_STATEMENT) {
            const std::string array = HexArray(
                hashes.subspan(start, std::min(HASHES_PER_STATEMENT, hashes.size() - start)));
            sql << "INSERT INTO voting_codes (round, code_hash, batch_digest) "
                   "SELECT :round, decode(h, 'hex'), decode(:digest, 'hex') "
                   "FROM unnest(CAST(:hashes AS text[])) AS t(h)",
                soci::use(round.value), soci::use(digest_hex), soci::use(array);
        }
        transaction.commit();
    } catch (const soci::soci_error& error) {
        // A code hash already stored for the round: a duplicate in the batch, or a batch again.
        if (std::string_view{error.what()}.find("voting_codes_pkey") != std::string_view::npos) {
            return ledger::Failure{ledger::Errc::field_invalid,
                                   "codes: a code hash is stored already"};
        }
        return StorageFailure();
    }
    return {};
}

boost::system::result<std::optional<ledger::Hash>, ledger::Failure>
PgVotingCodes::BatchOf(const ledger::Slug& round, const ledger::Hash& code_hash)
{
    const std::string hash_hex = ledger::ToHex(code_hash);
    std::string digest_hex;
    soci::indicator found = soci::i_null;
    try {
        ReadOnPooledSession(m_pool, m_check, [&](soci::session& sql) {
            sql << "SELECT encode(batch_digest, 'hex') FROM voting_codes "
                   "WHERE round = :round AND code_hash = decode(:hash, 'hex')",
                soci::use(round.value), soci::use(hash_hex), soci::into(digest_hex, found);
        });
    } catch (const soci::soci_error&) {
        return StorageFailure();
    }
    if (found != soci::i_ok) return std::optional<ledger::Hash>{};
    auto digest = ledger::HashFromHex(digest_hex);
    if (!digest) return StorageFailure();
    return std::optional<ledger::Hash>{*digest};
}

} // namespace wijkbudget::services::pg
