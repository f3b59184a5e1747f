// A subscriber's likely time zone and state from their +1 number's area
// code, read from config/data/nanp_area_codes.csv (generated from Google
// libphonenumber; see config/data/README.md).
// Design: loaded once into an immutable table; lookups take no lock and do
// no I/O. The area code says where a number was issued, not where its owner
// is: callers prefer a zone the subscriber gave, and use this as the guess.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::schedule {

/// What the table says about one area code.
struct AreaCodeZone {
  std::string zone;     ///< IANA zone of most of its numbers ("America/Los_Angeles")
  std::string region;   ///< US state or territory, or Canadian province ("CA", "PR", "ON"); "" elsewhere
  std::string country;  ///< ISO 3166 code ("US", "CA", "JM")
  int share = 100;      ///< percent of its exchanges on `zone`'s clock
  std::vector<std::string> other_zones;  ///< zones some of its exchanges are in instead
};

/// The NANP area code table.
class AreaCodeZones {
 public:
  /// Reads the CSV at `path`. Throws ConfigError "path: ..." if it cannot be
  /// read or is larger than 1 MiB, and as parse() does.
  [[nodiscard]] static AreaCodeZones load(const std::filesystem::path& path);

  /// Parses the CSV `text` read from `file` (named in errors): '#' comment
  /// lines, the header `area_code,time_zone,region,country,share,other_zones`,
  /// then one row per area code. Throws ConfigError "file:line:column: ..."
  /// for a wrong header, a row without six fields, an area code that is not
  /// three digits starting 2-9 or is listed twice, a zone ICU does not know,
  /// a region or country that is not two capital letters, a share outside
  /// 0-100, non-ASCII text or quotes (the file has neither).
  [[nodiscard]] static AreaCodeZones parse(std::string_view text, const std::string& file);

  /// The entry for a number in E.164 form ("+15595550142"); nullopt for a
  /// number outside +1, one that is not +1 and ten digits, or an area code
  /// the table lacks.
  [[nodiscard]] std::optional<AreaCodeZone> lookup(std::string_view e164) const;

  /// How many area codes the table holds.
  [[nodiscard]] std::size_t size() const noexcept { return by_code_.size(); }

 private:
  std::map<std::string, AreaCodeZone, std::less<>> by_code_;
};

}  // namespace broadcaster::schedule
