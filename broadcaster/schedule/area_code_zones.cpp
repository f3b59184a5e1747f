// Loading and querying the NANP area code -> time zone table.
#include "schedule/area_code_zones.h"

#include <cctype>
#include <fstream>

#include "templates/value.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::schedule {

namespace {

// The shipped table is 25 KiB; a file forty times that is not this table.
constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr std::string_view kHeader = "area_code,time_zone,region,country,share,other_zones";

bool is_upper2(std::string_view s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

AreaCodeZones AreaCodeZones::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string(), 0, 0, "cannot open the area code table (check the path)");
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes) {
    throw ConfigError(path.string(), 0, 0,
                      "larger than 1 MiB; the area code table is much smaller (is it the right file?)");
  }
  return parse(text, path.string());
}

AreaCodeZones AreaCodeZones::parse(std::string_view text, const std::string& file) {
  AreaCodeZones table;
  std::map<std::string, int, std::less<>> first_line;
  bool header_seen = false;
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const auto fail = [&](std::size_t column, const std::string& message) {
      return ConfigError(file, line_number, static_cast<int>(column) + 1, message);
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      if (c >= 0x80 || (c < 0x20 && c != '\t')) throw fail(i, "unexpected byte (the table is plain ASCII)");
      if (c == '"') throw fail(i, "quotes are not used in this table; fields hold no commas");
    }
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {
      if (line != kHeader) throw fail(0, "the header must read '" + std::string(kHeader) + "'");
      header_seen = true;
      continue;
    }
    std::vector<std::string_view> fields;
    std::vector<std::size_t> columns;
    for (std::size_t from = 0;;) {
      const std::size_t comma = line.find(',', from);
      columns.push_back(from);
      fields.push_back(line.substr(from, comma == std::string_view::npos ? std::string_view::npos : comma - from));
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
    if (fields.size() != 6) {
      throw fail(0, "a row has 6 fields (" + std::string(kHeader) + "), this one has " + std::to_string(fields.size()));
    }
    const std::string code(fields[0]);
    if (code.size() != 3 || !all_digits(code) || code[0] < '2') {
      throw fail(columns[0], "'" + util::excerpt(code) + "' is not an area code (three digits, the first 2-9)");
    }
    if (const auto it = first_line.find(code); it != first_line.end()) {
      throw fail(columns[0],
                 "area code " + code + " is listed twice (first on line " + std::to_string(it->second) + ")");
    }
    AreaCodeZone entry;
    entry.zone = std::string(fields[1]);
    if (!templates::is_time_zone(entry.zone)) {
      throw fail(columns[1], "unknown time zone '" + util::excerpt(entry.zone) + "'");
    }
    entry.region = std::string(fields[2]);
    if (!entry.region.empty() && !is_upper2(entry.region)) {
      throw fail(columns[2], "'" + util::excerpt(entry.region) + "' is not a two-letter region code (or empty)");
    }
    entry.country = std::string(fields[3]);
    if (!is_upper2(entry.country)) {
      throw fail(columns[3], "'" + util::excerpt(entry.country) + "' is not a two-letter country code");
    }
    if (!all_digits(fields[4]) || fields[4].size() > 3 || std::stoi(std::string(fields[4])) > 100) {
      throw fail(columns[4], "'" + util::excerpt(fields[4]) + "' is not a share from 0 to 100");
    }
    entry.share = std::stoi(std::string(fields[4]));
    std::string_view others = fields[5];
    std::size_t offset = columns[5];
    while (!others.empty()) {
      const std::size_t space = others.find(' ');
      const std::string_view item = others.substr(0, space);
      if (!item.empty()) {
        const std::string zone(item.substr(0, item.find(':')));
        if (!templates::is_time_zone(zone)) throw fail(offset, "unknown time zone '" + util::excerpt(zone) + "'");
        entry.other_zones.push_back(zone);
      }
      if (space == std::string_view::npos) break;
      others.remove_prefix(space + 1);
      offset += space + 1;
    }
    first_line.emplace(code, line_number);
    table.by_code_.emplace(code, std::move(entry));
  }
  if (!header_seen) throw ConfigError(file, 0, 0, "no header line; is this the area code table?");
  return table;
}

std::optional<AreaCodeZone> AreaCodeZones::lookup(std::string_view e164) const {
  if (e164.size() != 12 || !e164.starts_with("+1") || !all_digits(e164.substr(2))) return std::nullopt;
  const auto it = by_code_.find(e164.substr(2, 3));
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

}  // namespace broadcaster::schedule
