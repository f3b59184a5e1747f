// Small builders for complete HTTP responses: what handlers and the server's
// own error answers use, so every response carries Content-Type and
// Content-Length the same way.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace broadcaster::http {

/// A complete response: `status`, Content-Type `content_type` (no header
/// when empty), `body` and its Content-Length; `keep_alive` false adds
/// "Connection: close". `version` 11 is HTTP/1.1, 10 HTTP/1.0. Never throws
/// except std::bad_alloc.
[[nodiscard]] boost::beast::http::response<boost::beast::http::string_body> make_response(
    boost::beast::http::status status, std::string_view content_type, std::string body,
    bool keep_alive = true, unsigned version = 11);

/// The server's default ErrorResponder: "text/plain; charset=utf-8" with
/// `message` and a newline as the body, connection closed afterwards.
[[nodiscard]] boost::beast::http::response<boost::beast::http::string_body> plain_text_error(
    boost::beast::http::status status, const std::string& message);

}  // namespace broadcaster::http
