// Background JSON-lines writer.
#include "simulator/record_file.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "util/errors.h"

namespace broadcaster::simulator {

RecordFile::RecordFile(std::string path, std::size_t max_queued)
    : path_(std::move(path)), max_queued_(max_queued == 0 ? 1 : max_queued) {
  out_.open(path_, std::ios::out | std::ios::app | std::ios::binary);
  if (!out_) {
    throw Error("cannot open record file '" + path_ + "' for appending: " + std::strerror(errno) +
                " (check the directory exists and is writable)");
  }
  writer_ = std::thread([this] { run(); });
}

RecordFile::~RecordFile() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  writer_.join();
}

void RecordFile::append(std::string line) {
  std::unique_lock lock(mutex_);
  progress_.wait(lock, [this] { return queue_.size() < max_queued_; });
  queue_.push_back(std::move(line));
  ++appended_;
  lock.unlock();
  wake_writer_.notify_one();
}

void RecordFile::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = appended_;
  progress_.wait(lock, [this, target] { return done_ >= target; });
}

std::uint64_t RecordFile::write_errors() const {
  std::lock_guard lock(mutex_);
  return write_errors_;
}

void RecordFile::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    std::deque<std::string> batch;
    batch.swap(queue_);
    lock.unlock();
    progress_.notify_all();  // room in the queue again

    for (const auto& line : batch) {
      out_.write(line.data(), static_cast<std::streamsize>(line.size()));
      out_.put('\n');
    }
    out_.flush();
    const bool failed = !out_;
    if (failed) {
      spdlog::error("could not write {} line(s) to record file '{}'", batch.size(), path_);
      out_.clear();
    }

    lock.lock();
    done_ += batch.size();
    if (failed) write_errors_ += batch.size();
    progress_.notify_all();
  }
}

}  // namespace broadcaster::simulator
