// Compiling and rendering ICU MessageFormat templates.
#include "templates/message_template.h"

#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>

#include "util/errors.h"
#include "util/input_limits.h"
#include "util/utf8.h"

namespace broadcaster::templates {

namespace {

// ---------------------------------------------------------------------------
// Positions and syntax
// ---------------------------------------------------------------------------

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Line and column (1-based, in code points) of UTF-16 offsets in `text`.
// Offsets asked in increasing order cost one pass over the text in all, so
// a pattern with thousands of arguments is not scanned once per argument.
class PositionIndex {
 public:
  explicit PositionIndex(const icu::UnicodeString& text) : text_(text) {}

  std::pair<int, int> at(int32_t offset) {
    if (offset < offset_) {  // an earlier offset: start over
      offset_ = 0;
      line_ = 1;
      column_ = 1;
    }
    while (offset_ < offset && offset_ < text_.length()) {
      if (text_.charAt(offset_) == u'\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
      offset_ = text_.moveIndex32(offset_, 1);
    }
    return {line_, column_};
  }

 private:
  const icu::UnicodeString& text_;
  int32_t offset_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// Offset of the first sub-message of `parsed` nested deeper than `limit`
// (the top-level message is depth 0), or nullopt.
std::optional<int32_t> first_too_deep(const icu::MessagePattern& parsed, std::size_t limit) {
  for (int32_t i = 0; i < parsed.countParts(); ++i) {
    const icu::MessagePattern::Part& part = parsed.getPart(i);
    if (part.getType() == UMSGPAT_PART_TYPE_MSG_START && static_cast<std::size_t>(part.getValue()) > limit) {
      return part.getIndex();
    }
  }
  return std::nullopt;
}

// Offset of the outermost '{' that is never closed (0 if none), skipping
// apostrophe-quoted text as ICU does.
int32_t first_unclosed_brace(const icu::UnicodeString& text) {
  std::vector<int32_t> open;
  bool quoted = false;
  for (int32_t i = 0; i < text.length(); ++i) {
    const char16_t c = text.charAt(i);
    if (c == u'\'' && i + 1 < text.length() && (quoted || text.charAt(i + 1) == u'{' || text.charAt(i + 1) == u'}')) {
      quoted = !quoted;
    } else if (!quoted && c == u'{') {
      open.push_back(i);
    } else if (!quoted && c == u'}' && !open.empty()) {
      open.pop_back();
    }
  }
  return open.empty() ? 0 : open.front();
}

const char* complex_type_name(UMessagePatternArgType type) {
  switch (type) {
    case UMSGPAT_ARG_TYPE_PLURAL:
      return "plural";
    case UMSGPAT_ARG_TYPE_SELECTORDINAL:
      return "selectordinal";
    case UMSGPAT_ARG_TYPE_SELECT:
      return "select";
    case UMSGPAT_ARG_TYPE_CHOICE:
      return "choice";
    default:
      return "";
  }
}

// ---------------------------------------------------------------------------
// Date formats, built as ICU's MessageFormat builds them
// ---------------------------------------------------------------------------

std::optional<icu::DateFormat::EStyle> date_style_keyword(icu::UnicodeString style) {
  style.trim().toLower(icu::Locale::getRoot());
  if (style.isEmpty()) return icu::DateFormat::kDefault;
  if (style == u"short") return icu::DateFormat::kShort;
  if (style == u"medium") return icu::DateFormat::kMedium;
  if (style == u"long") return icu::DateFormat::kLong;
  if (style == u"full") return icu::DateFormat::kFull;
  return std::nullopt;
}

// {x, date|time[, style]}: a keyword style, a skeleton after "::", or a
// SimpleDateFormat pattern. Null with `why` set when ICU refuses it.
std::unique_ptr<icu::DateFormat> make_date_format(bool time, const icu::UnicodeString& raw_style,
                                                  const icu::Locale& locale, std::string& why) {
  icu::UnicodeString style(raw_style);
  style.trim();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateFormat> out;
  if (style.startsWith(u"::")) {
    // ICU takes any skeleton and quietly drops what it does not know; a
    // skeleton is field letters only ("EEEEdMMMM"), so refuse anything else.
    const icu::UnicodeString skeleton = style.tempSubString(2);
    bool letters = !skeleton.isEmpty();
    for (int32_t i = 0; i < skeleton.length(); ++i) {
      const char16_t ch = skeleton.charAt(i);
      letters = letters && ((ch >= u'a' && ch <= u'z') || (ch >= u'A' && ch <= u'Z'));
    }
    if (!letters) {
      why =
          "a skeleton after '::' is date field letters only, like ::EEEEdMMMM or ::jmm (no spaces or "
          "punctuation; ICU adds those for the language)";
      return nullptr;
    }
    out.reset(icu::DateFormat::createInstanceForSkeleton(skeleton, locale, status));
    if (U_FAILURE(status)) out.reset();
  } else {
    const auto keyword = date_style_keyword(style);
    const icu::DateFormat::EStyle s = keyword.value_or(icu::DateFormat::kDefault);
    out.reset(time ? icu::DateFormat::createTimeInstance(s, locale) : icu::DateFormat::createDateInstance(s, locale));
    if (out && !keyword) {
      auto* simple = dynamic_cast<icu::SimpleDateFormat*>(out.get());
      if (!simple) {
        out.reset();
      } else {
        simple->applyPattern(style);
      }
    }
  }
  if (!out) why = std::string("ICU cannot build this date/time format (") + u_errorName(status) + ")";
  return out;
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

std::optional<double> parse_number(const std::string& text) {
  double out = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || ptr != end || begin == end || !std::isfinite(out)) return std::nullopt;
  return out;
}

icu::Formattable number_formattable(double n) {
  if (std::floor(n) == n && std::fabs(n) < 1e15) return icu::Formattable(static_cast<int64_t>(n));
  return icu::Formattable(n);
}

// Why `value` cannot serve `use`; nullopt when it can.
std::optional<std::string> mismatch(const ArgumentRef& use, const Value& value) {
  const std::string arg = "{" + use.name + "}";
  const std::string how = " (" + use.syntax + ")";
  switch (use.use) {
    case ArgumentUse::Text:
      if (value.kind() != ValueKind::DateTime) return std::nullopt;
      return arg + " is a date and time; format it in the template with {" + use.name + ", date, full} or {" +
             use.name + ", time, short} instead of " + use.syntax;
    case ArgumentUse::Select:
      if (value.kind() == ValueKind::Text) return std::nullopt;
      return arg + " chooses a case" + how + " and needs text, but the campaign gives " + value.describe();
    case ArgumentUse::Number:
      if (value.kind() == ValueKind::Number) return std::nullopt;
      if (value.kind() == ValueKind::Text && parse_number(value.as_text())) return std::nullopt;
      return arg + " is used as a number" + how + ", but the campaign gives " + value.describe() +
             "; give a number, like " + use.name + ": {number: 40}";
    case ArgumentUse::DateTime:
      if (value.kind() == ValueKind::DateTime) return std::nullopt;
      return arg + " is used as a date or time" + how + ", but the campaign gives " + value.describe() +
             "; give a date and time, like " + use.name + ": {datetime: \"2026-12-05T10:00\"}";
  }
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// Compiling
// ---------------------------------------------------------------------------

MessageTemplate MessageTemplate::compile(const std::string& pattern, const std::string& language,
                                         const std::string& source, const std::string& format_locale) {
  // Bounded and valid before ICU sees it: fromUTF8 would replace bad bytes
  // silently, and ICU parses and formats nested messages recursively.
  if (pattern.size() > util::kMaxTemplateBytes) {
    throw ConfigError(source, 0, 0,
                      "the '" + language + "' message is " + std::to_string(pattern.size()) +
                          " bytes; a template has at most " + std::to_string(util::kMaxTemplateBytes / 1024) + " KiB");
  }
  if (const auto bad = util::first_invalid_utf8(pattern)) {
    const auto pos = util::position_of_byte(pattern, *bad);
    throw ConfigError(source, pos.line, pos.column, util::invalid_utf8_message(pattern, *bad));
  }
  const icu::UnicodeString upattern = icu::UnicodeString::fromUTF8(pattern);
  PositionIndex positions(upattern);
  auto fail = [&](int32_t offset, const std::string& message) -> ConfigError {
    const auto [line, column] = positions.at(offset);
    return ConfigError(source, line, column, message);
  };
  UParseError parse_error{};
  UErrorCode status = U_ZERO_ERROR;
  icu::MessagePattern parsed(upattern, &parse_error, status);
  if (U_FAILURE(status)) {
    int32_t offset = parse_error.offset;
    // ICU reports an unclosed '{' at offset 0; point at the brace instead.
    if (status == U_UNMATCHED_BRACES) offset = first_unclosed_brace(upattern);
    throw fail(offset, "the '" + language + "' message pattern does not parse (" + u_errorName(status) +
                           "): check that every '{' has a matching '}' and that plural/select "
                           "blocks have an 'other' case");
  }
  if (const auto where = first_too_deep(parsed, util::kMaxTemplateNesting)) {
    throw fail(*where, "plural/select/choice blocks are nested more than " + std::to_string(util::kMaxTemplateNesting) +
                           " deep here (split the message)");
  }

  MessageTemplate t;
  t.language_ = language;
  t.format_locale_ = format_locale.empty() ? language : format_locale;
  t.source_ = source;
  t.pattern_ = pattern;
  status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(t.format_locale_, status);
  if (U_FAILURE(status)) {
    throw ConfigError(source, 0, 0, "'" + t.format_locale_ + "' is not a locale ICU understands");
  }

  // Every argument, how it is used, and the date/time ones to cut out.
  struct Cut {
    int32_t begin, end;
    std::string placeholder;
  };
  std::vector<Cut> cuts;
  for (int32_t i = 0; i < parsed.countParts(); ++i) {
    const icu::MessagePattern::Part& start = parsed.getPart(i);
    if (start.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    const icu::MessagePattern::Part& name_part = parsed.getPart(i + 1);
    if (name_part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      throw fail(name_part.getIndex(), "use named arguments like {place}, not numbered ones like {0}");
    }
    ArgumentRef ref;
    ref.name = utf8(parsed.getSubstring(name_part));
    if (ref.name.rfind("__", 0) == 0) {
      throw fail(name_part.getIndex(), "argument names starting with '__' are reserved; rename {" + ref.name + "}");
    }
    std::tie(ref.line, ref.column) = positions.at(start.getIndex());
    const int32_t limit_index = parsed.getLimitPartIndex(i);
    const icu::MessagePattern::Part& limit = parsed.getPart(limit_index);
    const UMessagePatternArgType type = start.getArgType();
    switch (type) {
      case UMSGPAT_ARG_TYPE_NONE:
        ref.use = ArgumentUse::Text;
        ref.syntax = "{" + ref.name + "}";
        break;
      case UMSGPAT_ARG_TYPE_SELECT:
        ref.use = ArgumentUse::Select;
        ref.syntax = "{" + ref.name + ", select, ...}";
        break;
      case UMSGPAT_ARG_TYPE_SIMPLE: {
        ref.syntax = utf8(upattern.tempSubStringBetween(start.getIndex(), limit.getLimit()));
        const icu::UnicodeString type_name = parsed.getSubstring(parsed.getPart(i + 2));
        icu::UnicodeString style;
        if (i + 3 < limit_index && parsed.getPart(i + 3).getType() == UMSGPAT_PART_TYPE_ARG_STYLE) {
          style = parsed.getSubstring(parsed.getPart(i + 3));
        }
        if (type_name == u"date" || type_name == u"time") {
          ref.use = ArgumentUse::DateTime;
          std::string why;
          auto format = make_date_format(type_name == u"time", style, locale, why);
          if (!format) throw fail(start.getIndex(), ref.syntax + ": " + why);
          DateSlot slot;
          slot.argument = ref.name;
          slot.placeholder = "__date" + std::to_string(t.dates_.size());
          slot.format = std::shared_ptr<const icu::DateFormat>(std::move(format));
          cuts.push_back({start.getIndex(), limit.getLimit(), slot.placeholder});
          t.dates_.push_back(std::move(slot));
        } else {
          ref.use = ArgumentUse::Number;  // number, spellout, ordinal, duration
        }
        break;
      }
      default:  // plural, selectordinal, choice
        ref.use = ArgumentUse::Number;
        ref.syntax = "{" + ref.name + ", " + complex_type_name(type) + ", ...}";
        break;
    }
    if (ref.use == ArgumentUse::Number) t.numeric_arguments_.push_back(ref.name);
    t.arguments_.push_back(ref.name);
    t.uses_.push_back(std::move(ref));
  }
  auto sort_unique = [](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  sort_unique(t.arguments_);
  sort_unique(t.numeric_arguments_);

  // ICU compiles the pattern as written first, so its errors (an unknown
  // argument type, say) point into the file staff edit.
  status = U_ZERO_ERROR;
  (void)icu::MessageFormat(upattern, locale, parse_error, status);
  if (U_FAILURE(status)) {
    throw fail(parse_error.offset, std::string("the message pattern cannot be compiled for language '") + language +
                                       "' (" + u_errorName(status) + ")");
  }

  // The pattern that is rendered: each date/time argument replaced by its placeholder.
  icu::UnicodeString compiled;
  int32_t copied = 0;
  for (const Cut& cut : cuts) {
    compiled.append(upattern, copied, cut.begin - copied);
    compiled.append(u'{').append(icu::UnicodeString::fromUTF8(cut.placeholder)).append(u'}');
    copied = cut.end;
  }
  compiled.append(upattern, copied, upattern.length() - copied);
  status = U_ZERO_ERROR;
  auto format = std::make_shared<icu::MessageFormat>(compiled, locale, parse_error, status);
  if (U_FAILURE(status)) {
    throw ConfigError(source, 0, 0,
                      std::string("the message pattern cannot be compiled (") + u_errorName(status) + ")");
  }
  t.format_ = std::move(format);
  return t;
}

// ---------------------------------------------------------------------------
// Checking and rendering
// ---------------------------------------------------------------------------

std::vector<ArgumentProblem> MessageTemplate::check(const Variables& vars) const {
  std::vector<ArgumentProblem> out;
  std::set<std::string> reported;
  for (const ArgumentRef& use : uses_) {
    if (reported.count(use.name)) continue;
    const auto it = vars.find(use.name);
    std::optional<std::string> problem;
    if (it == vars.end()) {
      problem = "the campaign gives no value for {" + use.name + "}";
    } else {
      problem = mismatch(use, it->second);
    }
    if (problem) {
      reported.insert(use.name);
      out.push_back({use.name, std::move(*problem)});
    }
  }
  return out;
}

std::string MessageTemplate::render(const Variables& vars) const {
  if (const auto problems = check(vars); !problems.empty()) {
    throw Error(source_ + ": " + problems.front().message);
  }
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  // The arguments the compiled pattern still holds (a date-only argument is
  // all placeholders by now).
  for (const auto& name : arguments_) {
    const bool plain = std::any_of(uses_.begin(), uses_.end(), [&](const ArgumentRef& u) {
      return u.name == name && u.use != ArgumentUse::DateTime;
    });
    if (!plain) continue;
    const Value& value = vars.at(name);
    const bool numeric = std::binary_search(numeric_arguments_.begin(), numeric_arguments_.end(), name);
    names.push_back(icu::UnicodeString::fromUTF8(name));
    if (value.kind() == ValueKind::Number) {
      values.push_back(number_formattable(value.as_number()));
    } else if (numeric) {
      values.push_back(number_formattable(*parse_number(value.as_text())));
    } else {
      values.emplace_back(icu::UnicodeString::fromUTF8(value.as_text()));
    }
  }
  for (const DateSlot& slot : dates_) {
    const Value& value = vars.at(slot.argument);
    std::unique_ptr<icu::DateFormat> format(slot.format->clone());
    format->adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(value.time_zone())));
    icu::UnicodeString text;
    format->format(static_cast<UDate>(value.instant().time_since_epoch().count()), text);
    names.push_back(icu::UnicodeString::fromUTF8(slot.placeholder));
    values.emplace_back(text);
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  format_->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) {
    throw Error(source_ + ": rendering failed (" + u_errorName(status) + ")");
  }
  return utf8(out);
}

}  // namespace broadcaster::templates
