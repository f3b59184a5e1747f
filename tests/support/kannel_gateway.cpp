// Writing kannel.conf, starting and watching bearerbox, smsbox and fakesmsc,
// and reading what fakesmsc received.
#include "support/kannel_gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "channels/http_message.h"  // form_decode_component
#include "channels/inbound.h"       // append_utf8
#include "support/http_get.h"
#include "support/loopback_port.h"

namespace broadcaster::testing {

namespace {

constexpr const char* kBearerbox = "/usr/sbin/bearerbox";
constexpr const char* kSmsbox = "/usr/sbin/smsbox";
constexpr const char* kFakeSmsc = "/usr/lib/kannel/test/fakesmsc";
constexpr const char* kAdminPassword = "kannel-admin-5e0b";
constexpr int kStartAttempts = 4;
constexpr auto kStopDeadline = std::chrono::seconds(5);

void require_installed() {
  for (const char* binary : {kBearerbox, kSmsbox, kFakeSmsc}) {
    if (::access(binary, X_OK) != 0) {
      throw std::runtime_error(std::string("Kannel is not installed: ") + binary +
                               " is missing. Install the Debian packages kannel and kannel-extras "
                               "(ops/lib.sh BC_PACKAGES lists them); this test needs a real Kannel.");
    }
  }
}

// SIGTERM, then the Process destructor's SIGKILL once the deadline passes.
void stop(std::unique_ptr<Process>& process) {
  if (!process) return;
  process->signal(SIGTERM);
  process->wait(kStopDeadline);
  process.reset();
}

std::string tail(const std::string& text, std::size_t max = 3000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

std::string utf16be_to_utf8(const std::string& bytes) {
  if (bytes.size() % 2 != 0) throw std::runtime_error("odd number of bytes in UCS-2 text");
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    char32_t unit = (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < bytes.size()) {
      const char32_t low = (static_cast<unsigned char>(bytes[i + 2]) << 8) | static_cast<unsigned char>(bytes[i + 3]);
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    channels::append_utf8(out, unit);
  }
  return out;
}

std::u32string utf8_to_code_points(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = length == 1 ? c : length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < length && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += length;
  }
  return out;
}

std::string percent_byte(unsigned value) {
  static const char* digits = "0123456789ABCDEF";
  return std::string{'%', digits[(value >> 4) & 0xF], digits[value & 0xF]};
}

}  // namespace

std::vector<FakeSmscMessage> parse_fakesmsc_output(const std::string& output) {
  static const std::regex line(R"(Got message \d+: <(\S+) (\S+) (\S+) ?(.*)>\s*$)");
  std::vector<FakeSmscMessage> messages;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string text = output.substr(start, end - start);
    start = end + 1;
    if (text.find("Got message ") == std::string::npos) continue;
    std::smatch m;
    if (!std::regex_search(text, m, line)) throw std::runtime_error("unreadable fakesmsc line: " + text);
    FakeSmscMessage message{m[1], m[2], m[3], m[4]};
    if (message.coding == "ucs-2") {
      message.text = utf16be_to_utf8(channels::form_decode_component(message.text));
    } else if (message.coding == "data") {
      message.text = channels::form_decode_component(message.text);
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

std::string fakesmsc_argument(const FakeSmscText& text) {
  const std::u32string code_points = utf8_to_code_points(text.text);
  const bool ascii = std::all_of(code_points.begin(), code_points.end(), [](char32_t c) { return c < 0x80; });
  if (ascii) return text.from + " " + text.to + " text " + text.text;
  std::string data;
  for (const char32_t cp : code_points) {
    if (cp >= 0x10000) throw std::runtime_error("fakesmsc_argument: only BMP characters fit UCS-2");
    data += percent_byte(cp >> 8) + percent_byte(cp & 0xFF);
  }
  return text.from + " " + text.to + " ucs2 " + data;
}

KannelGateway::KannelGateway(KannelGatewayOptions options) : options_(std::move(options)) {
  require_installed();
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (start_on_fresh_ports()) return;
  }
  const std::string why = logs();
  stop(smsbox_);
  stop(bearerbox_);
  throw std::runtime_error("Kannel did not start after " + std::to_string(kStartAttempts) + " tries in " +
                           dir_.path().string() + ":\n" + why);
}

KannelGateway::~KannelGateway() {
  stop(fake_smsc_);
  stop(smsbox_);
  stop(bearerbox_);
}

std::string KannelGateway::sendsms_url() const {
  return "http://127.0.0.1:" + std::to_string(sendsms_port_) + "/cgi-bin/sendsms";
}

bool KannelGateway::start_on_fresh_ports() {
  stop(smsbox_);
  stop(bearerbox_);
  admin_port_ = free_loopback_port();
  smsbox_port_ = free_loopback_port();
  smsc_port_ = free_loopback_port();
  sendsms_port_ = free_loopback_port();
  const std::string dir = dir_.path().string();
  // Loopback only, logs in the temp dir, DLRs kept in bearerbox's memory.
  // smsbox as broadcaster's README asks: UCS-2 texts in recoded to UTF-8, no
  // canned error texts to subscribers, replies obeying X-Kannel-Coding.
  std::string conf = "group = core\nadmin-port = " + std::to_string(admin_port_) +
                     "\nadmin-interface = 127.0.0.1\nadmin-password = " + kAdminPassword +
                     "\nadmin-allow-ip = 127.0.0.1\nsmsbox-port = " + std::to_string(smsbox_port_) +
                     "\nsmsbox-interface = 127.0.0.1\nbox-allow-ip = 127.0.0.1\nlog-file = \"" + dir +
                     "/bearerbox.log\"\nlog-level = 0\naccess-log = \"" + dir +
                     "/access.log\"\ndlr-storage = internal\n\n"
                     "group = smsc\nsmsc = fake\nsmsc-id = fake\nport = " +
                     std::to_string(smsc_port_) +
                     "\nconnect-allow-ip = 127.0.0.1\n\n"
                     "group = smsbox\nbearerbox-host = 127.0.0.1\nbearerbox-port = " +
                     std::to_string(smsbox_port_) + "\nsendsms-port = " + std::to_string(sendsms_port_) +
                     "\nsendsms-interface = 127.0.0.1\nlog-file = \"" + dir +
                     "/smsbox.log\"\nlog-level = 0\nmo-recode = true\n"
                     "reply-couldnotfetch = \"\"\nreply-requestfailed = \"\"\nreply-emptymessage = \"\"\n"
                     "http-request-retry = 3\nhttp-queue-delay = 1\n\n"
                     "group = sendsms-user\nusername = " +
                     options_.sendsms_username + "\npassword = " + options_.sendsms_password +
                     "\nuser-allow-ip = 127.0.0.1\nmax-messages = 3\nconcatenation = true\n\n";
  if (!options_.mo_url.empty()) {
    conf += "group = sms-service\nkeyword = default\ncatch-all = true\nget-url = \"" + options_.mo_url +
            "\"\nomit-empty = true\nmax-messages = 3\nconcatenation = true\naccept-x-kannel-headers = true\n";
  } else {
    conf += "group = sms-service\nkeyword = default\ntext = \"No service specified\"\n";
  }
  const auto conf_path = dir_.write("kannel.conf", conf);

  bearerbox_ = std::make_unique<Process>(std::vector<std::string>{kBearerbox, conf_path.string()},
                                         std::vector<std::string>{}, dir_.path() / "bearerbox.out", "/dev/null");
  const auto up = [&](const std::string& needle) { return status().find(needle) != std::string::npos; };
  if (!wait_for_condition([&] { return !bearerbox_->alive() || up("Status: running"); }, options_.start_deadline) ||
      !bearerbox_->alive()) {
    return false;
  }
  smsbox_ = std::make_unique<Process>(std::vector<std::string>{kSmsbox, conf_path.string()}, std::vector<std::string>{},
                                      dir_.path() / "smsbox.out", "/dev/null");
  // Ready: bearerbox lists the smsbox, and sendsms answers (403 without credentials).
  const bool ready = wait_for_condition(
      [&] {
        if (!smsbox_->alive()) return true;
        return up("smsbox:") && http_request("GET", sendsms_url()).status != 0;
      },
      options_.start_deadline);
  return ready && smsbox_->alive() && bearerbox_->alive();
}

std::string KannelGateway::status() const {
  const auto answer =
      http_request("GET", "http://127.0.0.1:" + std::to_string(admin_port_) + "/status.txt?password=" + kAdminPassword);
  return answer.status == 200 ? answer.body : std::string();
}

bool KannelGateway::fake_smsc_online() const {
  const std::string text = status();
  const auto at = text.find("FAKE:" + std::to_string(smsc_port_));
  if (at == std::string::npos) return false;
  return text.substr(at, text.find('\n', at) - at).find("(online") != std::string::npos;
}

void KannelGateway::stop_fake_smsc() {
  if (!fake_smsc_) return;
  stop(fake_smsc_);
  if (!wait_for_condition([&] { return !fake_smsc_online(); }, options_.start_deadline)) {
    throw std::runtime_error("bearerbox still reports the stopped fake SMSC online:\n" + status());
  }
}

void KannelGateway::connect_fake_smsc(const std::optional<FakeSmscText>& text) {
  stop_fake_smsc();
  std::vector<std::string> argv{kFakeSmsc, "-H", "127.0.0.1", "-r", std::to_string(smsc_port_)};
  if (text) {
    argv.insert(argv.end(), {"-m", "1", fakesmsc_argument(*text)});
  } else {
    // fakesmsc needs a message even when it is to send none.
    argv.insert(argv.end(), {"-m", "0", "+15595550199 +15595550100 text unused"});
  }
  const auto log = dir_.path() / ("fakesmsc-" + std::to_string(fake_smsc_logs_.size()) + ".log");
  fake_smsc_logs_.push_back(log);
  fake_smsc_ = std::make_unique<Process>(argv, std::vector<std::string>{}, log, "/dev/null");
  if (!wait_for_condition([&] { return !fake_smsc_->alive() || fake_smsc_online(); }, options_.start_deadline) ||
      !fake_smsc_->alive()) {
    throw std::runtime_error("fakesmsc did not come online:\n" + logs());
  }
}

std::vector<FakeSmscMessage> KannelGateway::received() const {
  std::vector<FakeSmscMessage> all;
  for (const auto& log : fake_smsc_logs_) {
    std::ifstream in(log);
    std::ostringstream text;
    text << in.rdbuf();
    auto messages = parse_fakesmsc_output(text.str());
    all.insert(all.end(), messages.begin(), messages.end());
  }
  return all;
}

std::string KannelGateway::logs() const {
  std::string out;
  const auto add = [&](const std::string& name) { out += "--- " + name + ":\n" + tail(dir_.read(name)) + "\n"; };
  add("bearerbox.log");
  add("bearerbox.out");
  add("smsbox.log");
  add("smsbox.out");
  for (const auto& log : fake_smsc_logs_) add(log.filename().string());
  return out;
}

}  // namespace broadcaster::testing
