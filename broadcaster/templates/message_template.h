// One message text in one language, compiled as an ICU MessageFormat pattern.
// Design: templates are ICU MessageFormat: "{name}" arguments, plural and
// select, numbers ({seats, number}) and dates and times ({when, date, full},
// {when, time, short}, skeletons like {when, date, ::EEEEdMMMM}), formatted
// for the variant's locale (see format_locale.h).
//
// Dates are shown in the time zone the value carries (the event's zone), not
// the process's default zone, and without changing any global ICU state: at
// compile time every date/time argument, nested in plural/select or not, is
// cut out of the pattern and replaced by a plain placeholder argument, with a
// DateFormat built the way ICU's MessageFormat would build it (same styles,
// skeletons and patterns). Rendering clones that DateFormat, gives it the
// value's zone, formats, and passes the text in the placeholder's place.
// (MessageFormat's own getFormats/setFormat reach only top-level arguments,
// so they cannot set the zone of a date inside a plural.)
//
// The compiled pattern is immutable and shared, so a variant is cheap to copy.
#pragma once

#include <unicode/uversion.h>

#include <memory>
#include <string>
#include <vector>

#include "templates/value.h"

U_NAMESPACE_BEGIN
class MessageFormat;
class DateFormat;
U_NAMESPACE_END

namespace broadcaster::templates {

/// How a pattern uses an argument, which decides the values it accepts.
enum class ArgumentUse {
  Text,      ///< {x}: text, or a number (formatted for the locale)
  Select,    ///< {x, select, ...}: text matched against the cases
  Number,    ///< {x, number}, plural, selectordinal, choice, spellout, ordinal, duration
  DateTime,  ///< {x, date, ...}, {x, time, ...}
};

/// One use of an argument in a pattern.
struct ArgumentRef {
  std::string name;
  ArgumentUse use = ArgumentUse::Text;
  std::string syntax;  ///< how it is written, for messages: "{when, date, full}" (sub-messages elided)
  int line = 0;        ///< 1-based position of its '{' in the template file
  int column = 0;
};

/// A value that is missing, or of a kind the pattern cannot use.
struct ArgumentProblem {
  std::string name;     ///< the argument
  std::string message;  ///< "{when} is used as a date ({when, date, full}), but the campaign gives ..."
};

class MessageTemplate {
 public:
  /// Compiles `pattern` (UTF-8) for `language` (BCP 47), formatting with
  /// `format_locale` (BCP 47; empty: `language` itself). `source` names the
  /// file for errors. Throws ConfigError "source:line:column: ..." pointing
  /// into the pattern when it does not parse (an unbalanced '{', say), uses
  /// numbered arguments, names an argument starting with "__" (reserved),
  /// has a date/time style ICU refuses, is not valid UTF-8 (the message
  /// gives the byte offset), is longer than kMaxTemplateBytes or nests
  /// plural/select/choice deeper than kMaxTemplateNesting (input_limits.h).
  static MessageTemplate compile(const std::string& pattern, const std::string& language, const std::string& source,
                                 const std::string& format_locale = {});

  /// Argument names the pattern uses, sorted, without duplicates.
  const std::vector<std::string>& arguments() const noexcept { return arguments_; }
  /// The subset used as numbers (plural, selectordinal, choice, {x, number}).
  const std::vector<std::string>& numeric_arguments() const noexcept { return numeric_arguments_; }
  /// Every use of every argument, in pattern order.
  const std::vector<ArgumentRef>& uses() const noexcept { return uses_; }
  const std::string& language() const noexcept { return language_; }
  /// The locale dates, numbers and plural cases are formatted for ("es-US", "und").
  const std::string& format_locale() const noexcept { return format_locale_; }
  const std::string& source() const noexcept { return source_; }
  const std::string& pattern() const noexcept { return pattern_; }

  /// What is wrong with `vars` for this pattern, one entry per argument
  /// (missing, or a value the pattern cannot use); empty if it renders.
  /// Extra variables are ignored.
  [[nodiscard]] std::vector<ArgumentProblem> check(const Variables& vars) const;

  /// Renders with `vars`. Throws Error "source: message" for the first
  /// problem `check` reports, or if ICU fails.
  [[nodiscard]] std::string render(const Variables& vars) const;

 private:
  /// A date/time argument cut out of the pattern (see the file comment).
  struct DateSlot {
    std::string argument;     ///< the campaign's argument
    std::string placeholder;  ///< the argument name in the compiled pattern
    std::shared_ptr<const icu::DateFormat> format;
  };

  MessageTemplate() = default;
  std::shared_ptr<const icu::MessageFormat> format_;
  std::vector<DateSlot> dates_;
  std::vector<std::string> arguments_;
  std::vector<std::string> numeric_arguments_;
  std::vector<ArgumentRef> uses_;
  std::string language_;
  std::string format_locale_;
  std::string source_;
  std::string pattern_;
};

}  // namespace broadcaster::templates
