// Checks of subscriber languages, tags and stored texts.
#include "store/subscriber_fields.h"

#include <algorithm>

#include "util/excerpt.h"
#include "util/input_limits.h"
#include "util/utf8.h"

namespace broadcaster::store {

namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_lower_or_digit(char c) { return is_lower(c) || (c >= '0' && c <= '9'); }

// Invalid UTF-8 or a control character in `text`, described; nullopt if none.
std::optional<std::string> text_problem(std::string_view text) {
  if (const auto bad = util::first_invalid_utf8(text)) return util::invalid_utf8_message(text, *bad);
  const auto control =
      std::find_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
  if (control != text.end()) {
    return "holds a control character at byte offset " + std::to_string(control - text.begin());
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> language_problem(std::string_view code) {
  const std::string hint = "is not a language code (such as es, en, hmn)";
  if (code.empty() || code.size() > util::kMaxLanguageBytes) return hint;
  // [a-z]{2,3}(-[a-z0-9]{2,8})*, by hand: std::regex recurses per character.
  std::size_t i = 0;
  while (i < code.size() && is_lower(code[i])) ++i;
  if (i < 2 || i > 3) return hint;
  while (i < code.size()) {
    if (code[i] != '-') return hint;
    const std::size_t start = ++i;
    while (i < code.size() && is_lower_or_digit(code[i])) ++i;
    if (i - start < 2 || i - start > 8) return hint;
  }
  return std::nullopt;
}

std::optional<std::string> tag_problem(std::string_view tag) {
  if (tag.empty()) return "is empty";
  if (tag.size() > util::kMaxTagBytes) {
    return "is " + std::to_string(tag.size()) + " bytes long; a tag has at most " + std::to_string(util::kMaxTagBytes);
  }
  if (auto problem = text_problem(tag)) return problem;
  if (tag.find(',') != std::string_view::npos) return "holds a ',' (separate tags with ';' or '|')";
  return std::nullopt;
}

std::optional<std::string> tags_problem(const std::vector<std::string>& tags) {
  if (tags.size() > util::kMaxTagsPerSubscriber) {
    return std::to_string(tags.size()) + " tags; a subscriber has at most " +
           std::to_string(util::kMaxTagsPerSubscriber);
  }
  for (const auto& tag : tags) {
    if (auto problem = tag_problem(tag)) return "tag '" + util::excerpt(tag) + "' " + *problem;
  }
  return std::nullopt;
}

std::optional<std::string> stored_text_problem(std::string_view text) {
  if (text.size() > util::kMaxStoredTextBytes) {
    return "is " + std::to_string(text.size()) + " bytes long; at most " + std::to_string(util::kMaxStoredTextBytes);
  }
  return text_problem(text);
}

}  // namespace broadcaster::store
