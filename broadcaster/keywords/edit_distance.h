// Typo tolerance for lone keywords: "stopp", "unsubscirbe" and "cancle" are
// the keyword a thumb meant. One edit (optimal string alignment distance:
// insert, delete, substitute, or swap two neighbouring letters) on Unicode
// code points, so a slip in Cyrillic or Vietnamese counts the same as in
// English.
#pragma once

#include <string_view>

namespace broadcaster::keywords {

/// Whether `a` and `b` (UTF-8) differ by at most one insertion, deletion,
/// substitution or transposition of adjacent code points. Equal strings are
/// within one edit. Invalid UTF-8 compares byte-wise.
bool within_one_edit(std::string_view a, std::string_view b);

/// Number of code points in `s` (UTF-8); bytes for invalid UTF-8.
std::size_t code_points(std::string_view s);

}  // namespace broadcaster::keywords
