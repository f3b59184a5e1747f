// TwiML for Programmable Messaging, the XML a webhook answers Twilio with:
//   <?xml version="1.0" encoding="UTF-8"?><Response><Message>text</Message></Response>
// makes Twilio send "text" back to the sender; <Response/> sends nothing.
// Writing is what `broadcaster serve` needs; reading the <Message> texts back
// is what the simulator needs when it plays a subscriber (simulator/text_in.h).
// Design: string building and a small scanner, no XML library. The reader
// understands the subset Twilio documents for messaging replies: <Message>
// with text content or with a <Body> child (other children such as <Media>
// ignored), the five predefined entities, numeric character references and
// CDATA sections. It is not a validating parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::channels {

/// Escapes `text` for XML character data and attribute values: & < > " '
/// become entities. Keeps UTF-8 as is; replaces bytes that are not valid
/// UTF-8 with U+FFFD and drops control characters XML 1.0 forbids (all
/// below U+0020 except tab, newline and carriage return).
std::string xml_escape(std::string_view text);

/// A TwiML document replying with one <Message> per element of `messages`,
/// in order; empty messages are left out, and with none left the document
/// is an empty <Response/>.
std::string twiml_response(const std::vector<std::string>& messages);

/// The text of each <Message> of a TwiML document, XML-unescaped, in
/// document order (for a <Message> with a <Body> child, the Body's text).
/// Returns nullopt when `xml` has no <Response> root element (for example
/// an HTML error page); a <Response/> without messages gives an empty list.
std::optional<std::vector<std::string>> twiml_messages(std::string_view xml);

/// Replaces the predefined XML entities and numeric character references
/// (&#233; &#xE9;) in `text`; leaves anything else, including unknown
/// entities, unchanged.
std::string xml_unescape(std::string_view text);

}  // namespace broadcaster::channels
