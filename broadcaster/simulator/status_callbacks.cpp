// Status callbacks posted with libcurl from one worker thread (see
// status_callbacks.h).
#include "simulator/status_callbacks.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "channels/http_message.h"
#include "channels/twilio/twilio_signature.h"
#include "util/c_handle.h"

namespace broadcaster::simulator {

StatusCallbacks::StatusCallbacks(std::string account_sid, std::string auth_token, std::string order,
                                 std::size_t max_pending)
    : account_sid_(std::move(account_sid)),
      auth_token_(std::move(auth_token)),
      order_(std::move(order)),
      max_pending_(max_pending),
      worker_([this] { work(); }) {}

StatusCallbacks::~StatusCallbacks() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

std::pair<std::string, std::string> StatusCallbacks::fate(const std::string& to) {
  const std::string tail = to.size() >= 2 ? to.substr(to.size() - 2) : to;
  if (tail == "96") return {"undelivered", "21610"};
  if (tail == "97") return {"undelivered", "30007"};
  if (tail == "98") return {"failed", "30008"};
  if (tail == "99") return {"undelivered", "30003"};
  return {"delivered", ""};
}

void StatusCallbacks::accepted(const std::string& url, const std::string& sid, const std::string& from,
                               const std::string& to) {
  const auto fields = [&](const std::string& status, const std::string& code) {
    std::vector<std::pair<std::string, std::string>> f = {
        {"MessageSid", sid}, {"SmsSid", sid},           {"AccountSid", account_sid_}, {"From", from},
        {"To", to},          {"MessageStatus", status}, {"SmsStatus", status},        {"ApiVersion", "2010-04-01"}};
    if (!code.empty()) f.emplace_back("ErrorCode", code);
    return f;
  };
  const auto [final_status, code] = fate(to);
  std::vector<Callback> batch;
  if (order_ == "reversed") {
    batch = {{url, fields(final_status, code)}, {url, fields("sent", "")}, {url, fields(final_status, code)}};
  } else {
    batch = {{url, fields("sent", "")}, {url, fields(final_status, code)}};
  }
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() + batch.size() > max_pending_) {
      failed_ += batch.size();
      return;
    }
    for (auto& c : batch) queue_.push_back(std::move(c));
  }
  wake_.notify_one();
}

std::size_t StatusCallbacks::posted() const {
  std::lock_guard lock(mutex_);
  return posted_;
}

std::size_t StatusCallbacks::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void StatusCallbacks::work() {
  for (;;) {
    Callback c;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      c = std::move(queue_.front());
      queue_.pop_front();
    }
    post(c);
  }
}

void StatusCallbacks::post(const Callback& c) {
  bool ok = false;
  try {
    const std::string body = channels::form_encode(c.fields);
    const std::string signature = channels::twilio_signature(c.url, c.fields, auth_token_);
    util::CurlEasy curl(curl_easy_init());
    util::CurlSlist headers;
    for (const std::string& header :
         {std::string("Content-Type: application/x-www-form-urlencoded"), std::string("User-Agent: TwilioProxy/1.1"),
          std::string("Expect:"), "X-Twilio-Signature: " + signature}) {
      curl_slist* head = curl_slist_append(headers.get(), header.c_str());
      if (head != nullptr && !headers) headers.reset(head);
    }
    if (curl) {
      CURL* h = curl.get();
      curl_easy_setopt(h, CURLOPT_URL, c.url.c_str());
      curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
      curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
      curl_easy_setopt(
          h, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
      long status = 0;
      if (curl_easy_perform(h) == CURLE_OK && curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK) {
        ok = status >= 200 && status < 300;
        if (!ok) spdlog::warn("status callback to {} answered {}", c.url, status);
      }
    }
  } catch (const std::exception& e) {
    spdlog::warn("status callback to {}: {}", c.url, e.what());
  }
  std::lock_guard lock(mutex_);
  (ok ? posted_ : failed_) += 1;
}

}  // namespace broadcaster::simulator
