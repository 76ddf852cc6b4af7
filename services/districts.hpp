#pragma once
// services/districts.hpp: the port to the municipality's districts (stadsdelen).
//
// Districts are the municipality's configuration, not facts of the ledger: `wijkbudget demo`
// (or an operator) registers them, and a council names the one it belongs to.

#include "ledger/values.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace wijkbudget::services {

struct District {
    ledger::Slug slug;
    ledger::Title name;
};

class DistrictDirectory
{
public:
    virtual ~DistrictDirectory() = default;
    virtual boost::system::result<bool> Contains(const ledger::Slug& district) = 0;
    virtual boost::system::result<std::vector<District>> List() = 0;
    //! Adds a district, or renames it if it exists.
    virtual boost::system::result<void> Put(const District& district) = 0;
};

} // namespace wijkbudget::services
