// Debian's Chromium, headless, driven through Debian's chromedriver over the
// W3C WebDriver protocol (JSON over loopback HTTP), for tests that check
// what a person sees on a page: its text after scripts ran, and a
// screenshot.
// Design: chromedriver is started on a free loopback port and owns the
// browser; one session per object, with its own profile directory, deleted
// in the destructor before chromedriver is stopped (by its PID).
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/process.h"

namespace broadcaster::testing {

class HeadlessChromium {
 public:
  /// Starts chromedriver and a browser whose window is `width` x `height`
  /// CSS pixels (a phone: 412 x 915); `work_dir` holds the profile and the
  /// driver's log. Throws std::runtime_error with the driver's log when
  /// either does not start.
  HeadlessChromium(const std::filesystem::path& work_dir, int width, int height);
  ~HeadlessChromium();

  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  /// Opens `url` and waits for the page to load.
  void open(const std::string& url);

  /// Runs `script` (a function body: `return ...;`) in the page; returns its
  /// value. Throws std::runtime_error when the script throws.
  nlohmann::json run(const std::string& script);

  /// The text of the first element matching `css_selector` as shown
  /// (innerText), or "" when none matches.
  std::string text_of(const std::string& css_selector);

  /// Writes a PNG of the window to `png`.
  void screenshot(const std::filesystem::path& png);

 private:
  nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);

  std::string base_;     ///< http://127.0.0.1:PORT
  std::string session_;  ///< WebDriver session id
  std::filesystem::path log_;
  std::unique_ptr<Process> driver_;
};

}  // namespace broadcaster::testing
