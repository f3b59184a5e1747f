// The `--record FILE` output: one JSON line per accepted message, appended.
// Design: the I/O thread must not block on disk, so lines go into a bounded
// queue drained by one writer thread that writes and flushes in batches. The
// queue holds at most `max_queued` lines; only if the disk falls that far
// behind does append() wait (back-pressure instead of dropping records the
// benchmark counts). The destructor drains the queue, flushes and joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

namespace broadcaster::simulator {

/// Append-only JSON-lines file written from a background thread.
class RecordFile {
 public:
  /// Opens `path` for appending, creating it if needed. Throws
  /// broadcaster::Error naming the path when it cannot be opened.
  explicit RecordFile(std::string path, std::size_t max_queued = 65536);

  /// Writes every queued line, flushes, stops the writer thread.
  ~RecordFile();

  RecordFile(const RecordFile&) = delete;
  RecordFile& operator=(const RecordFile&) = delete;
  RecordFile(RecordFile&&) = delete;
  RecordFile& operator=(RecordFile&&) = delete;

  /// Queues `line` (without its newline) for writing. Thread-safe. Waits only
  /// while `max_queued` lines are already pending.
  void append(std::string line);

  /// Blocks until every line appended before the call is written and
  /// flushed. For tests and tools; never call it on an I/O thread.
  void flush();

  /// The file's path, as given.
  const std::string& path() const noexcept { return path_; }

  /// Lines that could not be written (disk full, ...); each failure is logged
  /// once per batch at error level.
  std::uint64_t write_errors() const;

 private:
  void run();

  std::string path_;
  std::size_t max_queued_;
  std::ofstream out_;
  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable progress_;
  std::deque<std::string> queue_;
  std::uint64_t appended_ = 0;  ///< lines ever appended
  std::uint64_t done_ = 0;      ///< lines written (or failed) and flushed
  std::uint64_t write_errors_ = 0;
  bool stopping_ = false;
  std::thread writer_;  ///< last: starts after every other member exists
};

}  // namespace broadcaster::simulator
