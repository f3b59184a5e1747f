// Starting, watching and stopping a redis-server child process for tests.
#include "support/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "store/redis_client.h"
#include "support/loopback_port.h"
#include "util/c_handle.h"

extern char** environ;

namespace broadcaster::testing {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kStopDeadline = std::chrono::seconds(10);
constexpr int kStartAttempts = 5;

std::string find_redis_server() {
  if (const char* forced = std::getenv("BC_REDIS_SERVER"); forced && *forced) return forced;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (dir.empty()) continue;
      const std::string candidate = dir + "/redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  if (::access("/usr/bin/redis-server", X_OK) == 0) return "/usr/bin/redis-server";
  throw std::runtime_error(
      "redis-server not found in PATH or /usr/bin: install it (apt-get install redis-server) or "
      "set BC_REDIS_SERVER");
}

std::filesystem::path make_temp_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/bc-redis-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "cannot create " + pattern);
  }
  return pattern;
}

// True once `pid` has exited (and reaps it).
bool reaped(pid_t pid) {
  int status = 0;
  const pid_t r = ::waitpid(pid, &status, WNOHANG);
  return r == pid || (r < 0 && errno == ECHILD);
}

// Whether the Redis on `port` answers and is the process `pid`.
bool answers_as(int port, pid_t pid, const std::string& password) {
  const timeval tv{0, 200 * 1000};
  util::RedisContextPtr c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (!c || c->err) return false;
  if (redisSetTimeout(c.get(), tv) != REDIS_OK) return false;
  if (!password.empty()) {
    util::ReplyPtr auth(
        static_cast<redisReply*>(redisCommand(c.get(), "AUTH %s", password.c_str())));
    if (!auth || auth->type == REDIS_REPLY_ERROR) return false;
  }
  util::ReplyPtr info(static_cast<redisReply*>(redisCommand(c.get(), "INFO server")));
  if (!info || info->type != REDIS_REPLY_STRING) return false;
  const std::string text(info->str, info->len);
  return text.find("process_id:" + std::to_string(pid) + "\r\n") != std::string::npos;
}

// Whether process `pid` logged that it finished loading its data. Redis
// answers INFO and PING (and LOADING errors) while an AOF still loads, and
// with a multi-part AOF even reports loading:0 between its files; this line
// comes only right before its event loop starts.
bool logged_ready(const std::filesystem::path& log, pid_t pid) {
  std::ifstream in(log);
  const std::string ours = std::to_string(pid) + ":";
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, ours.size(), ours) == 0 &&
        line.find("Ready to accept connections") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)), dir_(make_temp_dir()) {
  // As `serve` does: a write to a dead server must fail, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    binary_ = find_redis_server();
    start(0);
  } catch (const std::exception&) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

RedisServer::~RedisServer() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (ec) std::cerr << "warning: cannot remove " << dir_ << ": " << ec.message() << "\n";
}

store::RedisEndpoint RedisServer::endpoint() const {
  store::RedisEndpoint e;
  e.host = "127.0.0.1";
  e.port = port_;
  e.password = options_.password;
  e.connect_timeout = std::chrono::milliseconds(2000);
  e.command_timeout = std::chrono::milliseconds(10000);
  return e;
}

void RedisServer::start(int preferred_port) {
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    const int port = attempt == 0 && preferred_port > 0 ? preferred_port : free_loopback_port();
    if (spawn_and_wait(port)) {
      port_ = port;
      return;
    }
  }
  throw std::runtime_error("redis-server (" + binary_ + ") did not start in " + dir_.string() +
                           " after " + std::to_string(kStartAttempts) + " tries; its log:\n" +
                           log());
}

bool RedisServer::spawn_and_wait(int port) {
  std::vector<std::string> args = {binary_};
  const auto option = [&args](const char* name, std::string value) {
    args.emplace_back(std::string("--") + name);
    args.push_back(std::move(value));
  };
  option("bind", "127.0.0.1");
  option("port", std::to_string(port));
  option("dir", dir_.string());
  option("logfile", (dir_ / "redis.log").string());
  option("save", "");
  option("appendonly", options_.appendonly ? "yes" : "no");
  if (options_.appendonly) option("appendfsync", "always");
  option("protected-mode", "yes");
  option("daemonize", "no");
  option("enable-debug-command", "local");
  if (!options_.password.empty()) option("requirepass", options_.password);
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  int rc = posix_spawn_file_actions_init(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn_file_actions");
  pid_t pid = -1;
  rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (rc == 0) rc = ::posix_spawn(&pid, binary_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn " + binary_);

  const auto deadline = Clock::now() + options_.start_deadline;
  while (Clock::now() < deadline) {
    if (reaped(pid)) return false;  // e.g. the port was taken meanwhile
    if (logged_ready(dir_ / "redis.log", pid) && answers_as(port, pid, options_.password)) {
      pid_ = pid;
      return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return false;
}

void RedisServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopDeadline;
  while (Clock::now() < deadline) {
    if (reaped(pid_)) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  kill9();
}

void RedisServer::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisServer::restart() {
  if (running()) throw std::logic_error("RedisServer::restart() while it is running");
  start(port_);
}

void RedisServer::flushall() {
  store::RedisClient client(endpoint());
  client.command({"FLUSHALL"});
}

std::string RedisServer::log() const {
  std::ifstream in(dir_ / "redis.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

RefusingPort::RefusingPort() { fd_ = bind_loopback(port_); }

RefusingPort::~RefusingPort() { ::close(fd_); }

}  // namespace broadcaster::testing
