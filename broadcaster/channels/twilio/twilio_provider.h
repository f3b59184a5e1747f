// Twilio as one provider: its sending channel (twilio_channel.h), its
// webhook endpoint for texts and status callbacks (twilio_inbound.h) and the
// error codes broadcaster knows (twilio.com/docs/api/errors/<code>).
#pragma once

#include "channels/provider.h"

namespace broadcaster::channels {

/// The `type: twilio` provider.
const Provider& twilio_provider();

}  // namespace broadcaster::channels
