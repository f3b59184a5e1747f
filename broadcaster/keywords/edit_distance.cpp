// One-edit comparison on code points (see edit_distance.h): both strings are
// decoded, then walked once from each end; what differs in the middle must
// be one inserted, deleted, substituted or swapped code point.
#include "keywords/edit_distance.h"

#include <unicode/utf8.h>

#include <vector>

namespace broadcaster::keywords {

namespace {

std::vector<UChar32> decode(std::string_view s) {
  std::vector<UChar32> out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c);  // U_SENTINEL (-1) for a bad byte: compares equal only to itself
  }
  return out;
}

}  // namespace

std::size_t code_points(std::string_view s) { return decode(s).size(); }

bool within_one_edit(std::string_view a_text, std::string_view b_text) {
  const std::vector<UChar32> a = decode(a_text);
  const std::vector<UChar32> b = decode(b_text);
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  if ((la > lb ? la - lb : lb - la) > 1) return false;
  std::size_t head = 0;
  while (head < la && head < lb && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < la - head && tail < lb - head && a[la - 1 - tail] == b[lb - 1 - tail]) ++tail;
  const std::size_t rest_a = la - head - tail;
  const std::size_t rest_b = lb - head - tail;
  if (rest_a <= 1 && rest_b <= 1) return true;  // equal, one insert/delete, or one substitution
  // A swap of two neighbours: "ir" for "ri".
  return rest_a == 2 && rest_b == 2 && a[head] == b[head + 1] && a[head + 1] == b[head];
}

}  // namespace broadcaster::keywords
