// Choosing the ICU locale of a language variant.
#include "templates/format_locale.h"

#include <unicode/locid.h>
#include <unicode/ures.h>

#include <memory>

#include "util/c_handle.h"

namespace broadcaster::templates {

namespace {

// ICU's name for a BCP 47 tag ("zh-Hant" -> "zh_Hant"); "" if it is not one.
std::string icu_name(const std::string& tag) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus()) return {};
  return locale.getName();
}

// The locale whose data ICU actually uses for `name`, and whether it is
// more than the root or the process default.
struct Resolved {
  std::string actual;
  bool has_data = false;
};

Resolved resolve(const std::string& name) {
  UErrorCode status = U_ZERO_ERROR;
  util::IcuBundle bundle(ures_open(nullptr, name.c_str(), &status));
  if (U_FAILURE(status) || !bundle) return {};
  Resolved out;
  out.has_data = status != U_USING_DEFAULT_WARNING;
  UErrorCode actual_status = U_ZERO_ERROR;
  const char* actual = ures_getLocaleByType(bundle.get(), ULOC_ACTUAL_LOCALE, &actual_status);
  if (U_SUCCESS(actual_status) && actual) out.actual = actual;
  if (out.actual == "root") out.has_data = false;
  return out;
}

}  // namespace

bool icu_has_locale(const std::string& tag) {
  const std::string name = icu_name(tag);
  return !name.empty() && resolve(name).has_data;
}

std::string choose_format_locale(const std::vector<std::string>& chain, const std::string& region) {
  for (const auto& language : chain) {
    if (!icu_has_locale(language)) continue;
    if (!region.empty()) {
      const std::string with_region = language + "-" + region;
      const std::string name = icu_name(with_region);
      if (!name.empty() && resolve(name).actual == name) return with_region;
    }
    return language;
  }
  return "und";
}

std::string LocaleOptions::format_locale(const std::string& language) const {
  return choose_format_locale(chain ? chain(language) : std::vector<std::string>{language}, region);
}

}  // namespace broadcaster::templates
