// Reading snapshots on a worker thread.
#include "status/snapshot_cache.h"

#include <spdlog/spdlog.h>

#include "util/errors.h"

namespace broadcaster::status {

SnapshotCache::SnapshotCache(store::RedisEndpoint endpoint, store::Keys keys, SnapshotScope scope)
    : endpoint_(std::move(endpoint)), keys_(std::move(keys)), scope_(std::move(scope)), worker_([this] { run(); }) {}

SnapshotCache::~SnapshotCache() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  worker_.join();
}

void SnapshotCache::get(Done done) {
  std::unique_lock lock(mutex_);
  if (last_ && std::chrono::steady_clock::now() - last_at_ < kFreshFor) {
    const SnapshotResult fresh{last_, ""};
    lock.unlock();
    done(fresh);
    return;
  }
  waiting_.push_back(std::move(done));
  lock.unlock();
  wake_.notify_one();
}

void SnapshotCache::run() {
  for (;;) {
    std::vector<Done> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) {
        batch.swap(waiting_);
        lock.unlock();
        for (auto& done : batch) done({std::nullopt, "serve is stopping"});
        return;
      }
      // A read finished while these waited may have made one fresh.
      if (last_ && std::chrono::steady_clock::now() - last_at_ < kFreshFor) {
        batch.swap(waiting_);
        const SnapshotResult fresh{last_, ""};
        lock.unlock();
        for (auto& done : batch) done(fresh);
        continue;
      }
    }
    SnapshotResult result = read();
    {
      std::lock_guard lock(mutex_);
      if (result.snapshot) {
        last_ = result.snapshot;
        last_at_ = std::chrono::steady_clock::now();
      }
      batch.swap(waiting_);
    }
    for (auto& done : batch) done(result);
  }
}

SnapshotResult SnapshotCache::read() {
  try {
    if (!redis_) redis_.emplace(endpoint_);
    return {read_status_snapshot(*redis_, keys_, scope_), ""};
  } catch (const RedisIoError& e) {
    redis_.reset();  // broken for good: connect anew next time
    spdlog::warn("status page: cannot read from Redis: {}", e.what());
    return {std::nullopt, std::string("serve cannot reach Redis: ") + e.what()};
  } catch (const std::exception& e) {
    spdlog::warn("status page: reading the status failed: {}", e.what());
    return {std::nullopt, std::string("reading the status failed: ") + e.what()};
  }
}

}  // namespace broadcaster::status
