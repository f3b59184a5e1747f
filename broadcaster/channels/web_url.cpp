// web_url_problem() on libcurl's URL parser (curl_url), with the handle in
// RAII.
#include "channels/web_url.h"

#include <curl/curl.h>

#include <memory>

namespace broadcaster::channels {

namespace {

struct UrlFree {
  void operator()(CURLU* h) const noexcept { curl_url_cleanup(h); }
};
struct StringFree {
  void operator()(char* s) const noexcept { curl_free(s); }
};

}  // namespace

std::optional<std::string> web_url_problem(std::string_view url) {
  for (const char c : url) {
    // curl would reject these too, but "a space in it" says what to fix.
    if (c == ' ') return "has a space in it (write it as %20)";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "has a control character in it";
  }
  if (!(url.starts_with("http://") || url.starts_with("https://"))) return "is not an http:// or https:// URL";
  const std::unique_ptr<CURLU, UrlFree> handle(curl_url());
  if (!handle) return "could not be checked (out of memory)";
  const std::string text(url);
  if (const CURLUcode rc = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0); rc != CURLUE_OK) {
    return std::string("is not a valid URL (") + curl_url_strerror(rc) + ")";
  }
  char* raw_host = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_HOST, &raw_host, 0) != CURLUE_OK || raw_host == nullptr) {
    return "has no host";
  }
  const std::unique_ptr<char, StringFree> host(raw_host);
  if (host.get()[0] == '\0') return "has no host";
  return std::nullopt;
}

}  // namespace broadcaster::channels
