// Provider codes, found across every provider's declarations.
#include "channels/provider_codes.h"

#include "channels/registry.h"

namespace broadcaster::channels {

std::string_view to_string(CodeKind kind) {
  switch (kind) {
    case CodeKind::Retryable: return "retryable";
    case CodeKind::Throttled: return "throttled";
    case CodeKind::Permanent: return "permanent";
    case CodeKind::Stopped: return "stopped";
    case CodeKind::Unreachable: return "unreachable";
    case CodeKind::Configuration: return "configuration";
  }
  return "permanent";
}

const ProviderCode* find_code(std::string_view provider_code) {
  if (provider_code.empty()) return nullptr;
  for (const Provider* p : providers()) {
    for (const ProviderCode& c : p->codes) {
      if (c.code == provider_code) return &c;
    }
  }
  return nullptr;
}

bool is_opt_out_code(std::string_view provider_code) {
  const ProviderCode* c = find_code(provider_code);
  return c != nullptr && c->kind == CodeKind::Stopped;
}

bool is_unreachable_code(std::string_view provider_code) {
  const ProviderCode* c = find_code(provider_code);
  return c != nullptr && c->kind == CodeKind::Unreachable;
}

std::string_view code_meaning(std::string_view provider_code) {
  const ProviderCode* c = find_code(provider_code);
  return c != nullptr ? c->meaning : std::string_view{};
}

}  // namespace broadcaster::channels
