// Naming a settings entry in errors, at its place in the config file.
#include "channels/provider_settings.h"

#include <charconv>

namespace broadcaster::channels {

namespace {

// Splits "file:line:col" into its parts; anything else is all file.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;
};

std::optional<int> parse_positive(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || value <= 0) return std::nullopt;
  return value;
}

SourcePosition split_source(const std::string& source) {
  const auto last = source.rfind(':');
  if (last == std::string::npos || last == 0) return {source};
  const auto middle = source.rfind(':', last - 1);
  if (middle == std::string::npos) return {source};
  const std::string_view view(source);
  const auto line = parse_positive(view.substr(middle + 1, last - middle - 1));
  const auto column = parse_positive(view.substr(last + 1));
  if (!line || !column) return {source};
  return {source.substr(0, middle), *line, *column};
}

}  // namespace

std::string describe(const ProviderSettings& settings) {
  std::string text = settings.role == ProviderRole::Inbound ? "inbound endpoint '" : "channel '";
  text += settings.name;
  text += "'";
  if (!settings.type.empty()) text += " (" + settings.type + ")";
  return text;
}

ConfigError settings_error(const ProviderSettings& settings, std::string_view message) {
  const SourcePosition where = split_source(settings.source);
  std::string text = describe(settings) + ": ";
  text += message;
  return ConfigError(where.file, where.line, where.column, std::move(text));
}

}  // namespace broadcaster::channels
