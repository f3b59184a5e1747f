// Reading template folders and choosing a language variant.
#include "templates/template_store.h"

#include <algorithm>
#include <fstream>

#include "util/errors.h"
#include "util/excerpt.h"
#include "util/input_limits.h"

namespace broadcaster::templates {

namespace fs = std::filesystem;

const MessageTemplate* TemplateSet::find(const std::string& language) const {
  const auto it = variants_.find(language);
  return it == variants_.end() ? nullptr : &it->second;
}

const MessageTemplate* TemplateSet::resolve(const std::vector<std::string>& chain) const {
  for (const auto& language : chain) {
    if (const MessageTemplate* t = find(language)) return t;
  }
  return nullptr;
}

std::vector<std::string> TemplateSet::languages() const {
  std::vector<std::string> out;
  for (const auto& [language, _] : variants_) out.push_back(language);
  return out;
}

bool TemplateStore::exists(const std::string& name) const {
  std::error_code ec;
  return !name.empty() && name.find('/') == std::string::npos && name.find("..") == std::string::npos &&
         fs::is_directory(dir_ / name, ec);
}

std::vector<std::string> TemplateStore::names() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const TemplateSet& TemplateStore::load(const std::string& name) {
  if (const auto it = loaded_.find(name); it != loaded_.end()) return it->second;
  const fs::path folder = dir_ / name;
  if (!exists(name)) {
    std::string known;
    for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError(
        "unknown template '" + util::excerpt(name) + "': there is no folder " + (dir_ / util::excerpt(name)).string() +
        (known.empty() ? std::string(" (the templates folder is empty or missing)") : " (templates: " + known + ")"));
  }
  std::map<std::string, MessageTemplate> variants;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) throw ConfigError(entry.path().string(), 0, 0, "cannot read the template file");
    // Read at most one byte more than a template may have; compile() refuses it.
    std::string pattern(util::kMaxTemplateBytes + 4, '\0');  // room for a BOM and a newline
    in.read(pattern.data(), static_cast<std::streamsize>(pattern.size()));
    pattern.resize(static_cast<std::size_t>(in.gcount()));
    // Some editors start UTF-8 files with a byte-order mark and most end them
    // with a newline; neither is part of the message.
    if (pattern.rfind("\xEF\xBB\xBF", 0) == 0) pattern.erase(0, 3);
    while (!pattern.empty() && (pattern.back() == '\n' || pattern.back() == '\r')) pattern.pop_back();
    const std::string language = entry.path().stem().string();
    variants.emplace(
        language, MessageTemplate::compile(pattern, language, entry.path().string(), locales_.format_locale(language)));
  }
  if (variants.empty()) {
    throw ConfigError(folder.string(), 0, 0,
                      "template '" + name + "' has no language variants (add files like en.txt, es.txt)");
  }
  return loaded_.emplace(name, TemplateSet(name, std::move(variants))).first->second;
}

}  // namespace broadcaster::templates
