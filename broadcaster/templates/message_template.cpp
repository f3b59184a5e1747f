// Compiling and rendering ICU MessageFormat templates.
#include "templates/message_template.h"

#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "util/errors.h"

namespace broadcaster::templates {

namespace {

// Line and column (1-based, in code points) of UTF-16 offset `offset` in `text`.
std::pair<int, int> position_of(const icu::UnicodeString& text, int32_t offset) {
  int line = 1;
  int column = 1;
  for (int32_t i = 0; i < offset && i < text.length(); i = text.moveIndex32(i, 1)) {
    if (text.charAt(i) == u'\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
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

}  // namespace

MessageTemplate MessageTemplate::compile(const std::string& pattern, const std::string& language,
                                         const std::string& source) {
  const icu::UnicodeString upattern = icu::UnicodeString::fromUTF8(pattern);
  UParseError parse_error{};
  UErrorCode status = U_ZERO_ERROR;
  icu::MessagePattern parsed(upattern, &parse_error, status);
  if (U_FAILURE(status)) {
    int32_t offset = parse_error.offset;
    // ICU reports an unclosed '{' at offset 0; point at the brace instead.
    if (status == U_UNMATCHED_BRACES) offset = first_unclosed_brace(upattern);
    const auto [line, column] = position_of(upattern, offset);
    throw ConfigError(source, line, column,
                      std::string("the message pattern does not parse (") + u_errorName(status) +
                          "): check that every '{' has a matching '}' and that plural/select "
                          "blocks have an 'other' case");
  }
  MessageTemplate t;
  for (int32_t i = 0; i < parsed.countParts(); ++i) {
    const icu::MessagePattern::Part& part = parsed.getPart(i);
    if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME) {
      std::string name;
      parsed.getSubstring(part).toUTF8String(name);
      // The ARG_START just before the name says how the argument is used:
      // plural, choice and {n, number} arguments need a number, not text.
      const icu::MessagePattern::Part& start = parsed.getPart(i - 1);
      const UMessagePatternArgType type = start.getArgType();
      bool numeric = type == UMSGPAT_ARG_TYPE_PLURAL || type == UMSGPAT_ARG_TYPE_SELECTORDINAL ||
                     type == UMSGPAT_ARG_TYPE_CHOICE;
      if (type == UMSGPAT_ARG_TYPE_SIMPLE && i + 1 < parsed.countParts()) {
        numeric = parsed.getSubstring(parsed.getPart(i + 1)) == icu::UnicodeString(u"number");
      }
      if (numeric) t.numeric_arguments_.push_back(name);
      t.arguments_.push_back(std::move(name));
    } else if (part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      const auto [line, column] = position_of(upattern, part.getIndex());
      throw ConfigError(source, line, column,
                        "use named arguments like {place}, not numbered ones like {0}");
    }
  }
  std::sort(t.arguments_.begin(), t.arguments_.end());
  t.arguments_.erase(std::unique(t.arguments_.begin(), t.arguments_.end()), t.arguments_.end());

  status = U_ZERO_ERROR;
  auto format = std::make_shared<icu::MessageFormat>(
      upattern, icu::Locale::forLanguageTag(language, status), parse_error, status);
  if (U_FAILURE(status)) {
    const auto [line, column] = position_of(upattern, parse_error.offset);
    throw ConfigError(source, line, column,
                      std::string("the message pattern cannot be compiled for language '") +
                          language + "' (" + u_errorName(status) + ")");
  }
  t.format_ = std::move(format);
  t.language_ = language;
  t.source_ = source;
  t.pattern_ = pattern;
  return t;
}

std::string MessageTemplate::render(const Variables& vars) const {
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(arguments_.size());
  values.reserve(arguments_.size());
  for (const auto& name : arguments_) {
    const auto it = vars.find(name);
    if (it == vars.end()) {
      throw Error(source_ + ": the campaign gives no value for {" + name + "}");
    }
    names.push_back(icu::UnicodeString::fromUTF8(name));
    if (std::find(numeric_arguments_.begin(), numeric_arguments_.end(), name) !=
        numeric_arguments_.end()) {
      std::size_t used = 0;
      double number = 0;
      try {
        number = std::stod(it->second, &used);
      } catch (const std::logic_error&) {
        used = 0;
      }
      if (used == 0 || used != it->second.size()) {
        throw Error(source_ + ": {" + name + "} is used as a number, but the campaign gives '" +
                    it->second + "'");
      }
      values.emplace_back(number);
    } else {
      values.emplace_back(icu::UnicodeString::fromUTF8(it->second));
    }
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  format_->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) {
    throw Error(source_ + ": rendering failed (" + u_errorName(status) + ")");
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace broadcaster::templates
