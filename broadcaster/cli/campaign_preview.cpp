// `broadcaster campaign preview FILE [--json] [--no-audience]`: per language,
// the audience, the text a sample subscriber gets and its length: on an SMS
// channel its encoding, characters and segments, total segments and
// estimated cost; on a plain-text channel its characters (code points).
// Validates first (exit 1 on errors, as `campaign validate`); needs Redis
// for the audience unless --no-audience is given (exit 1 with a clear
// message when Redis is down).
#include <cstdint>
#include <iostream>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "campaign/audience_groups.h"
#include "campaign/message_renderer.h"
#include "campaign/preview.h"
#include "campaign/same_day.h"
#include "campaign/send_times.h"
#include "campaign/validator.h"
#include "cli/checked_campaign.h"
#include "cli/context.h"
#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::cli {

namespace {

// An SMS text: its encoding, characters (grapheme clusters), units and
// segments. A plain-text one: "characters" are code points, what its
// channel's limit counts, and the SMS fields are left out (not null): they
// do not exist there.
nlohmann::json text_json(const campaign::RenderedText& t) {
  if (!t.sms) return {{"text", t.text}, {"characters", t.code_points}};
  return {{"text", t.text},
          {"encoding", templates::to_string(t.sms->encoding)},
          {"characters", t.sms->characters},
          {"code_units", t.sms->code_units},
          {"segments", t.sms->segments},
          {"non_gsm_characters", t.sms->non_gsm_characters}};
}

// The fields of an SMS preview are what they always were ("medium" is new);
// a plain-text preview has "max_characters" (null: no limit) and omits
// every segment and cost field, top level and per language.
nlohmann::json to_json(const campaign::Preview& p) {
  const bool sms = p.medium == channels::MediumKind::Sms;
  nlohmann::json out = {{"campaign", p.campaign},
                        {"channel", p.channel},
                        {"medium", channels::to_string(p.medium)},
                        {"currency", p.currency},
                        {"footer", campaign::to_string(p.footer)},
                        {"smart_encoding", p.smart_encoding},
                        {"audience_counted", p.has_audience},
                        {"subscribers", p.subscribers},
                        {"skipped_no_template", p.skipped},
                        {"skipped_unreachable", p.unreachable},
                        {"languages", nlohmann::json::array()}};
  if (sms) {
    out["max_segments"] = p.max_segments;
    out["total_segments"] = p.total_segments;
    out["price_per_segment"] = p.price_per_segment ? nlohmann::json(*p.price_per_segment) : nlohmann::json();
    out["estimated_cost"] = p.cost ? nlohmann::json(*p.cost) : nlohmann::json();
  } else {
    out["max_characters"] = p.max_characters > 0 ? nlohmann::json(p.max_characters) : nlohmann::json();
  }
  for (const auto& l : p.languages) {
    nlohmann::json row = {{"language", l.language},
                          {"variant", l.variant.empty() ? nlohmann::json() : nlohmann::json(l.variant)},
                          {"format_locale", l.format_locale},
                          {"subscribers", l.subscribers},
                          {"with_footer", l.with_footer},
                          {"sample", l.sample ? nlohmann::json(l.sample->masked()) : nlohmann::json()}};
    if (sms) {
      row["total_segments"] = l.total_segments;
      row["estimated_cost"] = l.cost ? nlohmann::json(*l.cost) : nlohmann::json();
    }
    if (!l.variant.empty()) {
      row["sample_text"] = text_json(l.sample_text);
      row["without_footer"] = text_json(l.plain);
      row["with_footer_text"] = l.footered ? text_json(*l.footered) : nlohmann::json();
    }
    out["languages"].push_back(std::move(row));
  }
  return out;
}

/// "á U+00E1", so an invisible character (U+202F in "10:00 AM") shows.
std::string describe_character(std::string_view character) {
  std::string out(character);
  for (const char32_t cp : templates::code_points(character)) {
    out += fmt::format(" U+{:04X}", static_cast<std::uint32_t>(cp));
  }
  return out;
}

std::string money(const std::optional<double>& amount, const std::string& currency) {
  return amount ? fmt::format("{:.2f} {}", *amount, currency) : "-";
}

// The sample text of each language, after the table.
void print_samples(const campaign::Preview& p) {
  for (const auto& l : p.languages) {
    if (l.variant.empty()) continue;
    std::string who = l.sample ? "sample subscriber " + l.sample->masked() : "every subscriber";
    if (l.footered && l.sample_text.text == l.footered->text) {
      who += ", with the opt-out footer";
    }
    const std::string head =
        fmt::format("\n--- {} ({} text, dates and numbers as {}), {}: ", l.language, l.variant, l.format_locale, who);
    if (!l.sample_text.sms) {
      std::cout << head << fmt::format("{} characters\n", l.sample_text.code_points) << l.sample_text.text << "\n";
      continue;
    }
    const templates::SmsInfo& sms = *l.sample_text.sms;
    std::cout << head
              << fmt::format("{}, {} characters, {} segment{}\n", templates::to_string(sms.encoding), sms.characters,
                             sms.segments, sms.segments == 1 ? "" : "s");
    std::cout << l.sample_text.text << "\n";
    if (!sms.non_gsm_characters.empty()) {
      std::string chars;
      for (const auto& ch : sms.non_gsm_characters) {
        chars += (chars.empty() ? "" : ", ") + describe_character(ch);
      }
      std::cout << "(UCS-2 because of: " << chars << ")\n";
    }
  }
}

// A count cell: without audience data (--no-audience) there are no counts
// to show, only texts.
std::string count_cell(const campaign::Preview& p, long long n) {
  return p.has_audience ? std::to_string(n) : std::string("-");
}

// The row of a language whose subscribers no variant reaches, in either table.
void print_skipped_language(const campaign::Preview& p, const campaign::PreviewLanguage& l) {
  std::cout << fmt::format("{:<9}{:<6}{:>12}{:>8}  {}\n", l.language, "-", count_cell(p, l.subscribers), "-",
                           "no variant along its fallback chain: skipped");
}

// A plain-text channel: characters (code points) per language, no
// encoding, segments or cost.
void print_plain_text_table(const campaign::Preview& p) {
  std::cout << fmt::format("campaign '{}' on channel '{}': plain text (not SMS: no encoding, segments or cost), {}; "
                           "footer: {}\n",
                           p.campaign, p.channel,
                           p.max_characters > 0 ? fmt::format("at most {} characters per message", p.max_characters)
                                                : std::string("no character limit"),
                           campaign::to_string(p.footer));
  if (!p.has_audience) std::cout << "(--no-audience: subscriber counts are not computed)\n";
  std::cout << "\n"
            << fmt::format("{:<9}{:<6}{:>12}{:>8}  {:>6}{:>8}\n", "language", "text", "subscribers", "footer", "chars",
                           "+footer");
  auto count = [&](long long n) { return count_cell(p, n); };
  for (const auto& l : p.languages) {
    if (l.variant.empty()) {
      print_skipped_language(p, l);
      continue;
    }
    std::cout << fmt::format("{:<9}{:<6}{:>12}{:>8}  {:>6}{:>8}\n", l.language, l.variant, count(l.subscribers),
                             count(l.with_footer), l.plain.code_points,
                             l.footered ? std::to_string(l.footered->code_points) : "-");
  }
  std::cout << fmt::format("{:<15}{:>12}\n", "total", count(p.subscribers));
}

void print_sms_table(const campaign::Preview& p) {
  std::cout << fmt::format("campaign '{}' on channel '{}': at most {} segments per message, {}; footer: {}{}\n",
                           p.campaign, p.channel, p.max_segments,
                           p.price_per_segment ? fmt::format("{} {} per segment", *p.price_per_segment, p.currency)
                                               : std::string("no price_per_segment configured"),
                           campaign::to_string(p.footer), p.smart_encoding ? ", smart encoding" : "");
  if (!p.has_audience) std::cout << "(--no-audience: subscriber counts, totals and cost are not computed)\n";
  std::cout << "\n"
            << fmt::format("{:<9}{:<6}{:>12}{:>8}  {:<9}{:>6}{:>9}{:>8}{:>10}{:>14}\n", "language", "text",
                           "subscribers", "footer", "encoding", "chars", "segments", "+footer", "total", "cost");
  auto count = [&](long long n) { return count_cell(p, n); };
  for (const auto& l : p.languages) {
    if (l.variant.empty()) {
      print_skipped_language(p, l);
      continue;
    }
    std::cout << fmt::format("{:<9}{:<6}{:>12}{:>8}  {:<9}{:>6}{:>9}{:>8}{:>10}{:>14}\n", l.language, l.variant,
                             count(l.subscribers), count(l.with_footer), templates::to_string(l.plain.sms->encoding),
                             l.plain.sms->characters, l.plain.sms->segments,
                             l.footered ? std::to_string(l.footered->sms->segments) : "-", count(l.total_segments),
                             money(l.cost, p.currency));
  }
  std::cout << fmt::format("{:<15}{:>12}{:>8}  {:<9}{:>6}{:>9}{:>8}{:>10}{:>14}\n", "total", count(p.subscribers), "",
                           "", "", "", "", count(p.total_segments), money(p.cost, p.currency));
}

void print_table(const campaign::Preview& p) {
  if (p.medium == channels::MediumKind::Sms) {
    print_sms_table(p);
  } else {
    print_plain_text_table(p);
  }
  if (p.skipped > 0) {
    std::cout << fmt::format("{} subscribers have no variant in their language or its fallbacks and are skipped\n",
                             p.skipped);
  }
  if (p.unreachable > 0) {
    std::cout << fmt::format(
        "{} subscribers have no address channel '{}' reaches (for example an email address on "
        "an SMS channel) and are skipped\n",
        p.unreachable, p.channel);
  }
  print_samples(p);
}

}  // namespace

void add_campaign_preview_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "preview", "Show, per language, the audience, the exact text and its length (on SMS channels its encoding and "
      "segments, and the estimated cost)");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto no_audience = std::make_shared<bool>(false);
  cmd->add_option("FILE", *file, "campaign YAML")->required();
  cmd->add_flag("--json", *json, "print the preview as JSON");
  cmd->add_flag("--no-audience", *no_audience,
                "do not read subscribers from Redis: show the texts of the campaign's languages without counts");
  cmd->callback([options, file, json, no_audience] {
    const config::Config cfg = load_configuration(*options);
    templates::TemplateStore templates = campaign::open_template_store(cfg);
    const campaign::Campaign c = read_checked_campaign(*file, cfg, templates, "cannot preview");
    std::optional<campaign::AudienceGroups> audience;
    std::vector<campaign::ZoneSendTime> times;
    if (!*no_audience) {
      try {
        store::RedisClient redis(redis_endpoint(cfg));
        audience = campaign::read_audience_groups(c, cfg, redis, keys_for(cfg));
        times = campaign::send_times(c, cfg, redis, keys_for(cfg), std::chrono::system_clock::now());
        for (const auto& o : campaign::same_day_overlaps(c, cfg, redis, keys_for(cfg), std::chrono::system_clock::now())) {
          std::cerr << fmt::format("{}: warning: {} of these subscribers also get campaign '{}' on {}\n", *file,
                                   o.subscribers, o.campaign, o.date);
        }
      } catch (const RedisIoError& e) {
        throw Error(std::string("cannot count the audience: ") + e.what() +
                    "\n(run with --no-audience to preview the texts without subscriber counts)");
      }
    }
    const campaign::Preview p =
        audience ? campaign::build_preview(c, cfg, templates, audience->languages, audience->unreachable)
                 : campaign::build_preview(c, cfg, templates, std::nullopt);
    if (*json) {
      nlohmann::json out = to_json(p);
      out["send_times"] = nlohmann::json::array();
      for (const auto& t : times) {
        out["send_times"].push_back({{"time_zone", t.zone},
                                     {"state", t.state},
                                     {"subscribers", t.subscribers},
                                     {"first_send", store::iso8601(t.first)},
                                     {"first_send_local", t.local},
                                     {"waits_for_quiet_hours", t.waits_for_quiet_hours}});
      }
      std::cout << out.dump(2) << "\n";
    } else {
      print_table(p);
      if (!times.empty()) {
        std::cout << "\nwhen each time zone's part goes out (quiet hours "
                  << cfg.outreach.quiet_hours.window().to_string() << " local, and stricter state laws):\n";
        for (const auto& t : times) {
          std::cout << fmt::format("  {:<22} {:<3} {:>6} subscribers  from {}{}\n", t.zone, t.state.empty() ? "-" : t.state,
                                   t.subscribers, t.local, t.waits_for_quiet_hours ? " (after quiet hours)" : "");
        }
      }
    }
  });
}

}  // namespace broadcaster::cli
