// The Prometheus text exposition format (version 0.0.4), what /metrics
// answers: `# HELP`, `# TYPE`, then one line per series.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "metrics/registry.h"

namespace broadcaster::metrics {

/// The Content-Type of the format.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Writes `families` in the text format: label values escaped (\\, \", \n),
/// HELP text escaped (\\, \n), values as the shortest exact decimal
/// (integers without a point; NaN, +Inf, -Inf). Never throws but bad_alloc.
[[nodiscard]] std::string write_text(const std::vector<FamilySnapshot>& families);

/// `value` escaped for a label value inside double quotes.
[[nodiscard]] std::string escape_label_value(std::string_view value);

}  // namespace broadcaster::metrics
