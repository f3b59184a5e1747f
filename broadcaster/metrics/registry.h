// A small registry of Prometheus counters and gauges with labels, owned by
// the process that serves them (`serve` makes one and hands a pointer to the
// parts that count; a null pointer means "not measured", as in unit tests).
// Design: a family is one metric name with fixed label names; its series are
// a map from label values to a double, guarded by the family's mutex, since
// the sender counts on the io_context thread and the webhook worker on its
// own thread. Families live in a deque of unique_ptr, so the references
// handed out stay valid while the registry lives; families are created at
// start-up, series on first use. Names are checked when a family is made
// (Prometheus conventions: [a-zA-Z_:][a-zA-Z0-9_:]*, counters end in
// _total), so a bad name fails the first test that builds the registry.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace broadcaster::metrics {

/// Label values, in the order of the family's label names.
using LabelValues = std::vector<std::string>;

enum class MetricType { Counter, Gauge };

/// One metric family as a scrape sees it.
struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::Counter;
  std::vector<std::string> label_names;
  std::map<LabelValues, double> series;
};

/// One metric name and its series. Every member is thread-safe.
class Family {
 public:
  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names);

  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  /// Adds `amount` (>= 0 for counters) to the series `values`, made at 0 on
  /// first use. Throws std::invalid_argument when `values` does not match
  /// the label names in number, or a counter would go down.
  void add(const LabelValues& values, double amount = 1);

  /// Sets the series `values` to `value`: a gauge, or a counter mirrored
  /// from a total kept elsewhere (it must not go down). Throws as add().
  void set(const LabelValues& values, double value);

  /// Replaces every series at once (a gauge computed at scrape time: series
  /// that are gone, such as a finished campaign, disappear). Throws as add().
  void replace(std::map<LabelValues, double> series);

  /// The current value of `values`, 0 when the series does not exist.
  [[nodiscard]] double value(const LabelValues& values) const;

  [[nodiscard]] FamilySnapshot snapshot() const;
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  void check(const LabelValues& values) const;

  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::map<LabelValues, double> series_;  // guarded by mutex_
};

/// The families of one process, in the order they were made.
class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Makes a counter family. `name` must end in _total; a family without
  /// labels starts with its one series at 0. Throws std::invalid_argument
  /// for an invalid or duplicate name or label name.
  Family& counter(std::string name, std::string help, std::vector<std::string> label_names = {});

  /// Makes a gauge family; throws as counter() (without the _total rule).
  Family& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});

  /// Every family, for the text writer. Thread-safe.
  [[nodiscard]] std::vector<FamilySnapshot> snapshot() const;

 private:
  Family& make(std::string name, std::string help, MetricType type, std::vector<std::string> label_names);

  mutable std::mutex mutex_;
  std::deque<std::unique_ptr<Family>> families_;  // guarded by mutex_
};

}  // namespace broadcaster::metrics
