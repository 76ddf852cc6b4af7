#pragma once
// api/web/site_pages.hpp: the site's pages, one handler per page type (api/web/page_*.cpp).
// Each answers HTML in the reader's language; the router lists them apart from the API's routes.

#include "api/web/site.hpp"

namespace wijkbudget::api::web {

Reply HandleMunicipalityPage(RouteCall& call); //!< GET /
Reply HandleCouncilPage(RouteCall& call);      //!< GET /councils/{id}
Reply HandleProposalPage(RouteCall& call);     //!< GET /councils/{id}/proposals/{proposal}
Reply HandleLedgerPage(RouteCall& call);       //!< GET /ledger?after=INDEX
Reply HandleEntryPage(RouteCall& call);        //!< GET /ledger/{index}
Reply HandleVerifyPage(RouteCall& call);       //!< GET /verify
Reply HandleRoundsPage(RouteCall& call);       //!< GET /rounds
Reply HandleRoundPage(RouteCall& call);        //!< GET /rounds/{round}
//! GET /rounds/{round}/ballot (the form's answer reloaded): 303 to the round's page.
Reply HandleBallotAddress(RouteCall& call);
//! POST /rounds/{round}/ballot: answers through call.respond once the ballot is written or not.
void HandleBallotForm(RouteCall& call);

} // namespace wijkbudget::api::web
