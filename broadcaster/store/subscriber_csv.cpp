// CSV parsing for subscriber imports.
#include "store/subscriber_csv.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

// Reads one CSV record (which may span lines inside quotes). Returns nullopt
// at end of input; counts consumed lines in `line`.
std::optional<std::vector<std::string>> read_record(std::istream& in, std::size_t& line) {
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool any = false;
  char c;
  while (in.get(c)) {
    any = true;
    if (in_quotes) {
      if (c == '"') {
        if (in.peek() == '"') {
          in.get(c);
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      ++line;
      fields.push_back(std::move(field));
      return fields;
    } else {
      field += c;
    }
  }
  if (!any) return std::nullopt;
  fields.push_back(std::move(field));
  return fields;
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char ch) { return !std::isspace(ch); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return s;
}

}  // namespace

CsvImport read_subscriber_csv(std::istream& in, const std::string& file, const std::string& default_region) {
  std::size_t line = 0;
  const auto header = read_record(in, line);
  if (!header) throw ConfigError(file, 0, 0, "the file is empty; it needs a header row like: phone,language,tags");
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header->size(); ++i) {
    std::string name = lower(trim((*header)[i]));
    if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name = name.substr(3);  // UTF-8 BOM from spreadsheets
    column[name] = i;
  }
  for (const char* required : {"phone", "language"}) {
    if (!column.count(required)) {
      throw ConfigError(file, 1, 1, std::string("the header has no '") + required +
                                        "' column (columns: phone, language, tags, consent_source, consent_at)");
    }
  }
  auto get = [&](const std::vector<std::string>& row, const char* name) {
    const auto it = column.find(name);
    if (it == column.end() || it->second >= row.size()) return std::string();
    return trim(row[it->second]);
  };

  static const std::regex kLanguage("[a-z]{2,3}(-[a-z0-9]{2,8})*");
  CsvImport out;
  std::map<std::string, std::size_t> seen;  // e164 -> index in rows
  while (true) {
    const std::size_t row_line = line + 1;
    const auto row = read_record(in, line);
    if (!row) break;
    if (row->size() == 1 && trim((*row)[0]).empty()) continue;  // blank line
    std::string why;
    const std::string raw_phone = get(*row, "phone");
    const auto phone = util::Phone::parse(raw_phone, default_region, &why);
    if (!phone) {
      out.errors.push_back({row_line, "phone '" + util::mask_phone(raw_phone) + "': " + why});
      continue;
    }
    Subscriber s{*phone, lower(get(*row, "language")), {}, "active", get(*row, "consent_source"),
                 get(*row, "consent_at")};
    if (s.language.empty()) {
      out.errors.push_back({row_line, "language is empty (write a code such as es, en, hmn)"});
      continue;
    }
    if (!std::regex_match(s.language, kLanguage)) {
      out.errors.push_back({row_line, "language '" + s.language + "' is not a language code (such as es, en, hmn)"});
      continue;
    }
    std::string tags = get(*row, "tags");
    std::replace(tags.begin(), tags.end(), '|', ';');
    std::size_t start = 0;
    while (start <= tags.size()) {
      const auto end = std::min(tags.find(';', start), tags.size());
      const std::string tag = lower(trim(tags.substr(start, end - start)));
      if (!tag.empty()) s.tags.push_back(tag);
      start = end + 1;
    }
    if (const auto it = seen.find(phone->e164()); it != seen.end()) {
      out.errors.push_back({out.row_lines[it->second],
                            "number " + phone->masked() + " appears again on line " + std::to_string(row_line) +
                                "; the later row is used"});
      out.rows[it->second] = std::move(s);
      out.row_lines[it->second] = row_line;
      continue;
    }
    seen.emplace(phone->e164(), out.rows.size());
    out.rows.push_back(std::move(s));
    out.row_lines.push_back(row_line);
  }
  return out;
}

}  // namespace broadcaster::store
