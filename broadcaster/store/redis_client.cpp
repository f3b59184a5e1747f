// Blocking Redis commands, pipelines and scripts over one hiredis context.
#include "store/redis_client.h"

#include <sys/time.h>

#include <algorithm>
#include <cctype>

namespace broadcaster::store {

namespace {

// Pointer/length views of an argv vector, as redisCommandArgv wants them.
struct ArgvView {
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;

  explicit ArgvView(const std::vector<std::string>& argv) {
    if (argv.empty()) throw Error("empty Redis command (a bug in the caller)");
    ptrs.reserve(argv.size());
    lens.reserve(argv.size());
    for (const auto& a : argv) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
  }
  int argc() const { return static_cast<int>(ptrs.size()); }
};

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

// The command's name for messages: upper-cased, never its arguments.
std::string command_name(const std::vector<std::string>& argv) {
  std::string name = argv.empty() ? std::string("(empty command)") : argv.front();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

std::string script_label(const Script& script) { return "script '" + script.name() + "'"; }

}  // namespace

RedisClient::RedisClient(const RedisEndpoint& endpoint) : endpoint_(endpoint) {
  redisContext* raw = endpoint_.connect_timeout.count() > 0
                          ? redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                                    to_timeval(endpoint_.connect_timeout))
                          : redisConnect(endpoint_.host.c_str(), endpoint_.port);
  context_.reset(raw);
  if (!context_ || context_->err) throw_redis_error(context_.get(), "connect to", endpoint_);
  if (endpoint_.command_timeout.count() > 0 &&
      redisSetTimeout(context_.get(), to_timeval(endpoint_.command_timeout)) != REDIS_OK) {
    throw_redis_error(context_.get(), "set the command time-out on", endpoint_);
  }
  if (!endpoint_.password.empty()) command({"AUTH", endpoint_.password});
  if (endpoint_.db != 0) command({"SELECT", std::to_string(endpoint_.db)});
}

redisContext* RedisClient::context(std::string_view what_we_tried) {
  if (!context_) {
    throw RedisIoError("cannot " + std::string(what_we_tried) + " Redis at " +
                       endpoint_.describe() + ": this RedisClient was moved from (a bug)");
  }
  if (context_->err != 0) {
    // hiredis keeps the first error and refuses all further work.
    std::rethrow_exception(make_redis_error(
        REDIS_ERR_OTHER, "the connection already failed: " + std::string(context_->errstr),
        what_we_tried, endpoint_));
  }
  return context_.get();
}

RedisValue RedisClient::command(const std::vector<std::string>& argv) {
  ArgvView view(argv);
  const std::string name = command_name(argv);
  const std::string what = "run " + name + " on";
  redisContext* c = context(what);
  util::ReplyPtr reply(static_cast<redisReply*>(
      redisCommandArgv(c, view.argc(), view.ptrs.data(), view.lens.data())));
  if (!reply) throw_redis_error(c, what, endpoint_);
  RedisValue value = RedisValue::from_reply(reply.get());
  if (value.is_error()) std::rethrow_exception(make_reply_error(name, value.str, endpoint_));
  return value;
}

void RedisClient::append(const std::vector<std::string>& argv) {
  ArgvView view(argv);
  redisContext* c = context("queue a command for");
  if (redisAppendCommandArgv(c, view.argc(), view.ptrs.data(), view.lens.data()) != REDIS_OK) {
    throw_redis_error(c, "queue " + command_name(argv) + " for", endpoint_);
  }
}

RedisValue RedisClient::read_reply(std::string_view what_we_tried) {
  redisContext* c = context(what_we_tried);
  void* raw = nullptr;
  if (redisGetReply(c, &raw) != REDIS_OK) throw_redis_error(c, what_we_tried, endpoint_);
  const util::ReplyPtr reply(static_cast<redisReply*>(raw));
  return RedisValue::from_reply(reply.get());
}

void RedisClient::append_script(const Script& script, const std::vector<std::string>& keys,
                                const std::vector<std::string>& args, bool full_text) {
  // Views of the caller's strings: a call carries thousands of arguments,
  // and hiredis copies them into its buffer anyway.
  const std::string numkeys = std::to_string(keys.size());
  const std::string_view head[] = {full_text ? "EVAL" : "EVALSHA",
                                   full_text ? script.source() : std::string_view(script.sha1()), numkeys};
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  ptrs.reserve(3 + keys.size() + args.size());
  lens.reserve(ptrs.capacity());
  auto add = [&](std::string_view a) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  };
  for (const auto h : head) add(h);
  for (const auto& k : keys) add(k);
  for (const auto& a : args) add(a);
  redisContext* c = context("queue a script call for");
  if (redisAppendCommandArgv(c, static_cast<int>(ptrs.size()), ptrs.data(), lens.data()) != REDIS_OK) {
    throw_redis_error(c, "queue " + script_label(script) + " for", endpoint_);
  }
}

void RedisClient::flush(std::string_view what_we_tried) {
  redisContext* c = context(what_we_tried);
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(c, &done) != REDIS_OK) throw_redis_error(c, what_we_tried, endpoint_);
  }
}

std::vector<RedisValue> RedisClient::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<RedisValue> replies;
  if (commands.empty()) return replies;
  for (const auto& argv : commands) append(argv);
  const std::string what = "run a pipeline of " + std::to_string(commands.size()) + " commands on";
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) replies.push_back(read_reply(what));
  return replies;
}

RedisValue RedisClient::eval(const Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args) {
  const std::string label = script_label(script);
  const std::string what = "run " + label + " on";
  append_script(script, keys, args, false);
  RedisValue value = read_reply(what);
  if (value.is_noscript()) {
    append_script(script, keys, args, true);
    value = read_reply(what);
  }
  if (value.is_error()) std::rethrow_exception(make_reply_error(label, value.str, endpoint_));
  return value;
}

void RedisClient::load_script(const Script& script) {
  const RedisValue loaded = command({"SCRIPT", "LOAD", std::string(script.source())});
  if (loaded.as_string() != script.sha1()) {
    throw RedisReplyError("Redis at " + endpoint_.describe() + " named " + script_label(script) + " " +
                          loaded.as_string() + " but we computed SHA1 " + script.sha1() + " (a bug in Script)");
  }
}

std::vector<RedisValue> RedisClient::eval_pipeline(const Script& script,
                                                   const std::vector<ScriptCall>& calls) {
  std::vector<RedisValue> replies;
  if (calls.empty()) return replies;
  const std::string label = script_label(script);
  load_script(script);
  for (const auto& [keys, args] : calls) append_script(script, keys, args, false);
  const std::string what = "run " + std::to_string(calls.size()) + " calls of " + label + " on";
  replies.reserve(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) replies.push_back(read_reply(what));

  // NOSCRIPT means the call did not run, so re-sending it cannot run it twice.
  std::vector<std::size_t> retry;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (replies[i].is_noscript()) retry.push_back(i);
  }
  for (std::size_t i : retry) append_script(script, calls[i].first, calls[i].second, true);
  for (std::size_t i : retry) replies[i] = read_reply(what);
  return replies;
}

}  // namespace broadcaster::store
