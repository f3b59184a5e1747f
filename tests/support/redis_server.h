// A real redis-server for tests, on a free loopback port in a fresh temp dir.
// Design: each RedisServer is one child process (posix_spawn, no daemonize)
// bound to 127.0.0.1 only, with its own `--dir`, so test executables running
// in parallel under CTest never share a server, a port or a file. The port
// comes from binding a socket to port 0; if another process takes it before
// redis-server binds, startup fails and is retried on a new port. Readiness
// is polled under a deadline (no fixed sleeps): a server is ready when its
// log says it finished loading (PING answers earlier, during AOF loading) and
// INFO on the port reports our child's pid, so we never mistake another
// test's server for ours. Constructing one also ignores SIGPIPE in the test process,
// as `serve` does, so writing to a killed server fails with EPIPE instead of
// killing the test. RefusingPort, for connection-refused tests, lives here
// too: it is the other half of "where is (no) Redis".
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "store/redis_endpoint.h"

namespace broadcaster::testing {

/// How to start a RedisServer.
struct RedisServerOptions {
  bool appendonly = false;              ///< `--appendonly yes` (with fsync always) for crash tests
  std::string password;                 ///< `--requirepass` when not empty; endpoint() carries it
  std::vector<std::string> extra_args;  ///< further `--name value` arguments, appended last
  /// Bound on waiting for the server to answer; only reached when it fails.
  std::chrono::milliseconds start_deadline{10000};
};

/// A redis-server child process, stopped and cleaned up by the destructor.
class RedisServer {
 public:
  /// Starts redis-server (from $BC_REDIS_SERVER, $PATH, or /usr/bin) and
  /// waits until it answers. Throws std::runtime_error with the end of the
  /// server's log when it cannot be started after a few ports.
  explicit RedisServer(RedisServerOptions options = {});

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  /// Stops the server (SIGTERM, SIGKILL after a deadline) and removes its directory.
  ~RedisServer();

  /// The loopback port the server listens on.
  [[nodiscard]] int port() const noexcept { return port_; }

  /// 127.0.0.1, port(), the password if any, and short time-outs suited to tests.
  [[nodiscard]] store::RedisEndpoint endpoint() const;

  /// The server's working directory (AOF and RDB files live here).
  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }

  /// True while the child process is running.
  [[nodiscard]] bool running() const noexcept { return pid_ > 0; }

  /// Stops the server gracefully: SIGTERM, then waits up to 10 s before SIGKILL.
  /// Does nothing when it is not running.
  void stop();

  /// Kills the server with SIGKILL, as a crash would, and reaps it.
  /// Does nothing when it is not running.
  void kill9();

  /// Starts the server again after stop() or kill9(), in the same directory
  /// (so an AOF is replayed), on the same port when it is still free.
  /// Throws std::runtime_error as the constructor does.
  void restart();

  /// Deletes every key in every database (FLUSHALL).
  void flushall();

  /// The server's log so far, for failure messages.
  [[nodiscard]] std::string log() const;

 private:
  void start(int preferred_port);
  bool spawn_and_wait(int port);

  RedisServerOptions options_;
  std::filesystem::path dir_;
  std::string binary_;
  int port_ = 0;
  pid_t pid_ = -1;
};

/// A loopback port that is bound but not listening: connecting to it is
/// refused for as long as this object lives, and no other process can take
/// the port meanwhile. For "connection refused" tests.
class RefusingPort {
 public:
  /// Binds 127.0.0.1:0. Throws std::system_error if that fails.
  RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  ~RefusingPort();

  /// The bound port.
  [[nodiscard]] int port() const noexcept { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace broadcaster::testing
