// Dropping the audience members a channel cannot reach.
#include "campaign/reachable.h"

#include <algorithm>

namespace broadcaster::campaign {

long long drop_unreachable(std::vector<store::AudienceMember>& members, const channels::Medium& medium) {
  const auto kept = std::remove_if(members.begin(), members.end(), [&](const store::AudienceMember& m) {
    return !medium.reaches(util::Address::stored_kind(m.address));
  });
  const auto dropped = static_cast<long long>(members.end() - kept);
  members.erase(kept, members.end());
  return dropped;
}

}  // namespace broadcaster::campaign
