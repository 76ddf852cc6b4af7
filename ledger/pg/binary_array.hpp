#pragma once
// ledger/pg/binary_array.hpp: one-dimensional arrays as binary statement parameters.
//
// A batch sends its rows as arrays that one INSERT unnests. In text form ("{...}", every element
// quoted and escaped) PostgreSQL's array_in parsed each kilobyte body character by character:
// about a seventh of the sequencer's backend's CPU under load, on the path every batch waits
// for. In binary form (array_recv's format) an element is its length and its bytes.

#include <cstdint>
#include <string>
#include <string_view>

namespace wijkbudget::ledger::pg {

//! Element types, by their PostgreSQL type OIDs (fixed ones, from pg_type.dat). The statement
//! must CAST its parameter to the matching array type: array_recv refuses any other.
enum class ArrayElement : std::uint32_t { int2 = 21, int4 = 23, int8 = 20, text = 25 };

//! Elements an array holds at most (a batch's rows: far fewer).
inline constexpr std::size_t BINARY_ARRAY_ELEMENTS_MAX{1U << 20U};

class BinaryArray
{
public:
    explicit BinaryArray(ArrayElement element) : m_element{element} {}

    //! @pre a text array; `text` is valid UTF-8 without NUL (the server checks it again).
    void AddText(std::string_view text);
    //! @pre an integer array, and `value` fits its element type (asserted).
    void AddInteger(std::int64_t value);
    void AddNull();

    //! The parameter's bytes, to send with format 1 (binary).
    [[nodiscard]] std::string Bytes() const;

private:
    void Count();

    ArrayElement m_element;
    std::string m_elements; //!< Each element: its length (-1: NULL), then its bytes.
    std::uint32_t m_count{0};
    bool m_has_null{false};
};

} // namespace wijkbudget::ledger::pg
