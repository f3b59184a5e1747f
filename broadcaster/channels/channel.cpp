// Defaults of the Channel interface for channels that cannot be asked about
// a message in doubt.
#include "channels/channel.h"

namespace broadcaster::channels {

HttpRequest Channel::build_lookup(const OutboundMessage& /*msg*/,
                                  std::chrono::system_clock::time_point /*since*/) const {
  throw SendError("channel '" + name() + "' cannot be asked whether it has a message (a bug in the sender)", false);
}

LookupPage Channel::interpret_lookup(const HttpResponse& /*response*/, const OutboundMessage& /*msg*/,
                                     std::chrono::system_clock::time_point /*since*/) const {
  throw SendError("channel '" + name() + "' cannot be asked whether it has a message (a bug in the sender)", false);
}

}  // namespace broadcaster::channels
