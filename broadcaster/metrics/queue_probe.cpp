// Reading queue length, oldest waiting message and deferred count per campaign.
#include "metrics/queue_probe.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace broadcaster::metrics {

namespace {

using store::RedisValue;

long long id_ms(const std::string& id) { return std::atoll(id.substr(0, id.find('-')).c_str()); }

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Group {
  long long pending = 0;
  std::optional<long long> lag;
  std::string last_delivered = "0-0";
  bool found = false;
};

// XINFO GROUPS: an array of flat field/value arrays, values strings or integers.
Group read_group(const RedisValue& groups) {
  Group g;
  for (const auto& group : groups.as_array()) {
    const auto& f = group.as_array();
    std::map<std::string, const RedisValue*> fields;
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) fields[f[i].as_string()] = &f[i + 1];
    if (!fields.count("name") || fields["name"]->as_string() != store::kConsumerGroup) continue;
    g.found = true;
    if (fields.count("pending")) g.pending = fields["pending"]->as_integer();
    if (fields.count("last-delivered-id")) g.last_delivered = fields["last-delivered-id"]->as_string();
    if (fields.count("lag") && !fields["lag"]->is_nil()) g.lag = fields["lag"]->as_integer();
  }
  return g;
}

// One scrape: results gathered on the io_context thread, written at the end.
struct Probe {
  store::AsyncCommands& redis;
  store::Keys keys;
  ServeMetrics& metrics;
  std::function<void()> done;
  std::map<LabelValues, double> queued, oldest, deferred;
  int outstanding = 0;
  bool failed = false;

  void finish_one() {
    if (--outstanding > 0) return;
    if (failed) {
      metrics.queued.replace({});
      metrics.oldest_queued.replace({});
      metrics.deferred.replace({});
    } else {
      metrics.queued.replace(std::move(queued));
      metrics.oldest_queued.replace(std::move(oldest));
      metrics.deferred.replace(std::move(deferred));
    }
    done();
  }

  void fail(const std::exception_ptr& error, const std::string& what) {
    if (!failed) spdlog::debug("metrics: reading {}: {}", what, store::describe(error));
    failed = true;
  }

  // Runs `fn` on the reply of `argv`, counted in `outstanding`.
  void ask(const std::shared_ptr<Probe>& self, std::vector<std::string> argv,
           std::function<void(const RedisValue&)> fn) {
    ++outstanding;
    redis.command(std::move(argv), [self, fn = std::move(fn)](std::exception_ptr error, RedisValue value) {
      if (error && store::is_unavailable(error)) {
        self->fail(error, "queue sizes");
      } else if (error) {
        // One campaign's keys in an unexpected state (its queue not made
        // yet): that campaign is left out, the others are reported.
        spdlog::debug("metrics: reading queue sizes: {}", store::describe(error));
      } else {
        try {
          fn(value);
        } catch (const std::exception& e) {
          spdlog::warn("metrics: unexpected reply reading queue sizes: {}", e.what());
          self->failed = true;
        }
      }
      self->finish_one();
    });
  }

  void campaign(const std::shared_ptr<Probe>& self, const std::string& id) {
    const std::string queue = keys.campaign_queue(id);
    const LabelValues label{campaign_label(id)};
    ask(self, {"ZCARD", keys.campaign_deferred(id)},
        [self, label](const RedisValue& v) { self->deferred[label] += static_cast<double>(v.as_integer()); });
    ask(self, {"XINFO", "GROUPS", queue}, [self, queue, label](const RedisValue& v) {
      const Group g = read_group(v);
      self->queued[label] += static_cast<double>(g.pending + g.lag.value_or(0));
      self->oldest.emplace(label, 0);
      if (g.pending > 0) {
        self->ask(self, {"XPENDING", queue, std::string(store::kConsumerGroup)}, [self, label](const RedisValue& p) {
          const auto& summary = p.as_array();
          if (summary.size() >= 2 && !summary[1].is_nil()) self->older(label, id_ms(summary[1].as_string()));
        });
      }
      if (!g.lag || *g.lag > 0) {
        const int count = g.lag ? 1 : kCountLimit;
        self->ask(self, {"XRANGE", queue, "(" + g.last_delivered, "+", "COUNT", std::to_string(count)},
                  [self, label, unknown_lag = !g.lag](const RedisValue& r) {
                    const auto& entries = r.as_array();
                    if (unknown_lag) self->queued[label] += static_cast<double>(entries.size());
                    if (!entries.empty()) self->older(label, id_ms(entries.front().as_array().at(0).as_string()));
                  });
      }
    });
  }

  // Keeps the larger age: the oldest entry wins.
  void older(const LabelValues& label, long long entry_ms) {
    const double age = std::max(0.0, (now_ms() - static_cast<double>(entry_ms)) / 1000.0);
    double& cell = oldest[label];
    cell = std::max(cell, age);
  }
};

}  // namespace

std::string campaign_label(const std::string& id) {
  return id.rfind(store::kReplyCampaignPrefix, 0) == 0 ? std::string(kRepliesLabel) : id;
}

void probe_queues(store::AsyncCommands& redis, const store::Keys& keys, ServeMetrics& metrics,
                  std::function<void()> done) {
  auto probe = std::make_shared<Probe>(Probe{redis, keys, metrics, std::move(done), {}, {}, {}, 0, false});
  probe->ask(probe, {"ZRANGE", keys.campaigns(), "0", std::to_string(kMaxCampaigns - 1)},
             [probe](const RedisValue& ids) {
               for (const auto& id : ids.as_array()) probe->campaign(probe, id.as_string());
             });
}

}  // namespace broadcaster::metrics
