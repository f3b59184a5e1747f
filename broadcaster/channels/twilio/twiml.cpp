// TwiML writing (escaped <Message> elements) and reading (the <Message>
// texts of a reply) for messaging webhooks.
#include "channels/twilio/twiml.h"

#include "channels/inbound.h"

#include <charconv>
#include <cstdint>

namespace broadcaster::channels {

namespace {

constexpr std::string_view kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at the start of `s` (1..4), or 0 when
// it is not valid (bad lead, truncated, overlong, surrogate, > U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t min = 0;
  std::uint32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, min = 0x80, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, min = 0x800, cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, min = 0x10000, cp = lead & 0x07;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

// A character reference's code point, when XML allows it in content.
std::optional<std::uint32_t> reference_code_point(std::string_view digits, int base) {
  std::uint32_t cp = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, base);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
  if (!allowed) return std::nullopt;
  return cp;
}

// ---------------------------------------------------------------------------
// Reading: a scanner over tags, enough for messaging TwiML
// ---------------------------------------------------------------------------

struct Tag {
  std::string_view name;
  bool closing = false;       // </name>
  bool self_closing = false;  // <name/>
  std::size_t begin = 0;      // offset of '<'
  std::size_t end = 0;        // offset just past '>'
};

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':';
}

// The next element tag at or after `pos`, skipping comments, processing
// instructions, declarations and CDATA sections. nullopt at the end or on a
// tag that does not close.
std::optional<Tag> next_tag(std::string_view xml, std::size_t pos) {
  while (true) {
    const auto open = xml.find('<', pos);
    if (open == std::string_view::npos) return std::nullopt;
    const std::string_view rest = xml.substr(open);
    const auto skip_to = [&](std::string_view terminator) -> std::optional<std::size_t> {
      const auto close = xml.find(terminator, open);
      if (close == std::string_view::npos) return std::nullopt;
      return close + terminator.size();
    };
    std::optional<std::size_t> skipped;
    if (rest.starts_with("<!--")) {
      skipped = skip_to("-->");
    } else if (rest.starts_with("<![CDATA[")) {
      skipped = skip_to("]]>");
    } else if (rest.starts_with("<?")) {
      skipped = skip_to("?>");
    } else if (rest.starts_with("<!")) {
      skipped = skip_to(">");
    } else {
      Tag tag;
      tag.begin = open;
      std::size_t i = open + 1;
      if (i < xml.size() && xml[i] == '/') {
        tag.closing = true;
        ++i;
      }
      const std::size_t name_start = i;
      while (i < xml.size() && is_name_char(xml[i])) ++i;
      tag.name = xml.substr(name_start, i - name_start);
      // Attribute values may hold '>' only inside quotes.
      char quote = 0;
      for (; i < xml.size(); ++i) {
        const char c = xml[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (i >= xml.size()) return std::nullopt;
      tag.self_closing = !tag.closing && xml[i - 1] == '/';
      tag.end = i + 1;
      return tag;
    }
    if (!skipped) return std::nullopt;
    pos = *skipped;
  }
}

// Finds the tag closing the element opened by `open`, honouring nesting of
// the same name. nullopt when it never closes.
std::optional<Tag> closing_tag(std::string_view xml, const Tag& open);

// The character data directly between `begin` and `end` (not that of child
// elements), with CDATA sections taken literally, comments and processing
// instructions dropped and the rest unescaped.
std::string text_content(std::string_view xml, std::size_t begin, std::size_t end) {
  std::string out;
  std::size_t pos = begin;
  while (pos < end) {
    const std::size_t stop = std::min(xml.find('<', pos), end);
    out += xml_unescape(xml.substr(pos, stop - pos));
    if (stop >= end) break;
    const std::string_view rest = xml.substr(stop, end - stop);
    const auto skip_past = [&](std::string_view terminator, std::size_t skip_literal) {
      const auto close = xml.find(terminator, stop);
      if (close == std::string_view::npos || close >= end) return end;
      if (skip_literal > 0) out += xml.substr(stop + skip_literal, close - stop - skip_literal);
      return close + terminator.size();
    };
    if (rest.starts_with("<![CDATA[")) {
      pos = skip_past("]]>", 9);
    } else if (rest.starts_with("<!--")) {
      pos = skip_past("-->", 0);
    } else if (rest.starts_with("<?")) {
      pos = skip_past("?>", 0);
    } else {
      const auto child = next_tag(xml, stop);
      if (!child || child->begin != stop) break;
      pos = child->end;
      if (!child->closing && !child->self_closing) {
        const auto close = closing_tag(xml, *child);
        pos = close ? close->end : end;
      }
    }
  }
  return out;
}

std::optional<Tag> closing_tag(std::string_view xml, const Tag& open) {
  int depth = 1;
  std::size_t pos = open.end;
  while (auto tag = next_tag(xml, pos)) {
    pos = tag->end;
    if (tag->name != open.name || tag->self_closing) continue;
    depth += tag->closing ? -1 : 1;
    if (depth == 0) return tag;
  }
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (!text.empty()) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) {
      out += kReplacement;
      text.remove_prefix(1);
      continue;
    }
    if (length == 1) {
      const char c = text.front();
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\t':
        case '\n':
        case '\r':
          out += c;
          break;
        default:
          if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
          break;  // other C0 controls and DEL are not allowed / not wanted
      }
    } else {
      out.append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
  return out;
}

std::string twiml_response(const std::vector<std::string>& messages) {
  std::string body;
  for (const auto& message : messages) {
    if (message.empty()) continue;
    body += "<Message>";
    body += xml_escape(message);
    body += "</Message>";
  }
  std::string out(kDeclaration);
  out += body.empty() ? "<Response/>" : "<Response>" + body + "</Response>";
  return out;
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

std::string xml_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto amp = text.find('&', pos);
    if (amp == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, amp - pos));
    const auto semi = text.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) {
      out += '&';
      pos = amp + 1;
      continue;
    }
    const std::string_view entity = text.substr(amp + 1, semi - amp - 1);
    std::optional<std::uint32_t> cp;
    if (entity == "amp") {
      cp = '&';
    } else if (entity == "lt") {
      cp = '<';
    } else if (entity == "gt") {
      cp = '>';
    } else if (entity == "quot") {
      cp = '"';
    } else if (entity == "apos") {
      cp = '\'';
    } else if (entity.starts_with("#x") || entity.starts_with("#X")) {
      cp = reference_code_point(entity.substr(2), 16);
    } else if (entity.starts_with("#")) {
      cp = reference_code_point(entity.substr(1), 10);
    }
    if (cp) {
      append_utf8(out, *cp);
      pos = semi + 1;
    } else {
      out += '&';
      pos = amp + 1;
    }
  }
  return out;
}

std::optional<std::vector<std::string>> twiml_messages(std::string_view xml) {
  const auto root = next_tag(xml, 0);
  if (!root || root->closing || root->name != "Response") return std::nullopt;
  std::vector<std::string> out;
  if (root->self_closing) return out;
  const auto root_close = closing_tag(xml, *root);
  const std::size_t limit = root_close ? root_close->begin : xml.size();

  std::size_t pos = root->end;
  while (auto tag = next_tag(xml, pos)) {
    if (tag->begin >= limit) break;
    pos = tag->end;
    if (tag->closing || tag->name != "Message") continue;
    if (tag->self_closing) {
      out.emplace_back();
      continue;
    }
    const auto close = closing_tag(xml, *tag);
    const std::size_t end = close ? close->begin : limit;
    // <Message><Body>text</Body><Media>url</Media></Message> reads the Body.
    std::optional<std::string> body;
    std::size_t inner = tag->end;
    while (auto child = next_tag(xml, inner)) {
      if (child->begin >= end) break;
      inner = child->end;
      if (child->closing || child->name != "Body") continue;
      if (child->self_closing) {
        body = std::string();
        break;
      }
      const auto child_close = closing_tag(xml, *child);
      body = text_content(xml, child->end, child_close ? child_close->begin : end);
      break;
    }
    out.push_back(body ? std::move(*body) : text_content(xml, tag->end, end));
    pos = close ? close->end : limit;
  }
  return out;
}

}  // namespace broadcaster::channels
