// Which keywords file a `broadcaster keywords ...` command reads: --keywords
// FILE if given, else the one the configuration names (inbound.keywords,
// default keywords.yaml beside broadcaster.yaml), so staff check exactly what
// `serve` will use.
#pragma once

#include <string>

#include "cli/commands.h"
#include "keywords/keyword_set.h"

namespace broadcaster::cli {

/// Loads `override_path` if not empty, else the configured keywords file.
/// Throws ConfigError.
keywords::KeywordSet load_keywords(const GlobalOptions& options, const std::string& override_path);

}  // namespace broadcaster::cli
