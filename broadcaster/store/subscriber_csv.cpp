// CSV parsing for subscriber imports.
#include "store/subscriber_csv.h"

#include <algorithm>
#include <map>

#include "store/csv_reader.h"
#include "store/subscriber_fields.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::store {

namespace {

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

// The tags of a "tags" cell: separated by ';' or '|', trimmed, lower-case.
std::vector<std::string> split_tag_cell(std::string cell) {
  std::replace(cell.begin(), cell.end(), '|', ';');
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= cell.size()) {
    const auto end = std::min(cell.find(';', start), cell.size());
    std::string tag = lower(trim(cell.substr(start, end - start)));
    if (!tag.empty()) tags.push_back(std::move(tag));
    start = end + 1;
  }
  return tags;
}

}  // namespace

CsvImport read_subscriber_csv(std::istream& in, const std::string& file, const std::string& default_region) {
  CsvReader reader(in);
  const auto header = reader.next();
  if (!header) throw ConfigError(file, 0, 0, "the file is empty; it needs a header row like: phone,language,tags");
  if (!header->error.empty())
    throw ConfigError(file, static_cast<int>(header->line), 1, "header row: " + header->error);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header->fields.size(); ++i) {
    std::string name = lower(trim(header->fields[i]));
    if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name = name.substr(3);  // UTF-8 BOM from spreadsheets
    if (name.empty()) continue;
    if (const auto [it, added] = column.emplace(name, i); !added) {
      throw ConfigError(file, 1, 1,
                        "the header names column '" + util::excerpt(name) + "' twice (columns " +
                            std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
    }
  }
  // "address" names the column whatever its kinds; "phone" is the name
  // lists of phone numbers have always had. One of them, not both.
  if (column.count("phone") && column.count("address")) {
    throw ConfigError(file, 1, 1, "the header has both a 'phone' and an 'address' column; keep one");
  }
  const char* address_column = column.count("address") ? "address" : "phone";
  for (const char* required : {address_column, "language"}) {
    if (!column.count(required)) {
      throw ConfigError(file, 1, 1,
                        std::string("the header has no '") + required +
                            "' column (columns: phone or address, language, tags, consent_source, consent_at, "
                            "time_zone)");
    }
  }
  auto get = [&](const std::vector<std::string>& row, const char* name) {
    const auto it = column.find(name);
    if (it == column.end() || it->second >= row.size()) return std::string();
    return trim(row[it->second]);
  };

  CsvImport out;
  std::map<std::string, std::size_t> seen;  // stored address -> index in rows
  while (const auto record = reader.next()) {
    const std::size_t row_line = record->line;
    if (!record->error.empty()) {
      out.errors.push_back({row_line, record->error});
      continue;
    }
    const std::vector<std::string>& row = record->fields;
    if (row.size() == 1 && trim(row[0]).empty()) continue;  // blank line
    std::string why;
    const std::string raw_address = get(row, address_column);
    const auto address = util::Address::parse(raw_address, default_region, &why);
    if (!address) {
      // An email address is not quoted: excerpt() masks phone numbers only.
      const std::string quoted =
          raw_address.find('@') == std::string::npos ? " '" + util::excerpt(raw_address) + "'" : "";
      out.errors.push_back({row_line, std::string(address_column) + quoted + ": " + why});
      continue;
    }
    Subscriber s{*address,
                 lower(get(row, "language")),
                 split_tag_cell(get(row, "tags")),
                 "active",
                 get(row, "consent_source"),
                 get(row, "consent_at"),
                 get(row, "time_zone")};
    if (s.language.empty()) {
      out.errors.push_back({row_line, "language is empty (write a code such as es, en, hmn)"});
      continue;
    }
    if (const auto problem = language_problem(s.language)) {
      out.errors.push_back({row_line, "language '" + util::excerpt(s.language) + "' " + *problem});
      continue;
    }
    if (const auto problem = tags_problem(s.tags)) {
      out.errors.push_back({row_line, *problem});
      continue;
    }
    const auto text_problem = [&](const char* name, const std::string& value) {
      const auto problem = stored_text_problem(value);
      if (problem) out.errors.push_back({row_line, std::string(name) + " '" + util::excerpt(value) + "' " + *problem});
      return problem.has_value();
    };
    if (text_problem("consent_source", s.consent_source) || text_problem("consent_at", s.consent_at) ||
        text_problem("time_zone", s.time_zone)) {
      continue;
    }
    if (const auto it = seen.find(address->canonical()); it != seen.end()) {
      out.errors.push_back({out.row_lines[it->second], std::string(address->is_phone() ? "number " : "address ") +
                                                           address->masked() + " appears again on line " +
                                                           std::to_string(row_line) + "; the later row is used"});
      out.rows[it->second] = std::move(s);
      out.row_lines[it->second] = row_line;
      continue;
    }
    seen.emplace(address->canonical(), out.rows.size());
    out.rows.push_back(std::move(s));
    out.row_lines.push_back(row_line);
  }
  return out;
}

}  // namespace broadcaster::store
