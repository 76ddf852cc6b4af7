#pragma once
// ledger/error_table.hpp: an error category from a table of (value, code, message).
//
// ledger::Errc and services::Errc are both enumerations whose values carry a stable machine
// code ("exceeds_budget_line") and a message; this is the one implementation of both categories,
// after Beast's http/error.hpp, so the two cannot drift apart in how they look values up.

#include <boost/system/error_category.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace wijkbudget::ledger {

template <class E>
struct ErrorText {
    E value;
    std::string_view code;    //!< Stable snake_case machine code: API, never renamed.
    std::string_view message; //!< For people.
};

template <class E, std::size_t N>
class TableErrorCategory final : public boost::system::error_category
{
public:
    constexpr TableErrorCategory(const char* category_name,
                                 const std::array<ErrorText<E>, N>& texts)
        : m_name{category_name}, m_texts{texts}
    {}

    const char* name() const noexcept override { return m_name; }
    std::string message(int value) const override
    {
        const ErrorText<E>* text = Find(value);
        return text ? std::string(text->message) : std::string(m_name) + ": unknown error";
    }
    //! The machine code of a value, or "unknown" for a value outside the table.
    [[nodiscard]] std::string_view Code(E value) const noexcept
    {
        const ErrorText<E>* text = Find(static_cast<int>(value));
        return text ? text->code : std::string_view{"unknown"};
    }

private:
    const ErrorText<E>* Find(int value) const noexcept
    {
        for (const auto& text : m_texts) {
            if (static_cast<int>(text.value) == value) return &text;
        }
        return nullptr;
    }

    const char* m_name;
    const std::array<ErrorText<E>, N>& m_texts;
};

} // namespace wijkbudget::ledger
