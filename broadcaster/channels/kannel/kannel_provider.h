// Kannel as one provider: sending through smsbox's sendsms
// (kannel_channel.h), texts in and delivery reports back through smsbox's
// get-url and dlr-url (kannel_inbound.h), and the codes its reports carry.
#pragma once

#include "channels/provider.h"

namespace broadcaster::channels {

/// The `type: kannel` provider.
const Provider& kannel_provider();

}  // namespace broadcaster::channels
