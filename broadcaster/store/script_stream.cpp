// Streaming script calls (design: script_stream.h).
#include "store/script_stream.h"

#include <utility>

namespace broadcaster::store {

ScriptStream::ScriptStream(RedisClient& redis, const Script& script, std::size_t window, OnReply on_reply)
    : redis_(redis), script_(script), window_(window == 0 ? 1 : window), on_reply_(std::move(on_reply)) {
  redis_.load_script(script_);
}

ScriptStream::~ScriptStream() {
  try {
    while (!sent_.empty()) {
      (void)redis_.read_reply("read a script reply from");
      sent_.pop_front();
    }
  } catch (const std::exception&) {
    // The connection failed: hiredis refuses all further work on it, so no
    // later command can read a stale reply.
  }
}

void ScriptStream::send(RedisClient::ScriptCall call) {
  while (sent_.size() >= window_) read_one();
  redis_.append_script(script_, call.first, call.second, false);
  sent_.push_back({made_++, std::move(call)});
  // Out now, so Redis works on it while the caller builds the next.
  redis_.flush("send script '" + script_.name() + "' to");
}

void ScriptStream::finish() {
  while (!sent_.empty()) read_one();
}

void ScriptStream::read_one() {
  RedisValue reply = redis_.read_reply("run script '" + script_.name() + "' on");
  Sent done = std::move(sent_.front());
  sent_.pop_front();
  if (reply.is_noscript()) {
    // It did not run, so sending it again cannot run it twice.
    redis_.append_script(script_, done.call.first, done.call.second, true);
    redis_.flush("send script '" + script_.name() + "' to");
    sent_.push_back(std::move(done));
    return;
  }
  on_reply_(done.index, reply);
}

}  // namespace broadcaster::store
