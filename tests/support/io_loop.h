// An io_context run on a thread of its own for the length of a test, so a
// test can make blocking HTTP calls to a server that lives on it.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <optional>
#include <thread>

namespace broadcaster::testing {

struct IoLoop {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{io.get_executor()};
  std::thread thread{[this] { io.run(); }};

  /// Runs `f` on the loop's thread and returns what it returns.
  template <class F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return result.get();
  }

  ~IoLoop() {
    work.reset();
    io.stop();
    thread.join();
  }
};

}  // namespace broadcaster::testing
