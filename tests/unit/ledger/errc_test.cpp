#include "ledger/errc.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::ledger {
namespace {

TEST(ErrcTest, CodeNamesAreStableSnakeCase)
{
    EXPECT_EQ(CodeName(Errc::exceeds_budget_line), "exceeds_budget_line");
    EXPECT_EQ(CodeName(Errc::spending_exceeds_commitment), "spending_exceeds_commitment");
    EXPECT_EQ(make_error_code(Errc::entry_altered).category().name(),
              std::string("wijkbudget.ledger"));
    for (int value = 1; value <= static_cast<int>(Errc::crypto_failure); ++value) {
        const auto code = CodeName(static_cast<Errc>(value));
        EXPECT_NE(code, "unknown") << value;
        EXPECT_EQ(code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
                  std::string_view::npos);
    }
}

TEST(ErrcTest, DescribeShowsHostileFieldNamesAsEscapes)
{
    const Failure failure =
        MakeFailure(Errc::field_unknown, "payload.\r\x1b[2Kvalid export\xE2\x80\xAE");
    EXPECT_EQ(failure.Describe(), "field_unknown at payload.\\x0d\\x1b[2Kvalid "
                                  "export\\xe2\\x80\\xae: the format does not define "
                                  "this field");
    const Failure long_where = MakeFailure(Errc::field_unknown, std::string(1000, 'k'));
    EXPECT_LT(long_where.Describe().size(), 300U);
}

} // namespace
} // namespace wijkbudget::ledger
