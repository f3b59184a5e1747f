// The console as a provider: a dry-run channel that prints what it would
// send (console_channel.h); it receives nothing and has no error codes.
#pragma once

#include "channels/provider.h"

namespace broadcaster::channels {

/// The `type: console` provider.
const Provider& console_provider();

}  // namespace broadcaster::channels
