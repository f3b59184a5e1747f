// Twilio's Messages list resource as the simulator answers it:
// `GET /2010-04-01/Accounts/{AccountSid}/Messages.json`, the operation
// `ListMessage` of shared/reference/twilio_api_v2010.json. The sender asks it
// whether an in-doubt message (a request that timed out) already reached the
// provider, so it must page and filter as Twilio documents.
// Design: a pure function of the message log and the query string. Messages
// are listed newest first (as Twilio lists them). Filters: `To`, `From`,
// `DateSent` (`YYYY-MM-DD`, or with a leading `<=` / `>=`), `DateSent<` and
// `DateSent>` (on or before / on or after that GMT date), as the parameter
// descriptions say. Paging: `PageSize` (default 50, 1..1000), `Page` (client
// state, echoed) and `PageToken`, which the simulator makes itself ("PA" and
// the offset of the page's first match) and hands out in `next_page_uri`.
// The simulator sends every accepted message at once, so each listed
// message has status "sent" and `date_sent` equal to its `date_created`.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "simulator/message_log.h"
#include "simulator/twilio_api.h"

namespace broadcaster::simulator {

/// The list page body (schema ListMessageResponse), or the 400 error Twilio
/// gives for a malformed filter or page parameter (code 20001, "Invalid
/// parameter"). `target` is the request target with its query string.
[[nodiscard]] std::variant<nlohmann::json, TwilioError> list_messages(const MessageLog& log,
                                                                      std::string_view account_sid,
                                                                      std::string_view target);

}  // namespace broadcaster::simulator
