// Finding and loading the keywords file for the keywords commands.
#include "cli/keywords_file.h"

#include "cli/context.h"

namespace broadcaster::cli {

keywords::KeywordSet load_keywords(const GlobalOptions& options, const std::string& override_path) {
  if (!override_path.empty()) return keywords::KeywordSet::load(override_path);
  return keywords::KeywordSet::load(load_configuration(options).inbound.keywords_file);
}

}  // namespace broadcaster::cli
