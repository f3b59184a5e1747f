// Driving headless Chromium through chromedriver.
#include "support/headless_chromium.h"

#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>

#include "support/http_get.h"
#include "support/loopback_port.h"

namespace broadcaster::testing {

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kChromedriver = "/usr/bin/chromedriver";

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

HeadlessChromium::HeadlessChromium(const std::filesystem::path& work_dir, int width, int height)
    : log_(work_dir / "chromedriver.log") {
  std::filesystem::create_directories(work_dir / "chromium-profile");
  const int port = free_loopback_port();
  base_ = "http://127.0.0.1:" + std::to_string(port);
  driver_ = std::make_unique<Process>(
      std::vector<std::string>{kChromedriver, "--port=" + std::to_string(port), "--log-path=" + log_.string()},
      std::vector<std::string>{}, work_dir / "chromedriver.out");
  const bool up = wait_for_condition(
      [&] {
        const HttpAnswer a = http_request("GET", base_ + "/status");
        return a.status == 200 && a.body.find("\"ready\":true") != std::string::npos;
      },
      std::chrono::seconds(20));
  if (!up) throw std::runtime_error("chromedriver did not start: " + read_all(work_dir / "chromedriver.out"));
  const nlohmann::json args = {"--headless=new",
                               "--no-sandbox",  // tests run as root in CI
                               "--disable-gpu",
                               "--disable-dev-shm-usage",
                               "--no-first-run",
                               "--disable-extensions",
                               "--force-device-scale-factor=1",
                               "--window-size=" + std::to_string(width) + "," + std::to_string(height),
                               "--user-data-dir=" + (work_dir / "chromium-profile").string()};
  const nlohmann::json caps = {
      {"capabilities", {{"alwaysMatch", {{"goog:chromeOptions", {{"binary", kChromium}, {"args", args}}}}}}}};
  const nlohmann::json session = call("POST", "/session", caps);
  session_ = session.at("sessionId").get<std::string>();
}

HeadlessChromium::~HeadlessChromium() {
  if (!session_.empty()) (void)http_request("DELETE", base_ + "/session/" + session_);
  if (driver_) {
    driver_->signal(SIGTERM);
    (void)driver_->wait(std::chrono::seconds(10));
  }
}

nlohmann::json HeadlessChromium::call(const std::string& method, const std::string& path, const nlohmann::json& body) {
  const std::string prefix = session_.empty() ? "" : "/session/" + session_;
  const HttpAnswer a = http_request(method, base_ + (path == "/session" ? path : prefix + path),
                                    {"Content-Type: application/json"}, body.is_null() ? "{}" : body.dump());
  nlohmann::json reply = nlohmann::json::parse(a.body.empty() ? "{}" : a.body, nullptr, false);
  if (a.status != 200 || reply.is_discarded() || !reply.contains("value")) {
    const std::string log = read_all(log_);
    throw std::runtime_error("WebDriver " + method + " " + path + " answered " + std::to_string(a.status) + ": " +
                             a.body.substr(0, 2000) + "\nchromedriver log, last lines: " +
                             log.substr(log.size() > 3000 ? log.size() - 3000 : 0));
  }
  return reply["value"];
}

void HeadlessChromium::open(const std::string& url) { (void)call("POST", "/url", {{"url", url}}); }

nlohmann::json HeadlessChromium::run(const std::string& script) {
  return call("POST", "/execute/sync", {{"script", script}, {"args", nlohmann::json::array()}});
}

std::string HeadlessChromium::text_of(const std::string& css_selector) {
  const nlohmann::json v =
      run("var e = document.querySelector(" + nlohmann::json(css_selector).dump() + "); return e ? e.innerText : '';");
  return v.is_string() ? v.get<std::string>() : "";
}

void HeadlessChromium::screenshot(const std::filesystem::path& png) {
  const std::string b64 = call("GET", "/screenshot").get<std::string>();
  std::string bytes(b64.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) throw std::runtime_error("the screenshot is not base64");
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding's zero bytes too.
  if (b64.size() >= 2 && b64[b64.size() - 1] == '=') --size;
  if (b64.size() >= 2 && b64[b64.size() - 2] == '=') --size;
  bytes.resize(size);
  std::filesystem::create_directories(png.parent_path());
  std::ofstream(png, std::ios::binary) << bytes;
}

}  // namespace broadcaster::testing
