// Which ICU locale formats the dates, numbers and plural cases of a language
// variant.
// Design: ICU has no locale data for some languages our subscribers speak
// (Hmong `hmn`, Mixtec `mix`, ...). Asked for one, ICU silently uses the
// process's default locale, which depends on the server's LANG: the same
// template would print "Saturday" on one machine and "sábado" on another. So
// the locale is chosen explicitly: the first language along the variant's
// fallback chain (mix -> es -> en) that ICU has data for, with the
// installation's region added when ICU has data for exactly that pair
// (es + US -> es-US, which writes "10:00 a. m."; zh + US is not such a pair,
// ICU would pick Traditional Chinese for it, so it stays zh). When no
// language of the chain has data, the root locale (stable, neutral) is used.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace broadcaster::templates {

/// True if ICU has locale data of its own for the BCP 47 tag `tag`
/// (`es`, `tl`, `zh-Hant`), rather than only the root or default locale.
[[nodiscard]] bool icu_has_locale(const std::string& tag);

/// The BCP 47 tag of the locale that formats text in the first language of
/// `chain` (a language, then its fallbacks): the first language of the chain
/// ICU has data for, as `<language>-<region>` when ICU has data for exactly
/// that (and `region` is not empty), else `<language>`; "und" (ICU's root
/// locale) when ICU knows none of them.
[[nodiscard]] std::string choose_format_locale(const std::vector<std::string>& chain, const std::string& region);

/// How a template store localises its variants.
struct LocaleOptions {
  /// ISO 3166 region of the subscribers ("US"); empty for none.
  std::string region;
  /// The fallback chain of a language, the language first (Config::fallback_chain).
  /// Empty function: each language alone.
  std::function<std::vector<std::string>(const std::string&)> chain;

  /// choose_format_locale for `language` under these options.
  [[nodiscard]] std::string format_locale(const std::string& language) const;
};

}  // namespace broadcaster::templates
