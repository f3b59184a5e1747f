// Runs the built `broadcaster-sim` executable as a child process for the
// end-to-end tests.
// Design: posix_spawn with stdout on a pipe; the constructor waits (bounded,
// via poll) for the first line "listening 127.0.0.1:PORT" and parses the
// port. Every run passes --lifetime-seconds as a backstop, and the destructor
// sends SIGTERM, waits a bounded time and SIGKILLs as a last resort, so no
// test leaves a server running.
#pragma once

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace broadcaster::simulator::test {

/// Path of the simulator built next to the tests.
inline std::string sim_executable() { return std::string(BC_BINARY_DIR) + "/bin/broadcaster-sim"; }

/// A running broadcaster-sim.
class SimProcess {
 public:
  /// Starts the simulator with `args` (after the program name) and extra
  /// environment entries "NAME=value". Throws std::runtime_error when it does
  /// not print its listening line within `ready_timeout`.
  explicit SimProcess(std::vector<std::string> args, std::vector<std::string> extra_env = {},
                      std::chrono::milliseconds ready_timeout = std::chrono::seconds(20)) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    stdout_fd_ = fds[0];

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);

    std::vector<std::string> argv_storage;
    argv_storage.push_back(sim_executable());
    for (auto& a : args) argv_storage.push_back(std::move(a));
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
    for (auto& e : extra_env) envp.push_back(e.data());
    envp.push_back(nullptr);

    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(stdout_fd_);
      throw std::runtime_error("cannot start " + sim_executable() + ": " + std::strerror(rc));
    }
    try {
      first_line_ = read_line(ready_timeout);
      const std::string prefix = "listening 127.0.0.1:";
      if (first_line_.rfind(prefix, 0) != 0) {
        throw std::runtime_error("unexpected first line from broadcaster-sim: '" + first_line_ +
                                 "'");
      }
      port_ = std::stoi(first_line_.substr(prefix.size()));
    } catch (...) {
      // The destructor will not run: reap the child here, then report.
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      close(stdout_fd_);
      throw;
    }
  }

  ~SimProcess() {
    if (!exit_status_) {
      kill(pid_, SIGTERM);
      if (!wait_exit(std::chrono::seconds(10))) {
        kill(pid_, SIGKILL);
        wait_exit(std::chrono::seconds(10));
      }
    }
    close(stdout_fd_);
  }

  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  int port() const noexcept { return port_; }
  const std::string& first_line() const noexcept { return first_line_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Sends `signal_number` to the child.
  void signal(int signal_number) const { kill(pid_, signal_number); }

  /// Waits up to `deadline` for the child to exit; returns its wait status
  /// (use WIFEXITED/WEXITSTATUS), or nullopt if it is still running.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline) {
    if (exit_status_) return exit_status_;
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_status_ = status;
        return exit_status_;
      }
      if (r < 0 || std::chrono::steady_clock::now() >= until) return std::nullopt;
      // Polling interval of a bounded wait for a condition, not a sync point.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    std::string line;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("broadcaster-sim did not report its port");
      pollfd p{stdout_fd_, POLLIN, 0};
      const int ready = poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char c = 0;
      const ssize_t n = read(stdout_fd_, &c, 1);
      if (n <= 0) throw std::runtime_error("broadcaster-sim closed stdout: '" + line + "'");
      if (c == '\n') return line;
      line += c;
    }
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string first_line_;
  std::optional<int> exit_status_;
};

}  // namespace broadcaster::simulator::test
