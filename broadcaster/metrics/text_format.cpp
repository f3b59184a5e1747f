// Text-format writer for a registry snapshot.
#include "metrics/text_format.h"

#include <fmt/format.h>

#include <cmath>

namespace broadcaster::metrics {

namespace {

std::string escape_help(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (const char ch : value) {
    if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '"') {
      out += "\\\"";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string write_text(const std::vector<FamilySnapshot>& families) {
  std::string out;
  for (const auto& f : families) {
    out += fmt::format("# HELP {} {}\n", f.name, escape_help(f.help));
    out += fmt::format("# TYPE {} {}\n", f.name, f.type == MetricType::Counter ? "counter" : "gauge");
    for (const auto& [values, v] : f.series) {
      out += f.name;
      if (!values.empty()) {
        out += '{';
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (i > 0) out += ',';
          out += fmt::format("{}=\"{}\"", f.label_names[i], escape_label_value(values[i]));
        }
        out += '}';
      }
      out += ' ';
      out += format_value(v);
      out += '\n';
    }
  }
  return out;
}

}  // namespace broadcaster::metrics
