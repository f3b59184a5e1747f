// Owning smart pointers for the C handles broadcaster uses.
// Design: one alias per handle type, each a unique_ptr with a deleter that
// calls the library's own free function, so no raw owning pointer exists.
#pragma once

#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <unicode/ures.h>

#include <memory>

namespace broadcaster::util {

/// Deleter calling the C library function `Fn` on a non-null pointer.
template <auto Fn>
struct CFree {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p) Fn(p);
  }
};

namespace detail {
inline void free_reply(redisReply* r) noexcept { freeReplyObject(r); }
}  // namespace detail

using ReplyPtr = std::unique_ptr<redisReply, CFree<&detail::free_reply>>;
using RedisContextPtr = std::unique_ptr<redisContext, CFree<&redisFree>>;
using CurlEasy = std::unique_ptr<CURL, CFree<&curl_easy_cleanup>>;
using CurlMulti = std::unique_ptr<CURLM, CFree<&curl_multi_cleanup>>;
using CurlSlist = std::unique_ptr<curl_slist, CFree<&curl_slist_free_all>>;
using IcuBundle = std::unique_ptr<UResourceBundle, CFree<&ures_close>>;

}  // namespace broadcaster::util
