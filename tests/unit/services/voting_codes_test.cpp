// Voting codes: their shape and entropy, the forgiving reading, the check symbol, and the hashes.
#include "ledger/hex.hpp"
#include "services/voting_codes.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <set>

namespace wijkbudget::services {
namespace {

using RandomBytes = std::array<std::uint8_t, VOTING_CODE_RANDOM_BYTES>;

RandomBytes Bytes(std::uint8_t fill)
{
    RandomBytes bytes;
    bytes.fill(fill);
    return bytes;
}

TEST(VotingCodesTest, ACodeIsFourGroupsAndReadsBackCanonical)
{
    const std::string code = MakeVotingCode(Bytes(0xA5));
    ASSERT_EQ(code.size(), 17U); // 14 symbols, 3 hyphens.
    EXPECT_EQ(code[4], '-');
    EXPECT_EQ(code[9], '-');
    EXPECT_EQ(code[14], '-');
    auto canonical = CanonicalVotingCode(code);
    ASSERT_TRUE(canonical.has_value());
    EXPECT_EQ(canonical->size(), 14U);
    EXPECT_EQ(canonical->find('-'), std::string::npos);
}

TEST(VotingCodesTest, TypingIsForgivingAboutCaseSpacesAndLookalikes)
{
    // All zero bits: thirteen '0' symbols and the check symbol for them.
    const std::string code = MakeVotingCode(Bytes(0));
    const auto canonical = CanonicalVotingCode(code);
    ASSERT_TRUE(canonical.has_value());
    std::string typed;
    for (char c : *canonical)
        typed += c == '0' ? 'o' : static_cast<char>(std::tolower(c));
    typed.insert(5, "  ");
    EXPECT_EQ(CanonicalVotingCode(typed), canonical);
}

TEST(VotingCodesTest, EverySingleWrongSymbolIsCaught)
{
    constexpr std::string_view ALPHABET{"0123456789ABCDEFGHJKMNPQRSTVWXYZ"};
    const auto canonical = *CanonicalVotingCode(MakeVotingCode(Bytes(0x3C)));
    for (std::size_t position = 0; position < canonical.size(); ++position) {
        for (const char symbol : ALPHABET) {
            if (symbol == canonical[position]) continue;
            std::string typo = canonical;
            typo[position] = symbol;
            EXPECT_FALSE(CanonicalVotingCode(typo).has_value()) << typo;
        }
    }
}

TEST(VotingCodesTest, MostSwappedNeighboursAreCaught)
{
    std::mt19937 random{2026};
    std::size_t swaps = 0, caught = 0;
    for (int round = 0; round < 200; ++round) {
        RandomBytes bytes;
        for (auto& byte : bytes)
            byte = static_cast<std::uint8_t>(random());
        const auto canonical = *CanonicalVotingCode(MakeVotingCode(bytes));
        for (std::size_t position = 0; position + 1 < canonical.size(); ++position) {
            if (canonical[position] == canonical[position + 1]) continue;
            std::string swapped = canonical;
            std::swap(swapped[position], swapped[position + 1]);
            ++swaps;
            if (!CanonicalVotingCode(swapped)) ++caught;
        }
    }
    // Luhn mod 32 misses only swaps of two symbols whose values differ by 31 (0 and Z).
    EXPECT_GE(caught * 100, swaps * 99);
}

TEST(VotingCodesTest, MalformedCodesAreRefused)
{
    EXPECT_FALSE(CanonicalVotingCode("").has_value());
    EXPECT_FALSE(CanonicalVotingCode("ABCD-EFGH").has_value());
    EXPECT_FALSE(CanonicalVotingCode("ABCD-EFGH-JKMN-PU").has_value()); // U is not a symbol.
    EXPECT_FALSE(CanonicalVotingCode(std::string(VOTING_CODE_TYPED_BYTES_MAX + 1, '-')));
    const std::string code = MakeVotingCode(Bytes(7));
    EXPECT_FALSE(CanonicalVotingCode(code + "0").has_value());
}

TEST(VotingCodesTest, CodesCarrySixtyFiveRandomBits)
{
    // Each of the 72 random bits but the last 7 changes the code; those 7 are dropped.
    const std::string base = MakeVotingCode(Bytes(0));
    std::set<std::string> codes{base};
    for (std::size_t bit = 0; bit < 8 * VOTING_CODE_RANDOM_BYTES; ++bit) {
        RandomBytes bytes = Bytes(0);
        bytes[bit / 8] = static_cast<std::uint8_t>(1U << (7 - bit % 8));
        const bool changes = MakeVotingCode(bytes) != base;
        EXPECT_EQ(changes, bit < 5 * VOTING_CODE_RANDOM_SYMBOLS) << bit;
        codes.insert(MakeVotingCode(bytes));
    }
    EXPECT_EQ(codes.size(), 1 + 5 * VOTING_CODE_RANDOM_SYMBOLS);
}

TEST(VotingCodesTest, HashAndNullifierDifferAndDependOnTheRound)
{
    const auto canonical = *CanonicalVotingCode(MakeVotingCode(Bytes(9)));
    const ledger::Slug round{"r-1"}, other{"r-2"};
    EXPECT_NE(VotingCodeHash(round, canonical), NullifierOf(round, canonical));
    EXPECT_NE(VotingCodeHash(round, canonical), VotingCodeHash(other, canonical));
    EXPECT_NE(NullifierOf(round, canonical), NullifierOf(other, canonical));
    EXPECT_EQ(NullifierOf(round, canonical), NullifierOf(round, canonical));
}

TEST(VotingCodesTest, TheDigestIsOfTheSortedSet)
{
    const ledger::Hash a = ledger::Sha256Of(std::string_view{"a"});
    const ledger::Hash b = ledger::Sha256Of(std::string_view{"b"});
    EXPECT_EQ(CodesDigest({a, b}), CodesDigest({b, a}));
    EXPECT_NE(CodesDigest({a, b}), CodesDigest({a}));
    // SHA-256 of the sorted hashes, concatenated.
    std::string joined;
    for (const auto& hash : a < b ? std::array{a, b} : std::array{b, a})
        joined.append(hash.begin(), hash.end());
    EXPECT_EQ(CodesDigest({a, b}), ledger::Sha256Of(std::string_view{joined}));
}

} // namespace
} // namespace wijkbudget::services
