#include "ledger/pg/binary_array.hpp"

#include "ledger/assert.hpp"

#include <limits>

namespace wijkbudget::ledger::pg {
namespace {

//! The wire's integers are big-endian (network order), whatever the host's order.
void AppendBigEndian(std::string& out, std::uint64_t value, int bytes)
{
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU));
}

void AppendInt32(std::string& out, std::int32_t value)
{
    AppendBigEndian(out, static_cast<std::uint32_t>(value), 4);
}

} // namespace

void BinaryArray::Count()
{
    WB_ASSERT(m_count < BINARY_ARRAY_ELEMENTS_MAX);
    ++m_count;
}

void BinaryArray::AddText(std::string_view text)
{
    WB_ASSERT(m_element == ArrayElement::text);
    WB_ASSERT(text.size() <= std::size_t{std::numeric_limits<std::int32_t>::max()});
    Count();
    AppendInt32(m_elements, static_cast<std::int32_t>(text.size()));
    m_elements.append(text);
}

void BinaryArray::AddInteger(std::int64_t value)
{
    int bytes = 8;
    switch (m_element) {
    case ArrayElement::int2:
        WB_ASSERT(value >= std::numeric_limits<std::int16_t>::min() &&
                  value <= std::numeric_limits<std::int16_t>::max());
        bytes = 2;
        break;
    case ArrayElement::int4:
        WB_ASSERT(value >= std::numeric_limits<std::int32_t>::min() &&
                  value <= std::numeric_limits<std::int32_t>::max());
        bytes = 4;
        break;
    case ArrayElement::int8: break;
    case ArrayElement::text: WB_ASSERT(false); // An integer has no place in a text array.
    }
    Count();
    AppendInt32(m_elements, bytes);
    // Two's complement in `bytes` bytes: the low bytes of the 64-bit pattern.
    AppendBigEndian(m_elements, static_cast<std::uint64_t>(value), bytes);
}

void BinaryArray::AddNull()
{
    Count();
    m_has_null = true;
    AppendInt32(m_elements, -1);
}

std::string BinaryArray::Bytes() const
{
    // array_recv: dimensions, flags (1: has NULLs), element type; per dimension its length and
    // lower bound; then the elements. An empty array has no dimension at all.
    std::string out;
    out.reserve(20 + m_elements.size());
    AppendInt32(out, m_count == 0 ? 0 : 1);
    AppendInt32(out, m_has_null ? 1 : 0);
    AppendBigEndian(out, static_cast<std::uint32_t>(m_element), 4);
    if (m_count == 0) return out;
    AppendInt32(out, static_cast<std::int32_t>(m_count));
    AppendInt32(out, 1);
    out.append(m_elements);
    return out;
}

} // namespace wijkbudget::ledger::pg
