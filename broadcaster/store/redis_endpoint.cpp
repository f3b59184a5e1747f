// RedisEndpoint's description for messages.
#include "store/redis_endpoint.h"

namespace broadcaster::store {

std::string RedisEndpoint::describe() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace broadcaster::store
