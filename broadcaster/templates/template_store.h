// Message templates on disk: templates/<name>/<language>.txt.
// Design: one folder per message, one UTF-8 file per language variant (the
// file name is the BCP 47 tag: es.txt, hmn.txt, zh-Hant.txt). A set is read
// and compiled once when first asked for and kept for the process lifetime;
// variants are chosen by a fallback chain from the configuration. Each
// variant is compiled for its format locale (format_locale.h), so a variant
// in a language ICU lacks (hmn) formats dates and plurals like the first
// language of its fallback chain that ICU knows.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "templates/format_locale.h"
#include "templates/message_template.h"

namespace broadcaster::templates {

/// All language variants of one message.
class TemplateSet {
 public:
  TemplateSet(std::string name, std::map<std::string, MessageTemplate> variants)
      : name_(std::move(name)), variants_(std::move(variants)) {}

  const std::string& name() const noexcept { return name_; }
  /// The variant written for exactly `language`, or nullptr.
  const MessageTemplate* find(const std::string& language) const;
  /// The first variant along `chain` (a language then its fallbacks), or nullptr.
  const MessageTemplate* resolve(const std::vector<std::string>& chain) const;
  /// Languages that have a variant, sorted.
  std::vector<std::string> languages() const;

 private:
  std::string name_;
  std::map<std::string, MessageTemplate> variants_;
};

class TemplateStore {
 public:
  /// Templates under `dir`, localised as `locales` says.
  explicit TemplateStore(std::filesystem::path dir, LocaleOptions locales = {})
      : dir_(std::move(dir)), locales_(std::move(locales)) {}

  /// Loads template `name`. Throws ConfigError if the folder does not exist
  /// (listing the templates that do) or a variant does not compile.
  const TemplateSet& load(const std::string& name);

  /// Whether `dir/name` is a folder (it may still fail to load).
  bool exists(const std::string& name) const;

  /// Names of all templates in the folder, sorted.
  std::vector<std::string> names() const;
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
  LocaleOptions locales_;
  std::map<std::string, TemplateSet> loaded_;
};

}  // namespace broadcaster::templates
