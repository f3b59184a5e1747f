// `broadcaster campaign validate FILE`: the issues of a campaign file and,
// when it has no errors, each language's length (segments on an SMS channel,
// characters on a plain-text one).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "campaign/message_renderer.h"
#include "campaign/same_day.h"
#include "campaign/validator.h"
#include "cli/checked_campaign.h"
#include "cli/context.h"
#include "util/errors.h"

namespace broadcaster::cli {

void add_campaign_validate_command(CLI::App& campaign, GlobalOptionsPtr options) {
  auto* cmd = campaign.add_subcommand(
      "validate",
      "Check a campaign file against the configuration and templates "
      "(no Redis needed; when it answers, also warns of other campaigns the same subscribers get that day); exits "
      "1 if it has errors");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("FILE", *file, "campaign YAML, e.g. config/campaigns/workshop.yaml")->required();
  auto offline = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "print the result as JSON");
  cmd->add_flag("--offline", *offline,
                "do not look in Redis for other campaigns the same subscribers get that day (otherwise looked for "
                "when Redis answers, and skipped with a note when it does not)");
  cmd->callback([options, file, json, offline] {
    const config::Config cfg = load_configuration(*options);
    templates::TemplateStore templates = campaign::open_template_store(cfg);
    const campaign::CampaignFile read = campaign::read_campaign_file(*file);
    std::vector<campaign::ValidationIssue> issues = campaign::validate_campaign(read, cfg, templates);
    if (!campaign::has_errors(issues)) {
      if (auto problem = channel_start_issue(read.campaign, cfg, *file)) issues.push_back(std::move(*problem));
    }
    const bool ok = !campaign::has_errors(issues);
    const std::optional<campaign::Campaign> parsed =
        read.readable("id") ? std::optional<campaign::Campaign>(read.campaign) : std::nullopt;
    // Two campaigns to the same people on one day (issue 11's promise of a
    // few texts a week) needs the subscriber store: looked for when Redis
    // answers, never a reason to fail.
    std::string same_day_note;
    if (ok && !*offline) {
      try {
        store::RedisClient redis(redis_endpoint(cfg));
        for (const auto& o :
             campaign::same_day_overlaps(*parsed, cfg, redis, keys_for(cfg), std::chrono::system_clock::now())) {
          issues.push_back(
              {campaign::ValidationIssue::Severity::Warning, *file, parsed->id.pos,
               fmt::format("{} of these subscribers also get campaign '{}' on {}", o.subscribers, o.campaign, o.date)});
        }
      } catch (const Error& e) {
        same_day_note = std::string("note: other campaigns on the same day not checked (") + e.what() + ")";
      }
    }
    // What each language receives, once the campaign is known to render.
    std::vector<const campaign::LanguageRendering*> rendered;
    std::optional<campaign::MessageRenderer> renderer;
    if (ok) {
      renderer.emplace(*parsed, cfg, templates);
      for (const auto& language : campaign::languages_to_check(*parsed, cfg, renderer->set())) {
        rendered.push_back(&renderer->for_language(language));
      }
    }
    // On an SMS channel a text's encoding, characters and segments; on a
    // plain-text one only its characters (code points): it has no others.
    auto length = [](const campaign::RenderedText& t) {
      if (!t.sms) return nlohmann::json{{"characters", t.code_points}};
      return nlohmann::json{{"encoding", templates::to_string(t.sms->encoding)},
                            {"characters", t.sms->characters},
                            {"segments", t.sms->segments}};
    };
    auto describe = [](const campaign::RenderedText& t) {
      if (!t.sms) return fmt::format("{} characters", t.code_points);
      return fmt::format("{} segment{} ({}, {} characters)", t.sms->segments, t.sms->segments == 1 ? "" : "s",
                         templates::to_string(t.sms->encoding), t.sms->characters);
    };
    // Segments or characters, as for the text without it.
    auto describe_footer = [](const campaign::RenderedText& t) {
      return fmt::format(", {} with the opt-out footer", t.sms ? t.sms->segments : t.code_points);
    };
    const auto channel = parsed ? cfg.channels.find(parsed->channel.value) : cfg.channels.end();
    if (*json) {
      nlohmann::json out = {{"file", *file}, {"valid", ok}, {"issues", nlohmann::json::array()}};
      if (parsed) out["campaign"] = parsed->id.value;
      if (channel != cfg.channels.end()) out["medium"] = channels::to_string(channel->second.medium().kind());
      if (!same_day_note.empty()) out["note"] = same_day_note;
      for (const auto& i : issues) {
        out["issues"].push_back(
            {{"severity", i.severity == campaign::ValidationIssue::Severity::Error ? "error" : "warning"},
             {"file", i.file},
             {"line", i.pos.line},
             {"column", i.pos.column},
             {"message", i.message}});
      }
      out["languages"] = nlohmann::json::array();
      for (const auto* r : rendered) {
        if (!r->variant) continue;
        nlohmann::json l = {{"language", r->language},
                            {"variant", r->variant->language()},
                            {"format_locale", r->variant->format_locale()},
                            {"text", length(r->plain)}};
        if (r->with_footer) l["with_footer"] = length(*r->with_footer);
        out["languages"].push_back(std::move(l));
      }
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& i : issues) std::cerr << i.to_string() << "\n";
      if (!same_day_note.empty()) std::cerr << same_day_note << "\n";
      if (ok) {
        std::cout << *file << ": OK: campaign '" << parsed->id.value << "', template '" << parsed->template_name.value
                  << "', channel '" << parsed->channel.value << "'"
                  << (channel != cfg.channels.end() && !channel->second.medium().is_sms() ? " (plain text)" : "")
                  << "\n";
        for (const auto* r : rendered) {
          if (!r->variant) continue;
          std::cout << fmt::format("  {:<6} {}", r->language, describe(r->plain));
          if (r->with_footer) std::cout << describe_footer(*r->with_footer);
          if (r->variant->language() != r->language) std::cout << " [" << r->variant->language() << " text]";
          std::cout << "\n";
        }
      }
    }
    if (!ok) throw CLI::RuntimeError(1);
  });
}

}  // namespace broadcaster::cli
