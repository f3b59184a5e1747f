// Reading a campaign's `event:` mapping.
#include "calendar/event_ref.h"

#include "calendar/yaml_fields.h"
#include "config/yaml_reader.h"

namespace broadcaster::calendar {

EventRef parse_event_ref(const YAML::Node& node, const std::string& file) {
  config::YamlMap map(node, file, "'event'");
  EventRef ref;
  ref.date = read_date(map, "date");
  ref.county = read_name(map, "county", kMaxCountyBytes);
  ref.partner = read_name(map, "partner", kMaxPartnerBytes);
  map.finish();
  ref.file = file;
  const YAML::Mark mark = node.Mark();
  if (!mark.is_null()) {
    ref.line = mark.line + 1;
    ref.column = mark.column + 1;
  }
  return ref;
}

}  // namespace broadcaster::calendar
