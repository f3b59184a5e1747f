// Console (dry-run) channel: one JSON line per message.
#include "channels/console/console_channel.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "channels/options.h"
#include "util/errors.h"

namespace broadcaster::channels {

ConsoleChannel::ConsoleChannel(const ProviderSettings& settings)
    : name_(settings.name), destination_("standard output"), out_(&std::cout) {
  OptionReader options(settings);
  const auto path = options.optional("path");
  options.finish();  // before opening, so a misspelt key creates no file
  if (path) {
    if (path->empty()) options.fail("path", "is empty (a file to append the dry run to)");
    errno = 0;
    file_ = std::make_unique<std::ofstream>(*path, std::ios::out | std::ios::app);
    if (!*file_) {
      options.fail("path", "names a file that cannot be opened for appending: '" + *path +
                               "': " + (errno != 0 ? std::strerror(errno) : "unknown error"));
    }
    destination_ = *path;
    out_ = file_.get();
  }
  spdlog::info("channel '{}': dry run, messages are written to {}, not sent", name_, destination_);
}

ConsoleChannel::ConsoleChannel(const ProviderSettings& settings, std::ostream& out)
    : name_(settings.name), destination_("the given stream"), out_(&out) {
  OptionReader options(settings);
  if (options.has("path")) {
    options.fail("path", "cannot be combined with an explicit output stream");
  }
  options.finish();
}

std::optional<HttpRequest> ConsoleChannel::build_request(const OutboundMessage& /*msg*/) const {
  return std::nullopt;
}

SendResult ConsoleChannel::interpret_response(const HttpResponse& /*response*/,
                                              const OutboundMessage& /*msg*/) const {
  throw SendError("channel '" + name_ +
                      "': the console channel sends no HTTP requests; interpret_response was "
                      "called by mistake (a bug in the sender)",
                  false);
}

SendResult ConsoleChannel::deliver_locally(const OutboundMessage& msg) {
  const std::string id = "console-" + std::to_string(sent_ + 1);
  nlohmann::ordered_json line;
  line["channel"] = name_;
  line["campaign"] = msg.campaign_id;
  line["to"] = msg.to.canonical();  // full address on purpose: this is the payload under review
  line["language"] = msg.language;
  line["body"] = msg.body;
  line["id"] = id;
  *out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out_->flush();
  if (!*out_) {
    throw SendError("channel '" + name_ + "': cannot write the dry run to " + destination_ +
                        " (disk full or output closed?)",
                    false);
  }
  ++sent_;
  spdlog::debug("channel '{}': wrote {} for campaign {} to {}", name_, id, msg.campaign_id, msg.to);
  return SendResult{id, "delivered"};
}

}  // namespace broadcaster::channels
