// What a subscriber's language, tags and stored texts may be.
// A tag becomes part of a Redis key name (store/keys.h tag_index) and is
// stored comma-separated in the subscriber hash, and every value is shown to
// staff later, so each is checked here, once, for every way in: CSV import,
// `subscribers add`, campaign audiences and the store itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::store {

/// Why `code` is not a lower-case language code like "es", "hmn" or
/// "zh-hant" ([a-z]{2,3}(-[a-z0-9]{2,8})*, at most kMaxLanguageBytes);
/// nullopt when it is one. The message does not quote the value.
[[nodiscard]] std::optional<std::string> language_problem(std::string_view code);

/// Why `tag` cannot be stored: empty, longer than kMaxTagBytes, not valid
/// UTF-8 (with the byte offset), or holding a control character or ','
/// (the separator of the stored tag list). nullopt when it can. The message
/// does not quote the value.
[[nodiscard]] std::optional<std::string> tag_problem(std::string_view tag);

/// Why `tags` cannot be stored: more than kMaxTagsPerSubscriber of them, or
/// the first tag_problem, quoting that tag as an excerpt. nullopt when fine.
[[nodiscard]] std::optional<std::string> tags_problem(const std::vector<std::string>& tags);

/// Why free text kept with a subscriber (consent_source, consent_at) cannot
/// be stored: longer than kMaxStoredTextBytes, not valid UTF-8, or holding a
/// control character. nullopt when it can.
[[nodiscard]] std::optional<std::string> stored_text_problem(std::string_view text);

}  // namespace broadcaster::store
