// Blocking HTTP calls for tests: GET a local server's state, or send any
// request and look at the status and body.
#pragma once

#include <curl/curl.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "util/c_handle.h"

namespace broadcaster::testing {

/// GETs `url` (loopback only) and returns the body; throws on failure or a non-2xx status.
inline std::string http_get(const std::string& url) {
  util::CurlEasy curl(curl_easy_init());
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(
      curl.get(), CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK || status < 200 || status > 299) {
    throw std::runtime_error("GET " + url + " failed: " + curl_easy_strerror(rc) + " status " + std::to_string(status));
  }
  return body;
}

/// What a server answered; status 0 when no answer arrived.
struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string headers;  ///< the raw header lines of the answer
};

/// Sends `method` to `url` (loopback only) with `headers` ("Name: value") and
/// `body`, from `source_address` when given (e.g. "127.0.0.2", to play a
/// second client); never throws for HTTP errors.
inline HttpAnswer http_request(const std::string& method, const std::string& url,
                               const std::vector<std::string>& headers = {}, const std::string& body = "",
                               const std::string& source_address = "") {
  util::CurlEasy curl(curl_easy_init());
  util::CurlSlist list;
  for (const auto& h : headers) list.reset(curl_slist_append(list.release(), h.c_str()));
  HttpAnswer answer;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
  const std::string interface = "host!" + source_address;
  if (!source_address.empty()) curl_easy_setopt(curl.get(), CURLOPT_INTERFACE, interface.c_str());
  if (method != "GET") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(
      curl.get(), CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(
      curl.get(), CURLOPT_HEADERFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &answer.headers);
  if (curl_easy_perform(curl.get()) == CURLE_OK) curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace broadcaster::testing
