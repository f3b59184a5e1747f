// Reading and checking `status_page:`.
#include "config/status_page_config.h"

#include <algorithm>

#include "config/private_listen.h"

namespace broadcaster::config {

StatusPageConfig read_status_page(YamlMap map) {
  StatusPageConfig s;
  if (map.has("token")) {
    // A token in the file would end up in backups and version control.
    throw map.error("token", "the status page's token is not written in this file: put it in the environment "
                             "variable that 'token_env' names (default " +
                                 std::string(kDefaultStatusTokenEnv) + ")");
  }
  s.listen = read_private_listen(map, "the status page");
  s.token_env = map.optional<std::string>("token_env", s.token_env);
  const bool name_ok = !s.token_env.empty() && std::all_of(s.token_env.begin(), s.token_env.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!name_ok) {
    throw map.error("token_env", "'token_env' must name an environment variable (letters, digits and _), e.g. " +
                                     std::string(kDefaultStatusTokenEnv));
  }
  map.finish();
  return s;
}

}  // namespace broadcaster::config
