// Turns libcurl's result codes into broadcaster exceptions.
#include "sender/curl_error.h"

#include <fmt/format.h>

namespace broadcaster::sender {

namespace {
constexpr std::string_view kAdvice =
    "this is out of memory or a libcurl built without a feature broadcaster needs; "
    "check `curl --version` lists HTTP and HTTPS";
}  // namespace

void throw_curl_error(std::string_view action, CURLcode code) {
  throw CurlError(fmt::format("libcurl failed {}: {} (CURLcode {}); {}", action,
                              curl_easy_strerror(code), static_cast<int>(code), kAdvice),
                  static_cast<int>(code));
}

void throw_curl_error(std::string_view action, CURLMcode code) {
  throw CurlError(fmt::format("libcurl failed {}: {} (CURLMcode {}); {}", action,
                              curl_multi_strerror(code), static_cast<int>(code), kAdvice),
                  static_cast<int>(code));
}

}  // namespace broadcaster::sender
