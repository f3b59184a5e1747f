// Loopback ports for the real servers tests start (redis-server, Kannel).
#pragma once

namespace broadcaster::testing {

/// Binds a new TCP socket to 127.0.0.1:0; returns its fd (the caller closes
/// it) and sets `port`. Throws std::system_error.
int bind_loopback(int& port);

/// A loopback port nothing listens on right now. Another process may take
/// it before the server binds it: callers retry on a new port then.
int free_loopback_port();

}  // namespace broadcaster::testing
