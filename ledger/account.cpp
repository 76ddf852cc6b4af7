#include "ledger/account.hpp"

#include <charconv>
#include <vector>

namespace wijkbudget::ledger {
namespace {

std::vector<std::string_view> SplitColons(std::string_view name)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t colon = name.find(':', start);
        parts.push_back(name.substr(start, colon - start));
        if (colon == std::string_view::npos) return parts;
        start = colon + 1;
    }
}

std::optional<Slug> SlugOf(std::string_view text)
{
    if (text.size() > SLUG_BYTES_MAX || !SlugRule::Check(text)) return std::nullopt;
    return Slug{std::string(text)};
}

std::optional<Year> YearOf(std::string_view text)
{
    // Four digits exactly: one spelling per account.
    if (text.size() != 4 || text.front() == '0') return std::nullopt;
    std::int32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (value < YEAR_MIN || value > YEAR_MAX) return std::nullopt;
    return Year{value};
}

} // namespace

Account PoolAccount()
{
    return Account{};
}

Account LineAccount(const Slug& council, Year year, BudgetCategory category)
{
    return Account{AccountType::line, council, year, category, {}};
}

Account CommitmentAccount(const Slug& council, const Slug& commitment)
{
    return Account{AccountType::commitment, council, {}, BudgetCategory::public_space, commitment};
}

Account SpentAccount(const Slug& council, Year year, BudgetCategory category)
{
    return Account{AccountType::spent, council, year, category, {}};
}

std::string AccountName(const Account& account)
{
    switch (account.type) {
    case AccountType::pool: return "pool";
    case AccountType::commitment:
        return "commitment:" + account.council.value + ":" + account.commitment.value;
    case AccountType::line:
    case AccountType::spent:
        return std::string(account.type == AccountType::line ? "line:" : "spent:") +
               account.council.value + ":" + std::to_string(account.year.value) + ":" +
               std::string(SpellingOf(account.category));
    }
    return {};
}

std::optional<Account> ParseAccountName(std::string_view name)
{
    const auto parts = SplitColons(name);
    if (parts.size() == 1 && parts[0] == "pool") return PoolAccount();
    if (parts.size() < 3) return std::nullopt;
    auto council = SlugOf(parts[1]);
    if (!council) return std::nullopt;
    if (parts.size() == 3 && parts[0] == "commitment") {
        auto commitment = SlugOf(parts[2]);
        if (!commitment) return std::nullopt;
        return CommitmentAccount(*council, *commitment);
    }
    if (parts.size() != 4 || (parts[0] != "line" && parts[0] != "spent")) return std::nullopt;
    auto year = YearOf(parts[2]);
    auto category = EnumFromSpelling<BudgetCategory>(parts[3]);
    if (!year || !category) return std::nullopt;
    return parts[0] == "line" ? LineAccount(*council, *year, *category)
                              : SpentAccount(*council, *year, *category);
}

bool IsDebitAccount(AccountType type)
{
    return type == AccountType::pool;
}

std::vector<Posting> TransferPostings(const Account& from, const Account& to, Cents amount)
{
    return {Posting{Token{AccountName(from)}, PostingSide::debit, amount, {}, 0},
            Posting{Token{AccountName(to)}, PostingSide::credit, amount, {}, 0}};
}

} // namespace wijkbudget::ledger
