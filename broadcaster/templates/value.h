// The value of one template argument: text, a number, or a date and time
// with the time zone it is shown in.
// Design: a campaign gives each argument a typed value (plain YAML text stays
// text), and the template says how it uses the argument ({n, plural, ...},
// {when, date, full}); `MessageTemplate::check` compares the two, so "the
// template wants a date but the campaign wrote 'Sat 12/5'" is caught before
// anything is sent. A date and time is an instant plus the zone it is shown
// in (the event's zone), so a workshop in Fresno reads 10:00 for everyone,
// whatever zone the server runs in.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace broadcaster::templates {

/// What kind of value an argument holds.
enum class ValueKind {
  Text,      ///< UTF-8 text, as written
  Number,    ///< a number (plural, {n, number})
  DateTime,  ///< an instant shown in a time zone ({when, date, ...})
};

/// "text", "number" or "date and time", for messages.
[[nodiscard]] std::string_view to_string(ValueKind kind) noexcept;

/// Milliseconds since 1970-01-01T00:00:00Z.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

/// A typed argument value. Copyable; cheap.
class Value {
 public:
  /// Text, shown as written. Plain YAML values become this; a text that is a
  /// number ("40") is still accepted where the template wants a number.
  static Value text(std::string utf8);
  /// A number.
  static Value number(double n);
  /// `instant`, shown in `time_zone`: an ICU/IANA id ("America/Los_Angeles")
  /// or a fixed offset ("GMT-08:00"). The caller has checked the zone with
  /// is_time_zone.
  static Value datetime(Instant instant, std::string time_zone);

  ValueKind kind() const noexcept { return kind_; }
  /// The text (kind Text), else "".
  const std::string& as_text() const noexcept { return text_; }
  /// The number (kind Number), else 0.
  double as_number() const noexcept { return number_; }
  /// The instant (kind DateTime), else the epoch.
  Instant instant() const noexcept { return instant_; }
  /// The zone a DateTime is shown in, else "".
  const std::string& time_zone() const noexcept { return text_; }

  /// How staff wrote it, for messages: "'Sat 12/5'", "40",
  /// "2026-12-05T18:00:00Z shown in America/Los_Angeles".
  std::string describe() const;

 private:
  Value() = default;
  ValueKind kind_ = ValueKind::Text;
  std::string text_;  ///< the text, or the time zone of a DateTime
  double number_ = 0;
  Instant instant_{};
};

/// Values for a template's arguments, by name.
using Variables = std::map<std::string, Value>;

/// True if ICU knows `id` as a time zone ("America/Los_Angeles", "UTC",
/// "GMT-08:00"); false for "America/Fresno" or "".
[[nodiscard]] bool is_time_zone(const std::string& id);

/// Parses a date and time as staff write it in a campaign:
///   "2026-12-05T10:00", "2026-12-05T10:00:30" or "2026-12-05" (midnight):
///       wall time in `time_zone`, which must then be given;
///   "2026-12-05T10:00-08:00", "...:30+05:30", "...Z": an explicit offset.
/// The value is shown in `time_zone` when given, else at the offset written.
/// Throws Error with a message staff can act on (no position: the caller
/// knows where the text was) when the text is malformed, the date does not
/// exist, a wall time falls in a daylight-saving gap, or a wall time comes
/// without a zone. `time_zone`, when not empty, must satisfy is_time_zone.
[[nodiscard]] Value parse_datetime(std::string_view text, const std::string& time_zone);

}  // namespace broadcaster::templates
