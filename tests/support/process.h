// A child process for integration tests: started with arguments and extra
// environment, its output captured to a file, stopped (or killed) on demand
// and always reaped in the destructor.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace broadcaster::testing {

class Process {
 public:
  /// Starts `argv[0]` with `argv`, adding `env` ("NAME=value") to the
  /// environment; stdout and stderr go to `output`. Standard input is
  /// `input` when given (a file, /dev/null, a pseudo-terminal's name),
  /// else the test's own.
  Process(std::vector<std::string> argv, std::vector<std::string> env, std::filesystem::path output,
          std::filesystem::path input = {})
      : output_(std::move(output)) {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      if (!input.empty()) {
        const int in = open(input.c_str(), O_RDWR);
        if (in < 0) _exit(126);
        dup2(in, 0);
        if (in != 0) close(in);
      }
      const int fd = open(output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
      for (auto& e : env) putenv(e.data());
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const noexcept { return pid_; }
  bool running() const noexcept { return pid_ > 0; }

  /// True while the process has not exited (reaps it when it has; wait()
  /// then returns its status at once).
  bool alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }

  /// Sends `signo`.
  void signal(int signo) const {
    if (pid_ > 0) ::kill(pid_, signo);
  }

  /// Waits for exit up to `deadline`; returns the exit status (128+signal if
  /// killed), or -1 if it is still running then.
  int wait(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    if (pid_ <= 0) return exit_status_;
    while (pid_ > 0) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() > until) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  /// Everything the process printed so far.
  std::string output() const {
    std::ifstream in(output_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  pid_t pid_ = -1;
  int exit_status_ = -1;  // once reaped by alive()
  std::filesystem::path output_;
};

/// Polls `condition` every 50 ms until it holds or `deadline` passes; the
/// deadline only bounds failure. Returns whether it held.
template <class F>
bool wait_for_condition(F condition, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace broadcaster::testing
