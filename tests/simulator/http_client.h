// A tiny synchronous HTTP client for the simulator tests (libcurl easy).
// Design: one call = one request with a 10 s whole-request deadline, so a
// broken server fails a test instead of hanging it. A Client object keeps
// its easy handle, so consecutive calls reuse the connection (keep-alive).
#pragma once

#include <curl/curl.h>
#include <strings.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/c_handle.h"

namespace broadcaster::simulator::test {

/// What came back. `status` is 0 when no HTTP response arrived; `curl_code`
/// then says why.
struct HttpResult {
  long status = 0;
  CURLcode curl_code = CURLE_OK;
  long new_connections = 0;  ///< connections curl opened for this request
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// First header named `name` (case-insensitive).
  std::optional<std::string> header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
    }
    return std::nullopt;
  }
};

/// Optional request parts.
struct RequestOptions {
  std::string body;
  std::string content_type = "application/x-www-form-urlencoded";
  std::optional<std::pair<std::string, std::string>> basic_auth;  ///< user, password
  long timeout_ms = 10000;
};

/// Performs requests on one reusable easy handle.
class Client {
 public:
  Client() : easy_(curl_easy_init()) {
    if (!easy_) throw std::runtime_error("curl_easy_init failed");
  }

  /// `method` GET or POST (or anything curl accepts as a custom request).
  HttpResult request(const std::string& method, const std::string& url,
                     const RequestOptions& options = {}) {
    CURL* h = easy_.get();
    HttpResult result;
    util::CurlSlist headers;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options.timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, options.body.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(options.body.size()));
      const std::string type = "Content-Type: " + options.content_type;
      headers.reset(curl_slist_append(nullptr, type.c_str()));
      // No "Expect: 100-continue" round trip for larger bodies.
      headers.reset(curl_slist_append(headers.release(), "Expect:"));
      curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    } else if (method != "GET") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (options.basic_auth) {
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(h, CURLOPT_USERNAME, options.basic_auth->first.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, options.basic_auth->second.c_str());
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Client::on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &Client::on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &result.headers);
    result.curl_code = curl_easy_perform(h);
    if (result.curl_code == CURLE_OK) {
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
      curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &result.new_connections);
    }
    return result;
  }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
    std::string line(data, size * n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      headers->emplace_back(line.substr(0, colon), std::move(value));
    }
    return size * n;
  }

  util::CurlEasy easy_;
};

/// One request on a fresh connection.
inline HttpResult http_request(const std::string& method, const std::string& url,
                               const RequestOptions& options = {}) {
  Client client;
  return client.request(method, url, options);
}

}  // namespace broadcaster::simulator::test
