// Families and the registry: name checks, thread-safe series.
#include "metrics/registry.h"

#include <algorithm>
#include <stdexcept>

namespace broadcaster::metrics {

namespace {

bool valid_name(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    const bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (allow_colon && ch == ':');
    const bool digit = ch >= '0' && ch <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

Family::Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {
  if (label_names_.empty()) series_[{}] = 0;
}

void Family::check(const LabelValues& values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(name_ + ": " + std::to_string(values.size()) + " label values for " +
                                std::to_string(label_names_.size()) + " labels");
  }
}

void Family::add(const LabelValues& values, double amount) {
  check(values);
  if (type_ == MetricType::Counter && amount < 0) throw std::invalid_argument(name_ + ": a counter only goes up");
  std::lock_guard lock(mutex_);
  series_[values] += amount;
}

void Family::set(const LabelValues& values, double value) {
  check(values);
  std::lock_guard lock(mutex_);
  double& cell = series_[values];
  if (type_ == MetricType::Counter && value < cell) throw std::invalid_argument(name_ + ": a counter only goes up");
  cell = value;
}

void Family::replace(std::map<LabelValues, double> series) {
  for (const auto& [values, v] : series) check(values);
  std::lock_guard lock(mutex_);
  series_ = std::move(series);
}

double Family::value(const LabelValues& values) const {
  std::lock_guard lock(mutex_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

FamilySnapshot Family::snapshot() const {
  std::lock_guard lock(mutex_);
  return FamilySnapshot{name_, help_, type_, label_names_, series_};
}

Family& Registry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  if (!ends_with(name, "_total")) throw std::invalid_argument("counter " + name + " must end in _total");
  return make(std::move(name), std::move(help), MetricType::Counter, std::move(label_names));
}

Family& Registry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  if (ends_with(name, "_total")) throw std::invalid_argument("gauge " + name + " must not end in _total");
  return make(std::move(name), std::move(help), MetricType::Gauge, std::move(label_names));
}

Family& Registry::make(std::string name, std::string help, MetricType type, std::vector<std::string> label_names) {
  if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name '" + name + "'");
  for (const auto& l : label_names) {
    if (!valid_name(l, false) || l.rfind("__", 0) == 0) throw std::invalid_argument("invalid label name '" + l + "'");
    if (std::count(label_names.begin(), label_names.end(), l) > 1)
      throw std::invalid_argument(name + ": label '" + l + "' given twice");
  }
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    if (f->name() == name) throw std::invalid_argument("metric " + name + " made twice");
  }
  families_.push_back(std::make_unique<Family>(std::move(name), std::move(help), type, std::move(label_names)));
  return *families_.back();
}

std::vector<FamilySnapshot> Registry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<FamilySnapshot> out;
  out.reserve(families_.size());
  for (const auto& f : families_) out.push_back(f->snapshot());
  return out;
}

}  // namespace broadcaster::metrics
