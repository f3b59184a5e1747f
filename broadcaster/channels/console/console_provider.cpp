// The console's declaration.
#include "channels/console/console_provider.h"

#include "channels/console/console_channel.h"

namespace broadcaster::channels {

const Provider& console_provider() {
  static const Provider provider{
      "console",
      [](const ProviderSettings& s, const EnvLookup&) -> std::unique_ptr<Channel> {
        return std::make_unique<ConsoleChannel>(s);
      },
      nullptr,
      {},
  };
  return provider;
}

}  // namespace broadcaster::channels
