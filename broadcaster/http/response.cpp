// Response builders (see response.h).
#include "http/response.h"

#include <utility>

namespace broadcaster::http {

namespace beast_http = boost::beast::http;

beast_http::response<beast_http::string_body> make_response(beast_http::status status,
                                                            std::string_view content_type,
                                                            std::string body, bool keep_alive,
                                                            unsigned version) {
  beast_http::response<beast_http::string_body> res{status, version};
  if (!content_type.empty()) {
    res.set(beast_http::field::content_type,
            boost::beast::string_view(content_type.data(), content_type.size()));
  }
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

beast_http::response<beast_http::string_body> plain_text_error(beast_http::status status,
                                                               const std::string& message) {
  return make_response(status, "text/plain; charset=utf-8", message + "\n", false);
}

}  // namespace broadcaster::http
