// BinaryArray against the real server: what PostgreSQL unnests from the binary parameter is
// exactly what went in (texts no text literal could carry unescaped, NULLs, each integer width
// at its limits, the empty array), and a parameter cast to the wrong element type is refused.
#include "ledger/pg/binary_array.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/pipeline.hpp"
#include "tests/integration/pg/pg_test_database.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wijkbudget::testing {
namespace {

using ledger::pg::ArrayElement;
using ledger::pg::BinaryArray;
using ledger::pg::PipelinedStatement;
using ledger::pg::RunPipeline;

//! SQLSTATE 42804: datatype_mismatch ("wrong element type").
constexpr std::string_view DATATYPE_MISMATCH{"42804"};

using Column = std::vector<std::optional<std::string>>;

class BinaryArrayTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_db = std::make_unique<PgTestDatabase>(*TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_session = m_db->RuntimeSession();
    }

    //! The elements the server unnests from `array` cast to `type`, in order, as text.
    Column Unnested(const BinaryArray& array, const std::string& type)
    {
        const std::vector<PipelinedStatement> statements{
            {"SELECT x::text FROM unnest(CAST($1 AS " + type +
                 "[])) WITH ORDINALITY AS u(x, n) ORDER BY n",
             {array.Bytes()},
             {1}}};
        const auto answers = RunPipeline(*m_session, statements, nullptr);
        Column column;
        for (const auto& row : answers.at(0))
            column.push_back(row.at(0));
        return column;
    }

    std::unique_ptr<PgTestDatabase> m_db;
    std::unique_ptr<soci::session> m_session;
};

TEST_F(BinaryArrayTest, TextsArriveByteForByte)
{
    const Column texts{R"({"a":"b\"c"})",     "", std::nullopt, R"(\"x\)", "{,}", "NULL", "ë € 漢",
                       std::string(3000, 'q')};
    BinaryArray array{ArrayElement::text};
    for (const auto& text : texts) {
        if (text) {
            array.AddText(*text);
        } else {
            array.AddNull();
        }
    }
    EXPECT_EQ(Unnested(array, "text"), texts);
}

TEST_F(BinaryArrayTest, IntegersArriveAtEveryWidthAndLimit)
{
    const std::vector<std::pair<ArrayElement, std::string>> types{{ArrayElement::int2, "smallint"},
                                                                  {ArrayElement::int4, "integer"},
                                                                  {ArrayElement::int8, "bigint"}};
    const std::vector<std::vector<std::int64_t>> values{
        {std::numeric_limits<std::int16_t>::min(), -1, 0, 1, 256,
         std::numeric_limits<std::int16_t>::max()},
        {std::numeric_limits<std::int32_t>::min(), -65536, 0, 70000,
         std::numeric_limits<std::int32_t>::max()},
        {std::numeric_limits<std::int64_t>::min(), -4294967296, 0, 10000000000000,
         std::numeric_limits<std::int64_t>::max()}};
    for (std::size_t type = 0; type < types.size(); ++type) {
        BinaryArray array{types[type].first};
        Column expected;
        for (const std::int64_t value : values[type]) {
            array.AddInteger(value);
            expected.push_back(std::to_string(value));
        }
        array.AddNull();
        expected.push_back(std::nullopt);
        EXPECT_EQ(Unnested(array, types[type].second), expected) << types[type].second;
    }
}

TEST_F(BinaryArrayTest, AnEmptyArrayIsEmpty)
{
    const BinaryArray array{ArrayElement::int8};
    EXPECT_TRUE(Unnested(array, "bigint").empty());
    const std::vector<PipelinedStatement> cardinality{
        {"SELECT cardinality(CAST($1 AS bigint[]))", {array.Bytes()}, {1}}};
    EXPECT_EQ(RunPipeline(*m_session, cardinality, nullptr).at(0).at(0).at(0), "0");
}

TEST_F(BinaryArrayTest, AnotherElementTypeIsRefused)
{
    BinaryArray array{ArrayElement::int8};
    array.AddInteger(7);
    try {
        Unnested(array, "integer");
        ADD_FAILURE() << "a bigint array was taken as integer[]";
    } catch (const std::exception& error) {
        EXPECT_EQ(ledger::pg::SqlStateOf(error), DATATYPE_MISMATCH) << error.what();
    }
}

} // namespace
} // namespace wijkbudget::testing
