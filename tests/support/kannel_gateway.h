// A real Kannel for integration tests: bearerbox, smsbox and the fake SMSC
// (fakesmsc, from the kannel-extras package) on free loopback ports in a
// fresh temp dir, the way an operator would run them, only with a fake SMSC
// where the operator's SMSC or modem would be.
//
// Facts from Kannel 1.4.5 (checked by hand, and relied on below):
// - bearerbox's `smsc = fake` listens on a port; fakesmsc connects to it as
//   the SMSC. One fakesmsc at a time; when it goes, bearerbox waits for the
//   next ("re-connecting") and keeps messages meanwhile.
// - fakesmsc sends `-m N` texts picked at random from its arguments, each
//   "sender receiver text|ucs2 data" (ucs2: URL-encoded UTF-16BE), then stays
//   connected and prints every message bearerbox hands it as
//   `Got message N: <sender receiver text|ucs-2|data DATA>` (text as is,
//   ucs-2 and data URL-encoded, '+' for a space). `-m 0` sends nothing.
// - The fake SMSC itself produces the delivery reports that dlr-mask asks
//   for: 8 (SMSC accepted) and 1 (delivered), which smsbox fetches from the
//   message's dlr-url.
// - The fake SMSC's port is bound on every interface (smsc_fake takes no
//   interface option); connect-allow-ip = 127.0.0.1 lets only loopback in.
//   Everything else (admin, smsbox, sendsms) is bound to 127.0.0.1.
// - bearerbox's admin page status.txt says "(online" for the fake SMSC once
//   fakesmsc is connected and lists "smsbox:" under the box connections.
//
// Design: one object owns the three kinds of child process (tests/support/
// process.h, by PID), started in order and each waited for under a deadline
// (no fixed sleeps); the destructor stops them by PID, newest first. Ports
// come from binding port 0 and closing; should another process take one
// before Kannel binds it, bearerbox or smsbox exits and startup is retried
// on new ports. Kannel not installed is a thrown error naming the packages,
// so a test fails (never skips) on a machine without it.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace broadcaster::testing {

/// How to start a KannelGateway.
struct KannelGatewayOptions {
  /// smsbox's get-url for every text in (Kannel escape codes such as %p
  /// included); empty: texts in get smsbox's fixed "no service" answer.
  std::string mo_url = {};
  std::string sendsms_username = "bc-sendsms";
  std::string sendsms_password = "sendsms-pass-4d1c";
  /// Bound on waiting for each process to be ready; only reached when it fails.
  std::chrono::milliseconds start_deadline{15000};
};

/// A text a subscriber sends through the fake SMSC.
struct FakeSmscText {
  std::string from;  ///< the subscriber, e.g. +15595550142
  std::string to;    ///< our number
  std::string text;  ///< UTF-8; sent as "text" when ASCII, else as UCS-2
};

/// A message the fake SMSC received from bearerbox (a text to a subscriber).
struct FakeSmscMessage {
  std::string from;
  std::string to;
  std::string coding;  ///< as fakesmsc prints it: "text", "ucs-2" or "data"
  std::string text;    ///< decoded to UTF-8 ("data" left URL-decoded bytes)
};

/// Parses fakesmsc's output: every `Got message N: <...>` line, in order.
/// Throws std::runtime_error for such a line it cannot read.
std::vector<FakeSmscMessage> parse_fakesmsc_output(const std::string& output);

/// "+15595550101 +15595550100 ucs2 %00%DA..." for `text`, as fakesmsc's argument.
std::string fakesmsc_argument(const FakeSmscText& text);

/// bearerbox + smsbox, and at most one fakesmsc at a time, stopped by the destructor.
class KannelGateway {
 public:
  /// Writes kannel.conf, starts bearerbox and smsbox and waits until smsbox
  /// is connected and its sendsms port answers. Throws std::runtime_error
  /// (with the logs' ends) when Kannel is not installed or does not start.
  explicit KannelGateway(KannelGatewayOptions options = {});
  KannelGateway(const KannelGateway&) = delete;
  KannelGateway& operator=(const KannelGateway&) = delete;
  ~KannelGateway();

  /// http://127.0.0.1:PORT/cgi-bin/sendsms
  [[nodiscard]] std::string sendsms_url() const;
  [[nodiscard]] const KannelGatewayOptions& options() const noexcept { return options_; }

  /// Connects a fake SMSC (stopping the previous one first, once bearerbox
  /// has noticed it went) that sends `text` once, or nothing, and then keeps
  /// receiving. Returns when bearerbox reports it online. Throws
  /// std::runtime_error when it does not come online in time.
  void connect_fake_smsc(const std::optional<FakeSmscText>& text = std::nullopt);

  /// Everything every fake SMSC so far received, in order.
  [[nodiscard]] std::vector<FakeSmscMessage> received() const;

  /// bearerbox's status.txt ("" when it does not answer), for failure messages.
  [[nodiscard]] std::string status() const;

  /// The ends of the logs of bearerbox, smsbox and the fake SMSCs, for failure messages.
  [[nodiscard]] std::string logs() const;

 private:
  bool start_on_fresh_ports();
  void stop_fake_smsc();
  [[nodiscard]] bool fake_smsc_online() const;

  KannelGatewayOptions options_;
  TempDir dir_;
  int admin_port_ = 0;
  int smsbox_port_ = 0;
  int smsc_port_ = 0;
  int sendsms_port_ = 0;
  std::unique_ptr<Process> bearerbox_;
  std::unique_ptr<Process> smsbox_;
  std::unique_ptr<Process> fake_smsc_;
  std::vector<std::filesystem::path> fake_smsc_logs_;
};

}  // namespace broadcaster::testing
