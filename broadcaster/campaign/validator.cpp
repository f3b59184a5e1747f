// Campaign validation against configuration and templates.
#include "campaign/validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "calendar/calendar.h"
#include "calendar/calendar_file.h"
#include "campaign/message_renderer.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::campaign {

std::string ValidationIssue::to_string() const {
  // Appended piece by piece: `":" + std::to_string(n)` makes g++ 12 warn
  // -Wrestrict about its own inlined std::string code (GCC bug 105329).
  std::string out = file;
  if (pos.line > 0) {
    out += ':';
    out += std::to_string(pos.line);
    out += ':';
    out += std::to_string(pos.column);
  }
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  out += message;
  return out;
}

bool has_errors(const std::vector<ValidationIssue>& issues) {
  for (const auto& i : issues) {
    if (i.severity == ValidationIssue::Severity::Error) return true;
  }
  return false;
}

std::vector<std::string> languages_to_check(const Campaign& c, const config::Config& cfg,
                                            const templates::TemplateSet& set) {
  std::set<std::string> out;
  if (c.audience.languages.empty()) {
    for (const auto& l : set.languages()) out.insert(l);
    for (const auto& [l, _] : c.language_fallbacks) out.insert(l);
    out.insert(cfg.fallback_language);
  } else {
    for (const auto& l : c.audience.languages) out.insert(l.value);
  }
  return {out.begin(), out.end()};
}

namespace {

// Collects issues; errors and warnings at a file position.
class Issues {
 public:
  explicit Issues(const Campaign& c) : c_(c) {}
  void error(SourcePos pos, std::string message, std::string file = {}) {
    add(ValidationIssue::Severity::Error, pos, std::move(message), std::move(file));
  }
  void warning(SourcePos pos, std::string message, std::string file = {}) {
    add(ValidationIssue::Severity::Warning, pos, std::move(message), std::move(file));
  }
  // A template that did not load: at its own position when it has one.
  void load_error(const ConfigError& e, SourcePos fallback) {
    if (e.line() > 0 || !e.file().empty()) {
      error({e.line(), e.column()}, e.message(), e.file());
    } else {
      error(fallback, e.what());
    }
  }
  // In the order a compiler prints them: the campaign file by position, then
  // the template files it uses.
  std::vector<ValidationIssue> take() {
    std::stable_sort(issues_.begin(), issues_.end(), [this](const ValidationIssue& a, const ValidationIssue& b) {
      return std::tuple(a.file != c_.file, a.file, a.pos.line, a.pos.column) <
             std::tuple(b.file != c_.file, b.file, b.pos.line, b.pos.column);
    });
    return std::move(issues_);
  }
  bool has_errors() const { return campaign::has_errors(issues_); }

 private:
  void add(ValidationIssue::Severity severity, SourcePos pos, std::string message, std::string file) {
    issues_.push_back({severity, file.empty() ? c_.file : std::move(file), pos, std::move(message)});
  }
  const Campaign& c_;
  std::vector<ValidationIssue> issues_;
};

// Arguments of `t`: each must be given, with a value of a kind it can use.
void check_arguments(const CampaignFile& read, const templates::MessageTemplate& t, Issues& issues) {
  const Campaign& c = read.campaign;
  if (!read.readable("variables")) return;  // reported where it was read
  for (const auto& problem : t.check(c.variables)) {
    if (!read.readable("variables." + problem.name)) continue;
    const auto pos = c.variable_pos.find(problem.name);
    if (pos == c.variable_pos.end()) {
      issues.error(c.variables_pos.line > 0 ? c.variables_pos : c.template_name.pos,
                   t.source() + " uses {" + problem.name + "}, but the campaign's variables do not define '" +
                       problem.name + "'");
    } else {
      issues.error(pos->second, t.source() + " (language '" + t.language() + "'): " + problem.message);
    }
  }
}

// An SMS rendering's length. Requires r.sms.
std::string describe(const RenderedText& r) {
  return fmt::format("{} segments ({}, {} characters)", r.sms->segments, templates::to_string(r.sms->encoding),
                     r.sms->characters);
}

// Where a plain-text channel's limit comes from: its max_characters, or its
// provider's own limit when that is smaller or the only one.
std::string describe_character_limit(const config::ChannelConfig& ch) {
  const std::size_t limit = ch.character_limit();
  if (ch.max_characters == limit) return fmt::format("max_characters: {}", limit);
  return fmt::format("{} takes at most {} characters", ch.settings.type, limit);
}

}  // namespace

std::vector<ValidationIssue> validate_campaign(const Campaign& c, const config::Config& cfg,
                                               templates::TemplateStore& store) {
  return validate_campaign(CampaignFile{c, {}, {}}, cfg, store);
}

std::vector<ValidationIssue> validate_campaign(const CampaignFile& read, const config::Config& cfg,
                                               templates::TemplateStore& store) {
  const Campaign& c = read.campaign;
  Issues issues(c);
  for (const auto& p : read.problems) issues.error({p.line(), p.column()}, p.message(), p.file());
  if (!read.readable("*") || !read.readable("id")) return issues.take();

  if (c.priority.value == Priority::Urgent && c.schedule) {
    issues.error(c.schedule_pos, "an urgent campaign goes out as soon as it is approved; it cannot have a schedule "
                                 "(use priority: normal for scheduled campaigns)");
  }
  if (c.priority.value == Priority::Urgent) {
    if (cfg.outreach.urgent_ignores_quiet_hours) {
      issues.warning(c.priority.pos, "urgent: this campaign is sent during quiet hours too (urgent.ignore_quiet_hours "
                                     "in the configuration)");
    }
    if (cfg.outreach.urgent_ignores_cap) {
      issues.warning(c.priority.pos, "urgent: this campaign is sent even to subscribers over the frequency cap "
                                     "(urgent.ignore_frequency_cap in the configuration)");
    }
    if (cfg.approval.urgent_needs_second_person) {
      issues.warning(c.priority.pos, "urgent: after submitting, a second staff member must run `broadcaster campaign "
                                     "approve " + c.id.value + "` before anything is sent");
    }
  }
  // --- the partner calendar ------------------------------------------------
  if (c.event) {
    const SourcePos at{c.event->line, c.event->column};
    try {
      const calendar::Calendar partners = calendar::load_calendar(cfg.calendar_dir, cfg.outreach.time_zone);
      if (!partners.empty() && !partners.knows_partner(c.event->partner)) {
        issues.warning(at, "partner '" + c.event->partner + "' has no events in " + cfg.calendar_dir.string() +
                               " (check the spelling: a misspelt partner makes its own events look like another's)");
      }
      for (const auto& other : partners.conflicts(*c.event)) {
        issues.warning(at, "on " + calendar::format_date(other.date) + " " + other.partner + " holds '" +
                               other.title + "' in " + other.county + " (" + calendar::format_time(other.start) +
                               "-" + calendar::format_time(other.end) + ", " + other.source +
                               "): partners agreed not to hold competing events; talk to them first");
      }
    } catch (const ConfigError& e) {
      issues.load_error(e, at);
    }
  }
  const auto channel = cfg.channels.find(c.channel.value);
  if (read.readable("channel") && channel == cfg.channels.end()) {
    std::string known;
    for (const auto& [name, _] : cfg.channels) known += (known.empty() ? "" : ", ") + name;
    issues.error(c.channel.pos, "unknown channel '" + util::excerpt(c.channel.value) + "'; " +
                                    (known.empty() ? std::string("no channels are configured in ")
                                                   : "configured channels: " + known + " (in ") +
                                    cfg.file.string() + (known.empty() ? "" : ")"));
  }
  if (channel != cfg.channels.end() && c.smart_encoding && !channel->second.medium().is_sms()) {
    issues.warning(c.channel.pos, "smart_encoding applies only to SMS channels: " +
                                      channels::describe(channel->second.settings) +
                                      " sends plain text, as written");
  }

  const templates::TemplateSet* set = nullptr;
  if (read.readable("template")) {
    try {
      set = &store.load(c.template_name.value);
    } catch (const ConfigError& e) {
      issues.load_error(e, c.template_name.pos);
    }
  }
  if (!set) return issues.take();

  // --- languages -----------------------------------------------------------
  // A language without its own variant is a mistake unless someone chose its
  // fallback: the campaign (language_fallbacks) or the configuration.
  for (const auto& language : c.audience.languages) {
    if (set->find(language.value)) continue;
    const templates::MessageTemplate* fallback = set->resolve(campaign_chain(c, cfg, language.value));
    if (fallback && c.language_fallbacks.count(language.value)) continue;  // shown by validate as "[en text]"
    if (fallback && cfg.language_fallbacks.count(language.value)) {
      issues.warning(language.pos, "template '" + set->name() + "' has no '" + language.value +
                                       "' variant; these subscribers get the '" + fallback->language() +
                                       "' text (language_fallbacks in the configuration)");
      continue;
    }
    const std::string suggestion = fallback ? fallback->language() : cfg.fallback_language;
    issues.error(language.pos, "template '" + set->name() + "' has no '" + language.value + "' variant: add " +
                                   (store.dir() / set->name() / (language.value + ".txt")).string() +
                                   ", say which text these subscribers get (language_fallbacks: {" + language.value +
                                   ": " + suggestion + "}), or remove '" + language.value + "' from audience.languages");
  }
  for (const auto& [language, chain] : c.language_fallbacks) {
    if (set->find(language)) {
      issues.warning(chain.pos, "language_fallbacks for '" + language + "' is not used: template '" + set->name() +
                                    "' has its own '" + language + "' variant");
      continue;
    }
    const templates::MessageTemplate* got = set->resolve(campaign_chain(c, cfg, language));
    const bool listed = got && std::find(chain.value.begin(), chain.value.end(), got->language()) != chain.value.end();
    if (got && !listed) {
      issues.warning(chain.pos, "template '" + set->name() + "' has none of the variants listed for '" + language +
                                    "'; these subscribers get the '" + got->language() + "' text");
    }
  }
  if (read.readable("audience") && c.audience.languages.empty() && !set->find(cfg.fallback_language)) {
    issues.error(c.audience.pos, "the audience includes every language, but template '" + set->name() +
                                     "' has no variant in the fallback language '" + cfg.fallback_language +
                                     "'; list the languages to send to or add the fallback variant");
  }

  // --- the opt-out footer ----------------------------------------------------
  const templates::TemplateSet* footer = nullptr;
  const bool wants_footer = c.footer.value != FooterPolicy::Never;
  const SourcePos footer_pos = c.footer.pos.line > 0 ? c.footer.pos : c.id.pos;
  const std::string footer_dir = (store.dir() / kFooterTemplate).string();
  if (wants_footer && store.exists(kFooterTemplate)) {
    try {
      footer = &store.load(kFooterTemplate);
    } catch (const ConfigError& e) {
      issues.load_error(e, footer_pos);
    }
  } else if (wants_footer && (c.footer.value == FooterPolicy::Always || c.footer.pos.line > 0)) {
    // Only when the campaign asks: an installation without footers that
    // leaves the default policy has chosen not to use them.
    const std::string message = "footer: " + std::string(to_string(c.footer.value)) + " needs the opt-out footers in " +
                                footer_dir + "/<language>.txt (like 'Reply STOP to cancel'), and there are none";
    if (c.footer.value == FooterPolicy::Always) {
      issues.error(footer_pos, message);
    } else {
      issues.warning(footer_pos, message + "; subscribers who joined by keyword get no opt-out reminder");
    }
  }
  const std::vector<std::string> languages = languages_to_check(c, cfg, *set);
  if (footer) {
    // The footer goes with the text, in the text's language.
    std::set<std::string> text_languages;
    for (const auto& language : languages) {
      if (const auto* variant = set->resolve(campaign_chain(c, cfg, language))) {
        text_languages.insert(variant->language());
      }
    }
    for (const auto& language : text_languages) {
      if (footer->resolve(campaign_chain(c, cfg, language))) continue;
      const std::string message =
          "no opt-out footer for '" + language + "' or its fallbacks: add " + footer_dir + "/" + language + ".txt";
      if (c.footer.value == FooterPolicy::Always) {
        issues.error(footer_pos, message);
      } else {
        issues.warning(footer_pos, message);
      }
    }
  }

  // --- arguments -----------------------------------------------------------
  std::set<std::string> used;
  for (const auto& language : set->languages()) {
    const templates::MessageTemplate& t = *set->find(language);
    for (const auto& arg : t.arguments()) used.insert(arg);
    check_arguments(read, t, issues);
  }
  if (footer) {
    for (const auto& language : footer->languages()) check_arguments(read, *footer->find(language), issues);
  }
  for (const auto& [name, pos] : c.variable_pos) {
    if (!used.count(name)) {
      issues.warning(pos, "variable '" + name + "' is not used by any variant of template '" + set->name() + "'");
    }
  }
  if (issues.has_errors()) return issues.take();  // rendering needs every value

  // --- what each language receives ------------------------------------------
  MessageRenderer renderer(c, cfg, store);
  for (const auto& language : languages) {
    const LanguageRendering* r = nullptr;
    try {
      r = &renderer.for_language(language);
    } catch (const Error& e) {
      issues.error(c.variables_pos, e.what());
      continue;
    }
    if (!r->variant) continue;  // reported above
    const std::string& source = r->variant->source();
    const std::string who = "'" + language + "' subscribers" +
                            (r->variant->language() == language ? "" : " (the '" + r->variant->language() + "' text)");
    if (r->plain.text.empty()) {
      issues.error({}, who + " would get an empty message; providers refuse it", source);
      continue;
    }
    if (channel == cfg.channels.end()) continue;
    const bool footer_applies = r->with_footer.has_value();
    const RenderedText& longest = footer_applies ? *r->with_footer : r->plain;
    const std::string with = footer_applies ? " with the opt-out footer" : "";
    if (!longest.sms) {
      // A plain-text channel: its character limit, when it has one.
      const std::size_t limit = channel->second.character_limit();
      if (limit > 0 && longest.code_points > limit) {
        issues.error({}, fmt::format("{} get {} characters{}, more than channel '{}' allows ({}); shorten the text",
                                     who, longest.code_points, with, c.channel.value,
                                     describe_character_limit(channel->second)),
                     source);
      }
      continue;
    }
    const std::size_t limit = channel->second.max_segments;
    if (longest.sms->segments > limit) {
      issues.error(
          {},
          fmt::format("{} get {}{}, more than channel '{}' allows (max_segments: {}); shorten the "
                      "text{}",
                      who, describe(longest), with, c.channel.value, limit,
                      !c.smart_encoding && templates::analyze_sms(templates::smart_encode(longest.text)).segments <
                                               longest.sms->segments
                          ? " or set smart_encoding: true (it replaces curly quotes and dashes)"
                          : ""),
          source);
    }
  }
  return issues.take();
}

}  // namespace broadcaster::campaign
