// Size and nesting limits for everything read from outside: CSV files,
// command-line arguments, YAML files, templates and webhook fields.
// Design: one owner per limit. Each limit is checked before the expensive
// work it protects (libphonenumber, std::regex, ICU, Redis key names), so no
// input makes a command hang, crash or store garbage. The values are
// generous for real data: a limit that a real subscriber list or campaign
// meets is a bug.
#pragma once

#include <cstddef>

namespace broadcaster::util {

/// Characters in a phone number as typed ("+1 (559) 555-0142 ext. 1234" is
/// 27). libphonenumber's parse is slow on long text, so longer input is
/// refused before it is parsed.
inline constexpr std::size_t kMaxPhoneChars = 32;

/// Bytes in an email address: RFC 5321's limit on a forward path (254,
/// without the angle brackets).
inline constexpr std::size_t kMaxEmailBytes = 254;

/// Bytes in one tag (a county or topic); a tag becomes part of a Redis key.
inline constexpr std::size_t kMaxTagBytes = 64;

/// Tags one subscriber may carry (each is a Redis set key).
inline constexpr std::size_t kMaxTagsPerSubscriber = 64;

/// Bytes in a language code ("es", "zh-hant", "sr-latn-rs"); BCP 47 tags in
/// practice stay under 35.
inline constexpr std::size_t kMaxLanguageBytes = 35;

/// Bytes in an identifier: campaign ids, template and channel names,
/// provider message ids, and every key of a YAML mapping (keys name
/// channels, variables and languages, which error messages quote).
inline constexpr std::size_t kMaxIdBytes = 128;

/// Bytes of free text stored with a subscriber (consent_source, consent_at).
inline constexpr std::size_t kMaxStoredTextBytes = 1024;

/// Bytes in one physical line of a CSV file, and in one CSV record (a
/// quoted field may span lines; the whole record is bounded by this too).
inline constexpr std::size_t kMaxCsvLineBytes = 64 * 1024;

/// Bytes of a whole YAML file (configuration, campaign, keywords).
inline constexpr std::size_t kMaxYamlFileBytes = 1024 * 1024;

/// Bytes of one YAML scalar (a value or a key).
inline constexpr std::size_t kMaxYamlScalarBytes = 64 * 1024;

/// Nesting of YAML mappings and lists; real files use fewer than 10.
inline constexpr std::size_t kMaxYamlDepth = 64;

/// Bytes of one template file (one language variant of one message).
inline constexpr std::size_t kMaxTemplateBytes = 64 * 1024;

/// Nesting of plural/select/choice inside a template: a select inside a
/// plural is 2. ICU parses and formats nested messages recursively.
inline constexpr std::size_t kMaxTemplateNesting = 16;

/// Bytes of an offending value quoted in an error message (see excerpt.h).
inline constexpr std::size_t kMaxExcerptBytes = 40;

}  // namespace broadcaster::util
