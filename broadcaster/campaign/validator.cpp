// Campaign validation against configuration and templates.
#include "campaign/validator.h"

#include <set>

#include "util/errors.h"

namespace broadcaster::campaign {

std::string ValidationIssue::to_string() const {
  std::string out = file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  return out + message;
}

bool has_errors(const std::vector<ValidationIssue>& issues) {
  for (const auto& i : issues) {
    if (i.severity == ValidationIssue::Severity::Error) return true;
  }
  return false;
}

std::vector<ValidationIssue> validate_campaign(const Campaign& c, const config::Config& cfg,
                                               templates::TemplateStore& store) {
  std::vector<ValidationIssue> issues;
  auto error = [&](SourcePos pos, std::string message, std::string file = {}) {
    issues.push_back({ValidationIssue::Severity::Error, file.empty() ? c.file : file, pos, std::move(message)});
  };
  auto warning = [&](SourcePos pos, std::string message) {
    issues.push_back({ValidationIssue::Severity::Warning, c.file, pos, std::move(message)});
  };

  if (!cfg.channels.count(c.channel.value)) {
    std::string known;
    for (const auto& [name, _] : cfg.channels) known += (known.empty() ? "" : ", ") + name;
    error(c.channel.pos, "unknown channel '" + c.channel.value + "'; " +
                             (known.empty() ? std::string("no channels are configured in ")
                                            : "configured channels: " + known + " (in ") +
                             cfg.file.string() + (known.empty() ? "" : ")"));
  }

  const templates::TemplateSet* set = nullptr;
  try {
    set = &store.load(c.template_name.value);
  } catch (const ConfigError& e) {
    if (e.line() > 0) {
      error({e.line(), e.column()}, e.message(), e.file());
    } else {
      error(c.template_name.pos, e.what());
    }
  }
  if (!set) return issues;

  for (const auto& language : c.audience.languages) {
    if (set->find(language.value)) continue;
    const bool deliberate = cfg.language_fallbacks.count(language.value) > 0;
    const templates::MessageTemplate* fallback = set->resolve(cfg.fallback_chain(language.value));
    if (deliberate && fallback) {
      warning(language.pos, "template '" + set->name() + "' has no '" + language.value +
                                "' variant; these subscribers get the '" + fallback->language() +
                                "' text (language_fallbacks in the configuration)");
      continue;
    }
    error(language.pos, "template '" + set->name() + "' has no '" + language.value + "' variant: add " +
                            (store.dir() / set->name() / (language.value + ".txt")).string() +
                            " or remove '" + language.value + "' from audience.languages");
  }
  if (c.audience.languages.empty() && !set->find(cfg.fallback_language)) {
    error(c.audience.pos, "the audience includes every language, but template '" + set->name() +
                              "' has no variant in the fallback language '" + cfg.fallback_language +
                              "'; list the languages to send to or add the fallback variant");
  }

  // Arguments: every one used must be given; warn about ones never used.
  std::set<std::string> used;
  for (const auto& language : set->languages()) {
    const templates::MessageTemplate& t = *set->find(language);
    for (const auto& arg : t.arguments()) {
      used.insert(arg);
      if (!c.variables.count(arg)) {
        error(c.variables_pos.line > 0 ? c.variables_pos : c.template_name.pos,
              t.source() + " uses {" + arg + "}, but the campaign's variables do not define '" + arg + "'");
      }
    }
  }
  for (const auto& [name, pos] : c.variable_pos) {
    if (!used.count(name)) {
      warning(pos, "variable '" + name + "' is not used by any variant of template '" + set->name() + "'");
    }
  }
  if (has_errors(issues)) return issues;

  // Every variant must render with these values (numbers where plural needs one).
  for (const auto& language : set->languages()) {
    try {
      (void)set->find(language)->render(c.variables);
    } catch (const Error& e) {
      error(c.variables_pos, e.what());
    }
  }
  return issues;
}

}  // namespace broadcaster::campaign
