// The sender's HTTP client: libcurl's multi socket API on Boost.Asio.
// Design: see http_client.h. This file has four parts: helpers, the per-request
// and per-descriptor state, the C callbacks libcurl calls (they never throw
// into C and never call back into curl), and the client, whose event handlers
// are the only places that call curl_multi_socket_action.
#include "sender/http_client.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <climits>
#include <optional>
#include <utility>

#include "sender/curl_error.h"
#include "util/errors.h"

namespace broadcaster::sender {

namespace asio = boost::asio;
using boost::system::error_code;

// === Helpers ================================================================

namespace {

/// Response header bytes accepted per request, interim (1xx) responses included.
constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;
/// How long after a running request's deadline the sweep removes it; curl
/// normally fails it itself at the deadline, with a more precise message.
constexpr std::chrono::milliseconds kDeadlineGrace{50};
/// Longer request timeouts are shortened to this.
constexpr std::chrono::milliseconds kMaxTimeout = std::chrono::hours(24);
/// Error of a request whose deadline passed before it could be sent.
constexpr std::string_view kNotStarted =
    "timed out before the request could be sent: no connection became free in time";

void init_curl_once() {
  // Thread-safe once-only initialisation; libcurl stays initialised until exit.
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK) throw_curl_error("initialising (curl_global_init)", result);
}

void check(CURLcode rc, std::string_view action) {
  if (rc != CURLE_OK) throw_curl_error(action, rc);
}

void check(CURLMcode rc, std::string_view action) {
  if (rc != CURLM_OK) throw_curl_error(action, rc);
}

long to_long(std::size_t n) { return static_cast<long>(std::min<std::size_t>(n, LONG_MAX)); }

bool has_cr_or_lf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

/// Why curl cannot take `request`, or an empty string if it can. Never
/// quotes header values or the URL: they may hold secrets.
std::string invalid_reason(const channels::HttpRequest& request) {
  if (request.timeout <= std::chrono::milliseconds::zero()) {
    return "invalid request: timeout must be positive";
  }
  if (request.method.empty() || !std::all_of(request.method.begin(), request.method.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return "invalid request: the method must be an upper-case token such as POST";
  }
  if (request.url.empty() || has_cr_or_lf(request.url)) {
    return "invalid request: the URL is empty or contains CR or LF";
  }
  for (std::size_t i = 0; i < request.headers.size(); ++i) {
    const auto& [name, value] = request.headers[i];
    if (name.empty() || name.find_first_of(":\r\n \t") != std::string::npos ||
        has_cr_or_lf(value)) {
      return "invalid request: header #" + std::to_string(i + 1) +
             " has an empty name, or a colon, space, CR or LF in its name, or CR or LF in "
             "its value";
    }
  }
  return {};
}

/// Sorts a failed transfer for the caller's retry decision. `request_sent` is
/// false when curl never got as far as sending (no pre-transfer time).
HttpFailure classify(CURLcode code, bool request_sent) {
  switch (code) {
    case CURLE_OK:
      return HttpFailure::None;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return HttpFailure::Connect;
    case CURLE_OPERATION_TIMEDOUT:
      return request_sent ? HttpFailure::Timeout : HttpFailure::Connect;
    default:
      return HttpFailure::Other;
  }
}

}  // namespace

std::string_view to_string(HttpFailure failure) noexcept {
  switch (failure) {
    case HttpFailure::None:
      return "none";
    case HttpFailure::Timeout:
      return "timeout";
    case HttpFailure::Connect:
      return "connect";
    case HttpFailure::Other:
      return "other";
  }
  return "unknown";
}

// === State ==================================================================

/// One request inside curl. Owns everything curl points to while it runs:
/// the body (CURLOPT_POSTFIELDS), the header list and the error buffer.
struct HttpClient::Transfer {
  enum class Overflow { None, Headers, Body };

  util::CurlEasy easy;
  util::CurlSlist headers;
  channels::HttpRequest request;
  Callback done;
  Clock::time_point deadline;
  channels::HttpResponse response;  ///< headers and body as they arrive
  std::size_t header_bytes = 0;
  std::size_t max_body = 0;
  Overflow overflow = Overflow::None;  ///< why we aborted the transfer, if we did
  char error[CURL_ERROR_SIZE] = {};
};

/// One descriptor curl asked us to watch. Sockets curl opened through us are
/// `owned` and closed only when curl says so; any other descriptor (the
/// threaded resolver's wake-up socket) is watched through a duplicate in
/// `borrowed`, so closing ours never touches curl's.
/// `id` tells a watch apart from a later one that reuses the descriptor number.
struct HttpClient::Watch {
  std::uint64_t id = 0;
  std::optional<asio::ip::tcp::socket> owned;
  std::optional<asio::posix::stream_descriptor> borrowed;
  int wanted = CURL_POLL_NONE;  ///< CURL_POLL_IN / OUT / INOUT
  bool waiting_read = false;    ///< an async_wait(read) is outstanding
  bool waiting_write = false;   ///< an async_wait(write) is outstanding

  template <class Handler>
  void async_wait(int direction, Handler&& handler) {
    const bool read = direction == CURL_POLL_IN;
    if (owned) {
      owned->async_wait(read ? asio::socket_base::wait_read : asio::socket_base::wait_write,
                        std::forward<Handler>(handler));
    } else {
      borrowed->async_wait(
          read ? asio::posix::descriptor_base::wait_read : asio::posix::descriptor_base::wait_write,
          std::forward<Handler>(handler));
    }
  }
};

// === Callbacks from libcurl =================================================
// All noexcept: an exception must not unwind through C. None calls into curl.

struct HttpClient::Hooks {
  static curl_socket_t open_socket(void* client, curlsocktype purpose,
                                   curl_sockaddr* address) noexcept;
  static int close_socket(void* client, curl_socket_t fd) noexcept;
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* client,
                       void* socket_data) noexcept;
  static int on_timer(CURLM* multi, long timeout_ms, void* client) noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t count,
                               void* transfer) noexcept;
  static std::size_t on_body(char* data, std::size_t size, std::size_t count,
                             void* transfer) noexcept;
};

// CURLOPT_OPENSOCKETFUNCTION: curl's TCP sockets are Asio sockets we own.
curl_socket_t HttpClient::Hooks::open_socket(void* client, curlsocktype purpose,
                                             curl_sockaddr* address) noexcept {
  auto& self = *static_cast<HttpClient*>(client);
  if (purpose != CURLSOCKTYPE_IPCXN || address->socktype != SOCK_STREAM ||
      (address->family != AF_INET && address->family != AF_INET6)) {
    return CURL_SOCKET_BAD;  // only TCP over IPv4 or IPv6
  }
  try {
    asio::ip::tcp::socket socket(self.io_);
    error_code ec;
    socket.open(address->family == AF_INET ? asio::ip::tcp::v4() : asio::ip::tcp::v6(), ec);
    if (ec) {
      spdlog::warn("HTTP client: cannot open a socket: {}", ec.message());
      return CURL_SOCKET_BAD;
    }
    const curl_socket_t fd = socket.native_handle();
    auto watch = std::make_unique<Watch>();
    watch->id = self.next_watch_id_++;
    watch->owned.emplace(std::move(socket));
    // Replaces (and closes the duplicate of) a stale borrowed watch whose
    // descriptor curl closed without telling us.
    self.watches_[fd] = std::move(watch);
    return fd;
  } catch (const std::exception& e) {
    spdlog::error("HTTP client: cannot open a socket: {}", e.what());
    return CURL_SOCKET_BAD;
  }
}

// CURLOPT_CLOSESOCKETFUNCTION: curl is done with a socket it opened through us.
int HttpClient::Hooks::close_socket(void* client, curl_socket_t fd) noexcept {
  auto& self = *static_cast<HttpClient*>(client);
  const auto it = self.watches_.find(fd);
  if (it == self.watches_.end() || !it->second->owned) {
    return ::close(fd);  // not opened through us; cannot happen, close as curl would
  }
  error_code ec;
  it->second->owned->close(ec);  // cancels outstanding waits; their handlers ignore them
  self.watches_.erase(it);
  return ec ? -1 : 0;
}

// CURLMOPT_SOCKETFUNCTION: records what curl waits for and arms the waits.
int HttpClient::Hooks::on_socket(CURL*, curl_socket_t fd, int what, void* client, void*) noexcept {
  auto& self = *static_cast<HttpClient*>(client);
  try {
    auto it = self.watches_.find(fd);
    if (what == CURL_POLL_REMOVE) {
      if (it == self.watches_.end()) return 0;
      if (it->second->owned) {
        it->second->wanted = CURL_POLL_NONE;  // idle in the cache; stays open
      } else {
        self.watches_.erase(it);
      }
      return 0;
    }
    if (it == self.watches_.end()) {
      const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
      if (copy < 0) {
        spdlog::warn("HTTP client: cannot watch descriptor {}; curl falls back to polling", fd);
        return 0;
      }
      auto watch = std::make_unique<Watch>();
      watch->id = self.next_watch_id_++;
      error_code ec;
      watch->borrowed.emplace(self.io_);
      watch->borrowed->assign(copy, ec);
      if (ec) {
        ::close(copy);
        spdlog::warn("HTTP client: cannot watch descriptor {}: {}", fd, ec.message());
        return 0;
      }
      it = self.watches_.emplace(fd, std::move(watch)).first;
    }
    it->second->wanted = what;
    self.arm(fd, it->second->id);
    return 0;
  } catch (const std::exception& e) {
    spdlog::error("HTTP client: cannot watch a socket: {}", e.what());
    return -1;
  }
}

// CURLMOPT_TIMERFUNCTION: one timer; curl_multi_socket_action runs when it fires.
int HttpClient::Hooks::on_timer(CURLM*, long timeout_ms, void* client) noexcept {
  auto& self = *static_cast<HttpClient*>(client);
  try {
    if (timeout_ms < 0) {
      if (self.timer_armed_) self.timer_.cancel();
      self.timer_armed_ = false;
      return 0;
    }
    // Curl asks for its timer on almost every socket event, and arming an
    // asio timer as the earliest one costs a timerfd_settime system call:
    // a fifth of serve's time at full speed (perf, ops/bench --perf). So a
    // zero timeout is posted instead (it still goes through the io_context:
    // curl must not be re-entered from its own callback), and a timer armed
    // for a few milliseconds before the new time is kept. Waking curl early
    // is harmless: it runs what is due and asks for its timer again.
    if (timeout_ms == 0) {
      if (!self.zero_posted_) {
        self.zero_posted_ = true;
        asio::post(self.io_, [&self, alive = std::weak_ptr<int>(self.alive_)] {
          if (alive.expired()) return;
          self.zero_posted_ = false;
          self.on_timer();
        });
      }
      return 0;
    }
    const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (self.timer_armed_ && self.timer_.expiry() <= due && self.timer_.expiry() + kTimerSlack >= due) return 0;
    self.timer_armed_ = true;
    self.timer_.expires_at(due);
    self.timer_.async_wait([&self, alive = std::weak_ptr<int>(self.alive_)](error_code ec) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      self.timer_armed_ = false;
      self.on_timer();
    });
    return 0;
  } catch (const std::exception& e) {
    spdlog::error("HTTP client: cannot arm the timer: {}", e.what());
    return -1;
  }
}

// CURLOPT_HEADERFUNCTION: one header line at a time; a status line starts a
// new response, so only the final response's headers remain.
std::size_t HttpClient::Hooks::on_header(char* data, std::size_t size, std::size_t count,
                                         void* transfer) noexcept {
  auto& t = *static_cast<Transfer*>(transfer);
  const std::size_t n = size * count;
  t.header_bytes += n;
  if (t.header_bytes > kMaxResponseHeaderBytes) {
    t.overflow = Transfer::Overflow::Headers;
    return 0;  // aborts the transfer
  }
  const std::string_view line(data, n);
  auto& headers = t.response.headers;
  try {
    if (line.starts_with("HTTP/")) {
      headers.clear();
    } else if ((line.starts_with(' ') || line.starts_with('\t')) && !headers.empty()) {
      headers.back().second += ' ';  // obsolete line folding
      headers.back().second += trim(line);
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return n;
  } catch (const std::exception&) {
    return 0;  // out of memory: converted into a failed transfer (CURLE_WRITE_ERROR)
  }
}

// CURLOPT_WRITEFUNCTION: collects the body up to max_body bytes.
std::size_t HttpClient::Hooks::on_body(char* data, std::size_t size, std::size_t count,
                                       void* transfer) noexcept {
  auto& t = *static_cast<Transfer*>(transfer);
  const std::size_t n = size * count;
  if (n > t.max_body - t.response.body.size()) {
    t.overflow = Transfer::Overflow::Body;
    return 0;  // aborts the transfer
  }
  try {
    t.response.body.append(data, n);
    return n;
  } catch (const std::exception&) {
    return 0;  // out of memory: converted into a failed transfer (CURLE_WRITE_ERROR)
  }
}

// === The client =============================================================

HttpClient::HttpClient(asio::io_context& io, HttpClientOptions options)
    : io_(io), options_(std::move(options)), timer_(io), sweep_timer_(io) {
  if (options_.max_connections == 0 || options_.max_in_flight == 0 ||
      options_.max_response_body == 0) {
    throw ConfigError(
        "HTTP client: max_connections, max_in_flight and max_response_body must be at least 1");
  }
  if (options_.connect_timeout <= std::chrono::milliseconds::zero()) {
    throw ConfigError("HTTP client: connect_timeout must be positive");
  }
  init_curl_once();
  multi_.reset(curl_multi_init());
  if (!multi_) throw_curl_error("creating a multi handle (curl_multi_init)", CURLM_OUT_OF_MEMORY);

  CURLM* m = multi_.get();
  const curl_socket_callback socket_hook = &Hooks::on_socket;
  const curl_multi_timer_callback timer_hook = &Hooks::on_timer;
  const long connections = to_long(options_.max_connections);
  check(curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, socket_hook), "setting the socket hook");
  check(curl_multi_setopt(m, CURLMOPT_SOCKETDATA, this), "setting the socket hook's data");
  check(curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, timer_hook), "setting the timer hook");
  check(curl_multi_setopt(m, CURLMOPT_TIMERDATA, this), "setting the timer hook's data");
  check(curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, connections),
        "setting CURLMOPT_MAX_HOST_CONNECTIONS");
  check(curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, connections),
        "setting CURLMOPT_MAX_TOTAL_CONNECTIONS");
  check(curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, connections), "setting CURLMOPT_MAXCONNECTS");
}

HttpClient::~HttpClient() {
  alive_.reset();  // from here on no handler and no callback of ours runs
  for (const auto& [easy, transfer] : running_) {
    if (const CURLMcode rc = curl_multi_remove_handle(multi_.get(), easy); rc != CURLM_OK) {
      spdlog::warn("HTTP client: could not detach a request while shutting down: {}",
                   curl_multi_strerror(rc));
    }
  }
  running_.clear();
  queued_.clear();
  // Closes the cached connections through Hooks::close_socket, which needs
  // watches_; the members are destroyed only after this body.
  multi_.reset();
  idle_easies_.clear();
  watches_.clear();
}

void HttpClient::perform(channels::HttpRequest request, Callback done) {
  ++in_flight_;
  if (std::string why = invalid_reason(request); !why.empty()) {
    fail_later(std::move(done), HttpFailure::Other, std::move(why));
    return;
  }
  const auto deadline = Clock::now() + std::min(request.timeout, kMaxTimeout);
  Queued queued{std::move(request), std::move(done), deadline};
  if (queued_.empty() && running_.size() < options_.max_in_flight) {
    start(std::move(queued));
  } else {
    queued_.push_back(std::move(queued));
    note_deadline(deadline);
  }
}

void HttpClient::start(Queued queued) {
  const auto time_left =
      std::chrono::duration_cast<std::chrono::milliseconds>(queued.deadline - Clock::now());
  if (time_left <= std::chrono::milliseconds::zero()) {
    fail_later(std::move(queued.done), HttpFailure::Connect, std::string(kNotStarted));
    return;
  }
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(queued.request);
  transfer->deadline = queued.deadline;
  transfer->max_body = options_.max_response_body;
  try {
    transfer->easy = take_easy();
    configure(*transfer, time_left);
  } catch (const CurlError& e) {
    fail_later(std::move(queued.done), HttpFailure::Other, e.what());
    return;
  }
  CURL* easy = transfer->easy.get();
  transfer->done = std::move(queued.done);
  const auto it = running_.emplace(easy, std::move(transfer)).first;
  if (const CURLMcode rc = curl_multi_add_handle(multi_.get(), easy); rc != CURLM_OK) {
    Callback failed = std::move(it->second->done);
    running_.erase(it);
    fail_later(std::move(failed), HttpFailure::Other,
               std::string("libcurl could not start the request: ") + curl_multi_strerror(rc));
    return;
  }
  note_deadline(queued.deadline + kDeadlineGrace);
}

void HttpClient::start_queued() {
  while (!queued_.empty() && running_.size() < options_.max_in_flight) {
    Queued next = std::move(queued_.front());
    queued_.pop_front();
    start(std::move(next));
  }
}

void HttpClient::fail_later(Callback done, HttpFailure failure, std::string error) {
  asio::post(io_, [this, alive = std::weak_ptr<int>(alive_), done = std::move(done), failure,
                   error = std::move(error)]() mutable {
    if (alive.expired()) return;
    static_cast<void>(
        deliver(Completion{std::move(done), HttpOutcome{failure, std::move(error), {}}}));
  });
}

bool HttpClient::deliver(Completion completion) {
  const std::weak_ptr<int> alive = alive_;
  --in_flight_;
  completion.done(std::move(completion.outcome));
  return !alive.expired();  // false: the callback destroyed the client
}

util::CurlEasy HttpClient::take_easy() {
  if (!idle_easies_.empty()) {
    util::CurlEasy easy = std::move(idle_easies_.back());
    idle_easies_.pop_back();
    return easy;  // already reset when it came back
  }
  util::CurlEasy easy(curl_easy_init());
  if (!easy) throw_curl_error("creating a request handle (curl_easy_init)", CURLE_OUT_OF_MEMORY);
  return easy;
}

void HttpClient::configure(Transfer& t, std::chrono::milliseconds time_left) {
  CURL* e = t.easy.get();
  const channels::HttpRequest& r = t.request;
  const curl_opensocket_callback open_hook = &Hooks::open_socket;
  const curl_closesocket_callback close_hook = &Hooks::close_socket;
  const curl_write_callback header_hook = &Hooks::on_header;
  const curl_write_callback body_hook = &Hooks::on_body;

  check(curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error), "setting CURLOPT_ERRORBUFFER");
  check(curl_easy_setopt(e, CURLOPT_URL, r.url.c_str()), "setting the request URL");
  check(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"), "limiting protocols to HTTP(S)");
  check(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L), "setting CURLOPT_NOSIGNAL");
  check(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)),
        "selecting HTTP/1.1");
  check(curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L), "setting CURLOPT_TCP_KEEPALIVE");
  check(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options_.connect_timeout.count())),
        "setting the connect timeout");
  check(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(time_left.count())),
        "setting the request timeout");
  check(curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str()),
        "setting the User-Agent");
  check(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(options_.max_response_body)),
        "setting the response size limit");
  check(curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_hook), "setting the open hook");
  check(curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this), "setting the open hook's data");
  check(curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, close_hook), "setting the close hook");
  check(curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, this), "setting the close hook's data");
  check(curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_hook), "setting the header hook");
  check(curl_easy_setopt(e, CURLOPT_HEADERDATA, &t), "setting the header hook's data");
  check(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, body_hook), "setting the body hook");
  check(curl_easy_setopt(e, CURLOPT_WRITEDATA, &t), "setting the body hook's data");

  // Method and body. The body stays in `t.request` while curl reads it.
  if (r.method == "GET" && r.body.empty()) {
    check(curl_easy_setopt(e, CURLOPT_HTTPGET, 1L), "selecting GET");
  } else if (r.method == "HEAD" && r.body.empty()) {
    check(curl_easy_setopt(e, CURLOPT_NOBODY, 1L), "selecting HEAD");
  } else {
    if (r.method == "POST" || !r.body.empty()) {
      check(
          curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size())),
          "setting the body size");
      check(curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data()), "setting the body");
    }
    if (r.method != "POST") {
      check(curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str()), "setting the method");
    }
  }

  // Headers. "Name;" sends an empty value (curl drops "Name:"); an empty
  // "Expect:" stops curl waiting for 100-continue on larger bodies.
  auto append = [&t](const std::string& line) {
    curl_slist* grown = curl_slist_append(t.headers.get(), line.c_str());
    if (!grown) throw_curl_error("building the request headers", CURLE_OUT_OF_MEMORY);
    static_cast<void>(t.headers.release());  // the same list, now one longer
    t.headers.reset(grown);
  };
  bool has_expect = false;
  for (const auto& [name, value] : r.headers) {
    append(value.empty() ? name + ";" : name + ": " + value);
    has_expect = has_expect || equals_ignore_case(name, "Expect");
  }
  if (!has_expect) append("Expect:");
  check(curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers.get()), "setting the headers");

  if (r.basic_auth) {
    check(curl_easy_setopt(e, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC)),
          "selecting Basic authentication");
    check(curl_easy_setopt(e, CURLOPT_USERNAME, r.basic_auth->first.c_str()),
          "setting the user name");
    check(curl_easy_setopt(e, CURLOPT_PASSWORD, r.basic_auth->second.c_str()),
          "setting the password");
  }
}

// --- Driving curl -----------------------------------------------------------

void HttpClient::on_timer() {
  // Nothing follows, so whether a callback destroyed the client is moot.
  static_cast<void>(socket_action(CURL_SOCKET_TIMEOUT, 0));
}

void HttpClient::on_ready(curl_socket_t fd, std::uint64_t watch_id, int direction, error_code ec) {
  const auto it = watches_.find(fd);
  if (it == watches_.end() || it->second->id != watch_id) return;  // closed meanwhile
  Watch& watch = *it->second;
  (direction == CURL_POLL_IN ? watch.waiting_read : watch.waiting_write) = false;
  if (ec == asio::error::operation_aborted || !(watch.wanted & direction)) {
    return;  // curl stopped waiting for this direction while we waited
  }
  const int action =
      ec ? CURL_CSELECT_ERR : (direction == CURL_POLL_IN ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
  if (!socket_action(fd, action)) return;  // a callback destroyed the client
  arm(fd, watch_id);                       // keep watching, if curl still wants it
}

void HttpClient::arm(curl_socket_t fd, std::uint64_t watch_id) {
  const auto it = watches_.find(fd);
  if (it == watches_.end() || it->second->id != watch_id) return;
  Watch& watch = *it->second;
  for (const int direction : {CURL_POLL_IN, CURL_POLL_OUT}) {
    bool& waiting = direction == CURL_POLL_IN ? watch.waiting_read : watch.waiting_write;
    if (!(watch.wanted & direction) || waiting) continue;
    waiting = true;
    watch.async_wait(direction, [this, alive = std::weak_ptr<int>(alive_), fd, watch_id,
                                 direction](error_code ec) {
      if (alive.expired()) return;
      on_ready(fd, watch_id, direction, ec);
    });
  }
}

bool HttpClient::socket_action(curl_socket_t fd, int action) {
  int still_running = 0;
  check(curl_multi_socket_action(multi_.get(), fd, action, &still_running),
        "driving transfers (curl_multi_socket_action)");
  return finish_done_transfers();
}

bool HttpClient::finish_done_transfers() {
  int queued_messages = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &queued_messages)) {
    if (msg->msg != CURLMSG_DONE || !running_.contains(msg->easy_handle)) continue;
    Completion completion = retire(msg->easy_handle, msg->data.result);
    start_queued();
    if (running_.empty() && queued_.empty()) {
      sweep_timer_.cancel();  // nothing left to time out
      sweep_armed_ = false;
    }
    if (!deliver(std::move(completion))) return false;
  }
  return true;
}

HttpClient::Completion HttpClient::retire(CURL* easy, CURLcode result) {
  auto node = running_.extract(easy);
  Transfer& t = *node.mapped();
  check(curl_multi_remove_handle(multi_.get(), easy), "detaching a finished request");
  curl_off_t pretransfer_us = 0;
  check(curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us),
        "reading CURLINFO_PRETRANSFER_TIME_T");
  const bool sent = pretransfer_us > 0;

  Completion completion{std::move(t.done), {}};
  HttpOutcome& outcome = completion.outcome;
  if (t.overflow == Transfer::Overflow::Headers) {
    outcome.failure = HttpFailure::Other;
    outcome.error =
        "response headers are larger than " + std::to_string(kMaxResponseHeaderBytes) + " bytes";
  } else if (t.overflow == Transfer::Overflow::Body || result == CURLE_FILESIZE_EXCEEDED) {
    outcome.failure = HttpFailure::Other;
    outcome.error =
        "response body is larger than " + std::to_string(options_.max_response_body) + " bytes";
  } else if (result == CURLE_OK) {
    outcome.response = std::move(t.response);
    check(curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &outcome.response.status),
          "reading CURLINFO_RESPONSE_CODE");
  } else {
    outcome.failure = classify(result, sent);
    if (t.error[0] != '\0') {
      outcome.error = t.error;
    } else if (result == CURLE_OPERATION_TIMEDOUT && !sent) {
      outcome.error = kNotStarted;  // removed by the sweep while waiting for a connection
    } else {
      outcome.error = curl_easy_strerror(result);
    }
  }
  spdlog::debug("HTTP client: {} finished: status {}, failure {}", t.request.method,
                outcome.response.status, to_string(outcome.failure));

  curl_easy_reset(easy);  // drops the credentials and every pointer into `t`
  idle_easies_.push_back(std::move(t.easy));
  return completion;
}

// --- Deadlines --------------------------------------------------------------

void HttpClient::note_deadline(Clock::time_point when) {
  if (sweep_armed_ && sweep_timer_.expiry() <= when) return;
  sweep_armed_ = true;
  sweep_timer_.expires_at(when);
  sweep_timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](error_code ec) {
    if (alive.expired() || ec == asio::error::operation_aborted) return;
    on_deadline_sweep();
  });
}

void HttpClient::arm_deadline_sweep() {
  std::optional<Clock::time_point> earliest;
  auto consider = [&earliest](Clock::time_point when) {
    if (!earliest || when < *earliest) earliest = when;
  };
  for (const Queued& queued : queued_) consider(queued.deadline);
  for (const auto& [easy, transfer] : running_) consider(transfer->deadline + kDeadlineGrace);
  sweep_armed_ = false;
  if (earliest) {
    note_deadline(*earliest);
  } else {
    sweep_timer_.cancel();
  }
}

void HttpClient::on_deadline_sweep() {
  const auto now = Clock::now();
  std::vector<Completion> expired;
  for (auto it = queued_.begin(); it != queued_.end();) {
    if (it->deadline <= now) {
      expired.push_back(
          {std::move(it->done), HttpOutcome{HttpFailure::Connect, std::string(kNotStarted), {}}});
      it = queued_.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<CURL*> overdue;
  for (const auto& [easy, transfer] : running_) {
    if (transfer->deadline + kDeadlineGrace <= now) overdue.push_back(easy);
  }
  for (CURL* easy : overdue) expired.push_back(retire(easy, CURLE_OPERATION_TIMEDOUT));
  start_queued();
  for (Completion& completion : expired) {
    if (!deliver(std::move(completion))) return;
  }
  arm_deadline_sweep();
}

}  // namespace broadcaster::sender
