// The status page of `broadcaster serve`: its own small HTTP listener
// (http::Server, on serve's io_context) on the address `status_page.listen`
// names, for ops' browsers and phones; never the webhook port, which faces
// providers.
// Design: three assets compiled into the binary (the page, its stylesheet
// and its script, a few KB together, nothing from elsewhere, so the page
// works offline and behind any firewall) and one data route, /status.json,
// which needs the bearer token (access_token.h) and is answered from the
// SnapshotCache, off the event loop. The page polls /status.json every few
// seconds; polling (not server-sent events) keeps every request short, so
// the server's per-request deadlines and proxies in front need nothing
// special. Every answer forbids framing, sniffing, referrers and any script
// or style not from this server (Content-Security-Policy).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "http/server.h"
#include "status/access_token.h"
#include "status/snapshot_cache.h"

namespace broadcaster::status {

class StatusServer {
 public:
  /// Serves `cache`'s snapshots to holders of `token`. Nothing listens
  /// until listen(). `cache` must outlive the server's io_context run.
  StatusServer(boost::asio::io_context& io, AccessToken token, std::shared_ptr<SnapshotCache> cache);

  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  /// Binds `endpoint` and starts serving; returns the bound address. Throws
  /// broadcaster::Error naming the address when it cannot be bound.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& endpoint);

  /// Stops serving and closes open connections. Idempotent; on the io thread.
  void stop();

 private:
  void on_request(http::Request&& request, http::Respond respond);

  AccessToken token_;
  std::shared_ptr<SnapshotCache> cache_;
  http::Server server_;
};

}  // namespace broadcaster::status
