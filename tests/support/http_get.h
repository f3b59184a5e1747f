// A blocking HTTP GET for tests that read a local server's state.
#pragma once

#include <curl/curl.h>

#include <stdexcept>
#include <string>

#include "util/c_handle.h"

namespace broadcaster::testing {

/// GETs `url` (loopback only) and returns the body; throws on failure or a non-2xx status.
inline std::string http_get(const std::string& url) {
  util::CurlEasy curl(curl_easy_init());
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
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

}  // namespace broadcaster::testing
