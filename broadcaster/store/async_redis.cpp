// AsyncRedis: hiredis's async API driven by Asio.
// Design: see async_redis.h. hiredis calls back into this object only from
// calls this object makes (redisAsyncHandleRead/Write, redisAsyncFree,
// redisAsyncDisconnect), never on its own, and those callbacks only record
// state and post user callbacks. hiredis frees the redisAsyncContext itself
// when the connection ends; the cleanup hook is the one signal that it did,
// and there the fd is released from Asio before hiredis closes it.
#include "store/async_redis.h"

#include <hiredis/async.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cctype>
#include <mutex>

namespace broadcaster::store {

namespace {

using Clock = std::chrono::steady_clock;

void* to_privdata(std::uint64_t id) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id));
}

std::uint64_t from_privdata(void* privdata) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata));
}

Clock::time_point deadline_after(std::chrono::milliseconds limit) {
  return limit.count() > 0 ? Clock::now() + limit : Clock::time_point::max();
}

std::string command_name(const std::vector<std::string>& argv) {
  std::string name = argv.empty() ? std::string("(empty command)") : argv.front();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

}  // namespace

// ---------------------------------------------------------------------------
// Shutdown of the io_context
// ---------------------------------------------------------------------------

// Knows every AsyncRedis of one io_context. When the io_context is destroyed
// with connections still open, shutdown() frees them and destroys their
// pending callbacks uncalled, as Asio does with handlers. That breaks the
// cycle a callback holding a shared_ptr to its own AsyncRedis would form.
class AsyncRedis::Registry : public boost::asio::execution_context::service {
 public:
  using key_type = Registry;
  static inline boost::asio::execution_context::id id;

  explicit Registry(boost::asio::execution_context& context) : service(context) {}

  void add(AsyncRedis* client, std::weak_ptr<AsyncRedis> handle) {
    const std::lock_guard lock(mutex_);
    live_[client] = std::move(handle);
  }

  void remove(AsyncRedis* client) {
    const std::lock_guard lock(mutex_);
    live_.erase(client);
  }

 private:
  void shutdown() override {
    std::vector<std::shared_ptr<AsyncRedis>> alive;
    {
      const std::lock_guard lock(mutex_);
      for (auto& [client, handle] : live_) {
        if (auto strong = handle.lock()) alive.push_back(std::move(strong));
      }
      live_.clear();
    }
    // Holding `alive` keeps each client in one piece while its callbacks,
    // which may own it, are destroyed; it is destroyed with `alive`.
    for (auto& client : alive) client->abandon();
  }

  std::mutex mutex_;
  std::unordered_map<AsyncRedis*, std::weak_ptr<AsyncRedis>> live_;
};

// ---------------------------------------------------------------------------
// Callbacks handed to hiredis
// ---------------------------------------------------------------------------

struct AsyncRedis::Hooks {
  static AsyncRedis& owner(void* data) { return *static_cast<AsyncRedis*>(data); }

  static void add_read(void* data) { owner(data).add_read(); }
  static void del_read(void* data) { owner(data).want_read_ = false; }
  static void add_write(void* data) { owner(data).add_write(); }
  static void del_write(void* data) { owner(data).want_write_ = false; }
  static void cleanup(void* data) { owner(data).on_cleanup(); }

  static void on_connect(const redisAsyncContext* ac, int status) {
    owner(ac->data).on_connected(ac, status);
  }

  static void on_reply(redisAsyncContext* ac, void* reply, void* privdata) {
    owner(ac->data).on_reply(ac, reply, from_privdata(privdata));
  }
};

void AsyncRedis::ContextDeleter::operator()(redisAsyncContext* ac) const noexcept {
  redisAsyncFree(ac);
}

// ---------------------------------------------------------------------------
// Construction and connection
// ---------------------------------------------------------------------------

std::shared_ptr<AsyncRedis> AsyncRedis::create(boost::asio::io_context& ioc,
                                               RedisEndpoint endpoint) {
  std::shared_ptr<AsyncRedis> client(new AsyncRedis(ioc, std::move(endpoint)));
  auto& registry =
      boost::asio::use_service<Registry>(static_cast<boost::asio::execution_context&>(ioc));
  registry.add(client.get(), client);
  client->registry_ = &registry;
  return client;
}

AsyncRedis::AsyncRedis(boost::asio::io_context& ioc, RedisEndpoint endpoint)
    : ioc_(ioc), endpoint_(std::move(endpoint)) {
  timer_.emplace(ioc_);
}

AsyncRedis::~AsyncRedis() {
  if (registry_ != nullptr) registry_->remove(this);
  if (state_ != State::Closed) state_ = State::Closing;
  // Pending callbacks are posted with RedisIoError from on_reply.
  context_.reset();
  if (on_connect_) finish_connect(closed_error("connect to"));
}

void AsyncRedis::connect(std::function<void(std::exception_ptr)> on_done) {
  if (state_ != State::Idle) {
    boost::asio::post(ioc_, [on_done = std::move(on_done), endpoint = endpoint_.describe()] {
      on_done(std::make_exception_ptr(
          RedisIoError("AsyncRedis::connect() was called twice, or after close(), for Redis at " +
                       endpoint + " (a bug); create a new AsyncRedis to reconnect")));
    });
    return;
  }
  connect_deadline_ = deadline_after(endpoint_.connect_timeout);
  on_connect_ = std::move(on_done);
  state_ = State::Connecting;

  redisAsyncContext* ac = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
  if (ac == nullptr || ac->err) {
    fail_connection(ac == nullptr
                        ? make_redis_error(REDIS_ERR_OOM, "cannot allocate a connection",
                                           "connect to", endpoint_)
                        : make_redis_error(ac->c.err, ac->c.errstr, "connect to", endpoint_));
    if (ac != nullptr) redisAsyncFree(ac);  // no hooks attached yet
    return;
  }
  context_.reset(ac);
  ac->data = this;

  boost::system::error_code ec;
  descriptor_.emplace(ioc_);
  descriptor_->assign(ac->c.fd, ec);
  if (ec) {
    static_cast<void>(descriptor_->release());
    descriptor_.reset();
    fail_connection(
        make_redis_error(REDIS_ERR_OTHER, ec.message(), "watch the connection to", endpoint_));
    return;
  }
  ac->ev.data = this;
  ac->ev.addRead = &Hooks::add_read;
  ac->ev.delRead = &Hooks::del_read;
  ac->ev.addWrite = &Hooks::add_write;
  ac->ev.delWrite = &Hooks::del_write;
  ac->ev.cleanup = &Hooks::cleanup;
  // Waits for the socket to become writable, which is how a non-blocking
  // connect reports that it finished.
  redisAsyncSetConnectCallback(ac, &Hooks::on_connect);

  // Queued ahead of any user command, so nothing runs unauthenticated.
  if (!endpoint_.password.empty()) {
    Request auth;
    auth.kind = Kind::Setup;
    auth.name = "AUTH";
    send({"AUTH", endpoint_.password}, std::move(auth));
  }
  if (endpoint_.db != 0 && state_ == State::Connecting) {
    Request select;
    select.kind = Kind::Setup;
    select.name = "SELECT";
    send({"SELECT", std::to_string(endpoint_.db)}, std::move(select));
  }
  arm_timer();
}

void AsyncRedis::on_connected(const redisAsyncContext* ac, int status) {
  if (status != REDIS_OK) {
    // hiredis frees the context as soon as this returns (and the cleanup hook
    // tells us); freeing it here would free it twice.
    if (!failure_) failure_ = make_redis_error(ac->c.err, ac->c.errstr, "connect to", endpoint_);
    finish_connect(failure_);
    state_ = State::Closed;
    return;
  }
  if (setup_pending_ == 0) finish_connect(nullptr);
}

void AsyncRedis::on_setup_reply(const Request& request, const RedisValue& value) {
  if (value.is_error()) {
    fail_connection(make_reply_error(request.name, value.str, endpoint_));
    return;
  }
  if (setup_pending_ == 0) finish_connect(nullptr);
}

void AsyncRedis::finish_connect(std::exception_ptr error) {
  if (!on_connect_) return;
  auto on_done = std::move(on_connect_);
  on_connect_ = nullptr;
  if (!error && state_ == State::Connecting) state_ = State::Connected;
  boost::asio::post(ioc_, [on_done = std::move(on_done), error] { on_done(error); });
}

void AsyncRedis::fail_connection(std::exception_ptr error) {
  if (!failure_) failure_ = std::move(error);
  finish_connect(failure_);
  state_ = State::Closed;
  // Frees now, or right after the current hiredis callback returns when
  // called from one; either way pending requests get `failure_`.
  context_.reset();
}

void AsyncRedis::note_failure(const redisAsyncContext* ac) {
  if (failure_ || ac == nullptr || ac->c.err == 0) return;
  failure_ = make_redis_error(ac->c.err, ac->c.errstr,
                              state_ == State::Connecting ? "connect to" : "talk to", endpoint_);
}

std::exception_ptr AsyncRedis::closed_error(std::string_view what_we_tried) const {
  if (failure_) return failure_;
  const std::string prefix =
      "cannot " + std::string(what_we_tried) + " Redis at " + endpoint_.describe() + ": ";
  if (state_ == State::Idle) {
    return std::make_exception_ptr(
        RedisIoError(prefix + "AsyncRedis::connect() was not called (a bug)"));
  }
  return std::make_exception_ptr(
      RedisIoError(prefix + "the connection was closed; create a new AsyncRedis to reconnect"));
}

void AsyncRedis::close() {
  if (state_ == State::Idle) state_ = State::Closed;
  if (state_ == State::Closed || state_ == State::Closing) return;
  state_ = State::Closing;
  // Frees at once when nothing is pending, else after the last reply.
  if (context_) redisAsyncDisconnect(context_.get());
}

void AsyncRedis::abandon() {
  abandoned_ = true;
  registry_ = nullptr;
  state_ = State::Closed;
  on_connect_ = nullptr;
  context_.reset();  // on_reply ignores the null replies; cleanup releases the fd
  descriptor_.reset();
  timer_.reset();
  setup_pending_ = 0;
  // Destroyed here, uncalled. They may hold references to this object; the
  // registry holds one more until it is done.
  auto dropped = std::move(requests_);
  requests_.clear();
}

// ---------------------------------------------------------------------------
// Commands and replies
// ---------------------------------------------------------------------------

std::size_t AsyncRedis::pending() const noexcept { return requests_.size() - setup_pending_; }

void AsyncRedis::command(std::vector<std::string> argv, Callback cb) {
  Request request;
  request.kind = Kind::Command;
  request.name = command_name(argv);
  request.cb = std::move(cb);
  if (argv.empty()) {
    deliver(std::move(request.cb),
            std::make_exception_ptr(Error("empty Redis command (a bug in the caller)")), {});
    return;
  }
  if (state_ != State::Connecting && state_ != State::Connected) {
    fail_fast(std::move(request.cb), request.name);
    return;
  }
  send(std::move(argv), std::move(request));
}

void AsyncRedis::eval(const Script& script, std::vector<std::string> keys,
                      std::vector<std::string> args, Callback cb) {
  Request request;
  request.kind = Kind::Script;
  request.name = "script '" + script.name() + "'";
  request.cb = std::move(cb);
  if (state_ != State::Connecting && state_ != State::Connected) {
    fail_fast(std::move(request.cb), request.name);
    return;
  }
  script_sources_.try_emplace(script.sha1(), script.source());
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.emplace_back("EVALSHA");
  argv.push_back(script.sha1());
  argv.push_back(std::to_string(keys.size()));
  std::move(keys.begin(), keys.end(), std::back_inserter(argv));
  std::move(args.begin(), args.end(), std::back_inserter(argv));
  send(std::move(argv), std::move(request));
}

void AsyncRedis::send(std::vector<std::string> argv, Request request) {
  const std::uint64_t id = next_id_++;
  request.deadline = deadline_after(endpoint_.command_timeout);
  const auto [it, inserted] = requests_.emplace(id, std::move(request));
  if (!submit(argv, id)) {
    auto node = requests_.extract(id);
    if (node.mapped().kind == Kind::Setup) {
      fail_connection(make_redis_error(REDIS_ERR_OOM, "cannot queue " + node.mapped().name,
                                       "connect to", endpoint_));
    } else {
      fail_fast(std::move(node.mapped().cb), node.mapped().name);
    }
    return;
  }
  if (it->second.kind == Kind::Setup) ++setup_pending_;
  if (it->second.kind == Kind::Script) it->second.argv = std::move(argv);
  arm_timer();
}

bool AsyncRedis::submit(const std::vector<std::string>& argv, std::uint64_t id) {
  if (!context_) return false;
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAsyncCommandArgv(context_.get(), &Hooks::on_reply, to_privdata(id),
                               static_cast<int>(argv.size()), ptrs.data(), lens.data()) == REDIS_OK;
}

void AsyncRedis::on_reply(const redisAsyncContext* ac, void* reply, std::uint64_t id) {
  if (abandoned_) return;  // abandon() destroys the requests itself
  auto node = requests_.extract(id);
  if (node.empty()) return;
  Request& request = node.mapped();
  if (request.kind == Kind::Setup) --setup_pending_;

  if (reply == nullptr) {  // the connection ended before this reply
    note_failure(ac);
    if (request.kind != Kind::Setup) {
      deliver(std::move(request.cb), closed_error("run " + request.name + " on"), {});
    }
    return;
  }
  RedisValue value = RedisValue::from_reply(static_cast<const redisReply*>(reply));
  if (request.kind == Kind::Setup) {
    on_setup_reply(request, value);
    return;
  }
  if (value.is_error()) {
    if (request.kind == Kind::Script && !request.retried &&
        value.str.compare(0, 8, "NOSCRIPT") == 0 && state_ != State::Closing) {
      const auto source = script_sources_.find(request.argv[1]);
      if (source != script_sources_.end()) {
        // EVAL also caches the script, so later EVALSHAs find it again.
        std::vector<std::string> retry = request.argv;
        retry[0] = "EVAL";
        retry[1] = source->second;
        request.retried = true;
        if (submit(retry, id)) {
          requests_.insert(std::move(node));
          return;
        }
      }
    }
    deliver(std::move(request.cb),
            make_reply_error(request.name, value.str, endpoint_), {});
    return;
  }
  deliver(std::move(request.cb), nullptr, std::move(value));
}

void AsyncRedis::deliver(Callback cb, std::exception_ptr error, RedisValue value) {
  if (!cb) return;
  boost::asio::post(ioc_, [cb = std::move(cb), error = std::move(error),
                           value = std::move(value)]() mutable { cb(error, std::move(value)); });
}

void AsyncRedis::fail_fast(Callback cb, std::string_view name) {
  deliver(std::move(cb), closed_error("run " + std::string(name) + " on"), {});
}

// ---------------------------------------------------------------------------
// The Asio adapter
// ---------------------------------------------------------------------------

// Each wait holds only a weak_ptr: an idle connection must not keep its
// AsyncRedis alive. A wait that completes after the context is gone, or
// after hiredis lost interest, does nothing.

void AsyncRedis::add_read() {
  want_read_ = true;
  if (reading_ || !descriptor_) return;
  reading_ = true;
  descriptor_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [weak = weak_from_this()](const boost::system::error_code& ec) {
                            if (auto self = weak.lock()) self->on_readable(ec);
                          });
}

void AsyncRedis::add_write() {
  want_write_ = true;
  if (writing_ || !descriptor_) return;
  writing_ = true;
  descriptor_->async_wait(boost::asio::posix::stream_descriptor::wait_write,
                          [weak = weak_from_this()](const boost::system::error_code& ec) {
                            if (auto self = weak.lock()) self->on_writable(ec);
                          });
}

void AsyncRedis::on_readable(const boost::system::error_code& ec) {
  reading_ = false;
  if (ec == boost::asio::error::operation_aborted || !context_ || !want_read_) return;
  // A wait error means the fd is broken; reading lets hiredis find out why.
  redisAsyncHandleRead(context_.get());
}

void AsyncRedis::on_writable(const boost::system::error_code& ec) {
  writing_ = false;
  if (ec == boost::asio::error::operation_aborted || !context_ || !want_write_) return;
  redisAsyncHandleWrite(context_.get());
}

void AsyncRedis::on_cleanup() {
  // hiredis is freeing the context and will close the fd: stop watching it
  // first, without closing it (pending waits complete as aborted).
  want_read_ = false;
  want_write_ = false;
  if (descriptor_) {
    static_cast<void>(descriptor_->release());
    descriptor_.reset();
  }
  static_cast<void>(context_.release());
  if (state_ != State::Closed) state_ = State::Closed;
  if (!abandoned_) finish_connect(closed_error("connect to"));
}

// ---------------------------------------------------------------------------
// Time limits
// ---------------------------------------------------------------------------

void AsyncRedis::arm_timer() {
  if (!timer_ || state_ == State::Closed) return;
  auto deadline = Clock::time_point::max();
  if (on_connect_) deadline = connect_deadline_;
  if (!requests_.empty()) deadline = std::min(deadline, requests_.begin()->second.deadline);
  if (deadline == Clock::time_point::max()) return;
  if (timer_armed_ && timer_->expiry() <= deadline) return;
  timer_->expires_at(deadline);  // an earlier wait, if any, completes as aborted
  timer_armed_ = true;
  timer_->async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock()) self->on_timer(ec);
  });
}

void AsyncRedis::on_timer(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::operation_aborted) return;
  timer_armed_ = false;
  if (state_ == State::Closed || !context_) return;
  const auto now = Clock::now();
  if (on_connect_ && now >= connect_deadline_) {
    fail_connection(
        make_redis_error(REDIS_ERR_IO, "Connection timed out", "connect to", endpoint_));
    return;
  }
  if (!requests_.empty() && now >= requests_.begin()->second.deadline) {
    const std::string& name = requests_.begin()->second.name;
    fail_connection(make_redis_error(
        REDIS_ERR_IO, "timed out waiting for the reply to " + name + "; connection dropped",
        "talk to", endpoint_));
    return;
  }
  arm_timer();
}

}  // namespace broadcaster::store
