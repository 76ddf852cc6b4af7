// pb/instance.cpp: see instance.hpp.
#include "pb/instance.hpp"

namespace wijkbudget::pb {

const char* VoteTypeName(VoteType vote_type)
{
    switch (vote_type) {
    case VoteType::approval: return "approval";
    case VoteType::choose_one: return "choose-1";
    case VoteType::cumulative: return "cumulative";
    case VoteType::scoring: return "scoring";
    case VoteType::ordinal: return "ordinal";
    }
    return "unknown";
}

} // namespace wijkbudget::pb
