// What an SMS body costs: its encoding (GSM-7 or UCS-2), its length in the
// units carriers bill, and how many segments it is split into; plus
// `smart_encode`, which swaps typographic look-alikes (curly quotes, dashes,
// ellipsis, odd spaces) for GSM-7 characters so one pasted quote does not
// turn a message into UCS-2 and double its cost.
//
// Rules (3GPP TS 23.038, formerly GSM 03.38; 3GPP TS 23.040 for concatenation):
// - GSM-7 when every character is in the basic table (1 septet each) or the
//   extension table `^ { } \ [ ~ ] | €` and form feed (2 septets each: ESC +
//   character). Otherwise UCS-2, counted in UTF-16 code units, where a
//   character outside the BMP (most emoji) takes 2 units.
// - One segment holds 160 septets or 70 units. A longer message is sent as
//   concatenated segments of 153 septets or 67 units (the rest is the UDH).
//   An escape pair or a surrogate pair is never split across two segments, so
//   segments are counted by greedy packing, not by division.
// - "Characters" are user-perceived characters (extended grapheme clusters,
//   ICU's character break iterator): "👨‍👩‍👧‍👦" is 1 character, 11 UTF-16 units.
#pragma once

#include "util/errors.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::templates {

/// Septets in a single (unconcatenated) GSM-7 message.
inline constexpr std::size_t kGsm7SingleSeptets = 160;
/// Septets per segment of a concatenated GSM-7 message.
inline constexpr std::size_t kGsm7SegmentSeptets = 153;
/// UTF-16 code units in a single (unconcatenated) UCS-2 message.
inline constexpr std::size_t kUcs2SingleUnits = 70;
/// UTF-16 code units per segment of a concatenated UCS-2 message.
inline constexpr std::size_t kUcs2SegmentUnits = 67;
/// At most this many entries are listed in `SmsInfo::non_gsm_characters`.
inline constexpr std::size_t kMaxNonGsmCharacters = 5;

/// The data coding a carrier will use for a message body.
enum class SmsEncoding {
  Gsm7,  ///< GSM 7-bit default alphabet (with its extension table).
  Ucs2,  ///< UCS-2 / UTF-16: any Unicode text, at less than half the length.
};

/// "GSM-7" or "UCS-2", the names carriers and Twilio's console use.
[[nodiscard]] std::string_view to_string(SmsEncoding encoding) noexcept;

/// What a message body costs to send.
struct SmsInfo {
  /// GSM-7 when every character has a GSM-7 form, else UCS-2.
  SmsEncoding encoding = SmsEncoding::Gsm7;
  /// User-perceived characters (grapheme clusters); what a person would count.
  std::size_t characters = 0;
  /// Septets for GSM-7 (extension characters count 2), UTF-16 code units for
  /// UCS-2 (characters outside the BMP count 2).
  std::size_t code_units = 0;
  /// Segments the carrier bills. 0 for an empty body, which providers refuse
  /// (Twilio error 21602), so callers must reject it before sending.
  std::size_t segments = 0;
  /// For UCS-2: the first distinct characters (grapheme clusters, UTF-8) that
  /// are not in GSM-7, in order of appearance, at most kMaxNonGsmCharacters,
  /// so staff can see why a message costs more. Empty for GSM-7.
  std::vector<std::string> non_gsm_characters;
};

/// Thrown when a message body is not valid UTF-8 (bad lead or continuation
/// byte, truncated sequence, overlong form, surrogate, or beyond U+10FFFF).
class InvalidUtf8Error : public Error {
 public:
  /// `byte_offset` is the 0-based offset of the first byte of the bad sequence.
  explicit InvalidUtf8Error(std::size_t byte_offset);
  /// 0-based offset of the first byte of the invalid sequence.
  std::size_t byte_offset() const noexcept { return byte_offset_; }

 private:
  std::size_t byte_offset_;
};

/// Throws InvalidUtf8Error at the first invalid sequence of `utf8`; returns
/// normally for valid UTF-8 (including the empty string).
void check_utf8(std::string_view utf8);

/// The code points of `utf8`. Throws InvalidUtf8Error.
[[nodiscard]] std::u32string code_points(std::string_view utf8);

/// Splits `utf8` into user-perceived characters (extended grapheme clusters,
/// per ICU), as views into `utf8`. Throws InvalidUtf8Error; throws Error if
/// ICU cannot create its break iterator (missing ICU data).
[[nodiscard]] std::vector<std::string_view> split_characters(std::string_view utf8);

/// Encoding, length and segment count of the message body `utf8`, exactly as
/// written (no look-alike replacement; see smart_encode). An empty body gives
/// GSM-7 with 0 characters, 0 units and 0 segments. Throws InvalidUtf8Error,
/// or Error if ICU fails.
[[nodiscard]] SmsInfo analyze_sms(std::string_view utf8);

/// Replaces typographic look-alikes with GSM-7 characters, but only when that
/// makes the whole message GSM-7; otherwise returns `utf8` unchanged (in UCS-2
/// a curly quote costs no more than a straight one, and "…" is cheaper than
/// "...", so there is nothing to gain by changing the text).
///
/// Replaced: ‘ ’ ‚ ‛ ′ ‵ ´ ` ‹ › -> '; “ ” „ ‟ ″ ‶ « » -> "; hyphen, non-breaking
/// hyphen, figure/en/em dash, horizontal bar, minus sign and bullet • -> -;
/// … -> "..."; no-break space, narrow no-break space, U+2000..U+200A spaces and
/// medium mathematical space -> space; zero-width space, word joiner, BOM and
/// soft hyphen are removed.
/// Never touched: letters and marks of any script (ñ, á, ç, ʼ, Vietnamese tone
/// marks, ...), joiners U+200C/U+200D (emoji and Indic scripts need them) and
/// fullwidth forms (they belong to CJK text, which is UCS-2 anyway).
/// Throws InvalidUtf8Error.
[[nodiscard]] std::string smart_encode(std::string_view utf8);

}  // namespace broadcaster::templates
