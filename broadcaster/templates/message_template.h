// One message text in one language, compiled as an ICU MessageFormat pattern.
// Design: templates are ICU MessageFormat from the start ("{name}" arguments,
// and plural/select where a template needs them), so richer formatting slots
// in without changing template files. The compiled pattern is immutable and
// shared, so a variant is cheap to copy and safe to render from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class MessageFormat;
U_NAMESPACE_END

namespace broadcaster::templates {

/// Values for a template's arguments, by name, as UTF-8 text.
using Variables = std::map<std::string, std::string>;

class MessageTemplate {
 public:
  /// Compiles `pattern` (UTF-8) for `language` (BCP 47). `source` names the
  /// file for errors. Throws ConfigError "source:line:column: ..." pointing
  /// into the pattern when it does not parse (an unbalanced '{', say).
  static MessageTemplate compile(const std::string& pattern, const std::string& language,
                                 const std::string& source);

  /// Argument names the pattern uses, sorted, without duplicates.
  const std::vector<std::string>& arguments() const noexcept { return arguments_; }
  /// The subset used as numbers (plural, selectordinal, choice, {x, number}).
  const std::vector<std::string>& numeric_arguments() const noexcept { return numeric_arguments_; }
  const std::string& language() const noexcept { return language_; }
  const std::string& source() const noexcept { return source_; }
  const std::string& pattern() const noexcept { return pattern_; }

  /// Renders with `vars`. Throws Error naming the template and the argument
  /// if one it uses is missing; extra variables are ignored.
  std::string render(const Variables& vars) const;

 private:
  MessageTemplate() = default;
  std::shared_ptr<const icu::MessageFormat> format_;
  std::vector<std::string> arguments_;
  std::vector<std::string> numeric_arguments_;  ///< used by plural/number
  std::string language_;
  std::string source_;
  std::string pattern_;
};

}  // namespace broadcaster::templates
