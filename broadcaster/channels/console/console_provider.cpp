// The console's declaration: plain text with no length limit, to any kind
// of address (it prints each message as a JSON line on stdout; nothing is
// encoded or split).
#include "channels/console/console_provider.h"

#include "channels/console/console_channel.h"

namespace broadcaster::channels {

const Provider& console_provider() {
  static const Provider provider{
      "console",
      // No provider limit (a channel may set max_characters); a dry run
      // reaches every kind of address.
      Medium::plain_text(0, {util::AddressKind::Phone, util::AddressKind::Email, util::AddressKind::Telegram}),
      [](const ProviderSettings& s, const EnvLookup&) -> std::unique_ptr<Channel> {
        return std::make_unique<ConsoleChannel>(s);
      },
      nullptr,
      {},
  };
  return provider;
}

}  // namespace broadcaster::channels
