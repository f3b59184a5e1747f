// Names and order of delivery states.
#include "channels/delivery_receipt.h"

namespace broadcaster::channels {

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::Queued:
      return "queued";
    case DeliveryState::Sent:
      return "sent";
    case DeliveryState::Delivered:
      return "delivered";
    case DeliveryState::Undelivered:
      return "undelivered";
    case DeliveryState::Failed:
      return "failed";
  }
  return "queued";
}

int rank(DeliveryState state) {
  switch (state) {
    case DeliveryState::Queued:
      return 0;
    case DeliveryState::Sent:
      return 1;
    case DeliveryState::Delivered:
    case DeliveryState::Undelivered:
    case DeliveryState::Failed:
      return 2;
  }
  return 0;
}

}  // namespace broadcaster::channels
