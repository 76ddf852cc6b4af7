#pragma once
// services/member_names.hpp: the port to council members' names, which never enter the ledger.
//
// Entries carry a member's pseudonymous id only. The name that goes with it is kept apart, in a
// store that can forget it (AVG/GDPR erasure) while the ledger, and every proof over it, stays as
// it was. Names are shown to callers with a token; the public sees the ids.

#include "ledger/values.hpp"

#include <boost/system/result.hpp>

#include <map>
#include <optional>
#include <string>

namespace wijkbudget::services {

class MemberNames
{
public:
    virtual ~MemberNames() = default;
    //! Records (or corrects) the name of a council's member.
    virtual boost::system::result<void> Put(const ledger::Slug& council, const ledger::Slug& member,
                                            const ledger::Title& name) = 0;
    //! The names of a council's members, by member id; erased names are absent.
    virtual boost::system::result<std::map<std::string, std::string>>
    NamesOf(const ledger::Slug& council) = 0;
    //! Forgets the name; true if there was one.
    virtual boost::system::result<bool> Erase(const ledger::Slug& council,
                                              const ledger::Slug& member) = 0;
};

} // namespace wijkbudget::services
