// Reading config/keywords.yaml into a KeywordSet: strict keys, every keyword
// folded with normalize.h, and conflicts reported with both positions.
// Design: a Builder collects every keyword with where it was first seen
// (file:line:column and which list), so that a second, contradicting use
// ("SI" as opt-in in Spanish and as opt-out elsewhere) can name both places;
// the finished tables are then moved into the KeywordSet.
#include <algorithm>
#include <regex>
#include <utility>

#include "config/yaml_reader.h"
#include "keywords/edit_distance.h"
#include "keywords/keyword_set.h"
#include "keywords/normalize.h"
#include "keywords/phrase_pattern.h"
#include "util/excerpt.h"
#include "util/input_limits.h"

namespace broadcaster::keywords {

namespace {

using config::error_at;
using config::YamlMap;

/// "file:line:column" of `node` in `file`.
std::string position(const std::string& file, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// Lengths are checked before std::regex, which recurses once per character.
bool valid_language_code(const std::string& code) {
  if (code.size() > util::kMaxLanguageBytes) return false;
  static const std::regex pattern("[a-z]{2,3}(-[a-z0-9]{2,8})*");
  return std::regex_match(code, pattern);
}

bool valid_tag(const std::string& tag) {
  if (tag.size() > util::kMaxTagBytes) return false;
  static const std::regex pattern("[a-z0-9][a-z0-9_-]*");
  return std::regex_match(tag, pattern);
}

}  // namespace

class KeywordSet::Builder {
 public:
  explicit Builder(std::string file) : file_(std::move(file)) {}

  KeywordSet build(const YAML::Node& root) {
    YamlMap top(root, file_, "keywords file");
    const YAML::Node languages = top.node("languages");
    if (!languages.IsDefined() || languages.IsNull()) throw top.missing("languages", "section");
    if (!languages.IsMap() || languages.size() == 0) {
      throw error_at(file_, languages, "'languages' must map language codes to their keywords, like 'en: {...}'");
    }
    // Codes first, so language_names and topics can refer to any language.
    for (const auto& kv : languages) {
      const std::string code = kv.first.Scalar();
      if (!valid_language_code(code)) {
        throw error_at(file_, kv.first,
                       "language code '" + util::excerpt(code) + "' must be lower-case ISO 639 like 'es' or 'hmn'");
      }
      out_.native_names_[code];
    }
    for (const auto& kv : languages) read_language(kv.first, kv.second);
    if (top.has("topics")) read_topics(top.node("topics"));
    top.finish();
    finish_phrases();
    return std::move(out_);
  }

 private:
  /// Where a key was first configured, for conflict messages.
  struct Origin {
    std::string where;  ///< file:line:column
    std::string what;   ///< "an opt_out keyword of 'en'"
  };
  struct Entry {
    Action action = Action::None;
    std::string target;
    bool exact = false;
    std::set<std::string> languages;  ///< "" marks a language-neutral entry (codes)
    Origin origin;
  };
  struct PendingPhrase {
    YAML::Node node;
    std::string language;
    std::vector<std::string> words;
    Confidence strength = Confidence::Certain;
    std::string pattern;
  };

  // -------------------------------------------------------------------------
  // Sections
  // -------------------------------------------------------------------------

  void read_language(const YAML::Node& key, const YAML::Node& value) {
    const std::string code = key.Scalar();
    if (!value.IsMap()) {
      throw error_at(file_, value.IsNull() ? key : value,
                     "language '" + code + "' must be a mapping with name, opt_out, opt_in and help");
    }
    YamlMap lang(value, file_, "language '" + code + "'");
    const std::string name = lang.required<std::string>("name");
    if (normalize_checked(lang.node("name"), name).empty()) {
      throw lang.error("name", "name of language '" + code + "' has no letters");
    }
    out_.native_names_[code] = name;
    // The language's own name and its code both switch to it.
    add_keyword(lang.node("name"), name, Action::Language, code, code, "the name of language '" + code + "'");
    add_keyword(key, code, Action::Language, code, "", "the code of language '" + code + "'");

    const auto list_of = [&](const std::string& list_key, bool required) {
      return items(lang, list_key, "language '" + code + "'", required);
    };
    for (const auto& [node, text] : list_of("opt_out", true)) {
      add_keyword(node, text, Action::OptOut, "", code, "an opt_out keyword of '" + code + "'");
    }
    // Every language needs a way back in: opt_in, opt_in_exact or both.
    const auto opt_in = list_of("opt_in", false);
    const auto opt_in_exact = list_of("opt_in_exact", false);
    if (opt_in.empty() && opt_in_exact.empty()) throw lang.missing("opt_in", "list");
    for (const auto& [node, text] : opt_in) {
      add_keyword(node, text, Action::OptIn, "", code, "an opt_in keyword of '" + code + "'");
    }
    for (const auto& [node, text] : opt_in_exact) {
      add_keyword(node, text, Action::OptIn, "", code, "an opt_in_exact keyword of '" + code + "'", true);
    }
    for (const auto& [node, text] : list_of("help", true)) {
      add_keyword(node, text, Action::Help, "", code, "a help keyword of '" + code + "'");
    }
    const WordClasses classes = read_word_classes(lang, code);
    const auto patterns = [&](const std::string& list_key, auto&& add) {
      for (const auto& [node, text] : list_of(list_key, false)) {
        for (const std::string& spelled : expand(node, text, classes)) add(node, text, words_checked(node, spelled));
      }
    };
    const auto phrase_list = [&](const std::string& list_key, Confidence strength) {
      patterns(list_key, [&](const YAML::Node& node, const std::string& text, std::vector<std::string> w) {
        phrases_.push_back({node, code, std::move(w), strength, text});
      });
    };
    phrase_list("opt_out_phrases", Confidence::Certain);
    phrase_list("opt_out_probable", Confidence::Probable);
    phrase_list("opt_out_questions", Confidence::Possible);
    const auto sequences = [&](const std::string& list_key, WordSequences& into) {
      patterns(list_key,
               [&](const YAML::Node&, const std::string&, const std::vector<std::string>& w) { into.add(w); });
    };
    sequences("negations", out_.negations_);
    sequences("negations_after", out_.negations_after_);
    sequences("traps", out_.traps_);
    sequences("signatures", out_.signatures_);
    sequences("language_requests", out_.language_requests_);
    for (const auto& [node, text] : list_of("not_typos", false)) {
      const std::vector<std::string> w = words_checked(node, text);
      if (w.size() != 1) throw error_at(file_, node, "not_typos entry '" + util::excerpt(text) + "' must be one word");
      out_.not_typos_.insert(w.front());
    }
    for (const auto& [node, text] : list_of("polite", false)) {
      add_modifier(node, text, polite_, out_.polite_, "a polite word of '" + code + "'");
    }
    for (const auto& [node, text] : list_of("remove", false)) {
      add_modifier(node, text, remove_, out_.remove_, "a remove word of '" + code + "'");
    }
    if (lang.has("language_names")) {
      const YAML::Node names = lang.node("language_names");
      YamlMap targets(names, file_, "'language_names' of '" + code + "'");
      for (const auto& kv : names) {
        const std::string target = kv.first.Scalar();
        if (out_.native_names_.count(target) == 0) {
          throw error_at(file_, kv.first,
                         "unknown language '" + target + "' in language_names of '" + code +
                             "' (configured: " + configured() + ")");
        }
        for (const auto& [node, text] : items(targets, target, "language_names of '" + code + "'", true)) {
          add_keyword(node, text, Action::Language, target, code,
                      "a name of language '" + target + "' in '" + code + "'");
        }
      }
    }
    lang.finish();
  }

  /// topics: { tag: [WORD, ...] } for words shared by every language, or
  /// { tag: { es: [...], en: [...] } } per language.
  void read_topics(const YAML::Node& topics) {
    YamlMap map(topics, file_, "'topics'");
    for (const auto& kv : topics) {
      const std::string tag = kv.first.Scalar();
      if (!valid_tag(tag)) {
        throw error_at(file_, kv.first,
                       "topic tag '" + util::excerpt(tag) +
                           "' must be lower-case letters, digits, '-' or '_' (at most " +
                           std::to_string(util::kMaxTagBytes) + ")");
      }
      const YAML::Node value = map.node(tag);
      if (value.IsMap()) {
        YamlMap per_language(value, file_, "topic '" + tag + "'");
        for (const auto& lk : value) {
          const std::string code = lk.first.Scalar();
          if (out_.native_names_.count(code) == 0) {
            throw error_at(file_, lk.first,
                           "unknown language '" + code + "' in topic '" + tag + "' (configured: " + configured() + ")");
          }
          for (const auto& [node, text] : items(per_language, code, "topic '" + tag + "'", true)) {
            add_keyword(node, text, Action::Topics, tag, code, "a keyword of topic '" + tag + "' in '" + code + "'");
          }
        }
        per_language.finish();
      } else {
        for (const auto& [node, text] : items(map, tag, "'topics'", true)) {
          add_keyword(node, text, Action::Topics, tag, "", "a keyword of topic '" + tag + "'");
        }
      }
    }
    map.finish();
  }

  /// Phrases are checked once every keyword is known: a phrase equal to a
  /// keyword of another action would make the same text mean two things,
  /// and a one-word phrase in a spaced script would match that word inside
  /// any sentence ("stop" in "can you stop by"), which is what single
  /// keywords exist to prevent.
  void finish_phrases() {
    for (auto& p : phrases_) {
      const std::string text = join_words(p.words);
      const bool substring = written_without_spaces(text);
      // A one-word phrase matches that word inside any sentence: refused
      // when the whole pattern is one word (it belongs under opt_out) or the
      // word is a keyword ("stop" would match "can you stop by"); a rare
      // spelling among alternatives ("paunsubscribe") is fine.
      const bool plain_word = p.pattern.find_first_of(" ([{") == std::string::npos;
      if (p.words.size() == 1 && !substring && (plain_word || entries_.count(text) != 0)) {
        const std::string from = p.pattern == text ? "" : " (spelled by '" + util::excerpt(p.pattern) + "')";
        throw error_at(file_, p.node,
                       "opt-out phrase '" + text + "'" + from +
                           " is a single word: list it under opt_out instead (single keywords "
                           "match only a whole message, phrases match anywhere)");
      }
      if (const auto it = entries_.find(text); it != entries_.end() && it->second.action != Action::OptOut) {
        throw error_at(file_, p.node,
                       "opt-out phrase '" + text + "' of '" + p.language + "' is also " + it->second.origin.what +
                           " at " + it->second.origin.where);
      }
      Phrase phrase;
      phrase.strength = p.strength;
      phrase.text = text;
      phrase.language = p.language;
      phrase.pattern = p.pattern;
      if (substring) {
        std::string compact;
        for (const auto& w : p.words) compact += w;
        merge_into(substring_phrases_[compact], std::move(phrase));
      } else {
        out_.max_phrase_words_ = std::max(out_.max_phrase_words_, p.words.size());
        merge_into(spaced_phrases_[text], std::move(phrase));
      }
    }
    for (auto& [key, phrase] : spaced_phrases_) out_.phrases_.emplace(key, std::move(phrase));
    // Longer substrings first, so "不要再给我发" is reported rather than "不要再发".
    std::vector<std::pair<std::string, Phrase>> substrings(substring_phrases_.begin(), substring_phrases_.end());
    std::stable_sort(substrings.begin(), substrings.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    out_.substring_phrases_ = std::move(substrings);
    for (auto& [key, entry] : entries_) {
      Meaning m;
      m.action = entry.action;
      m.target = entry.target;
      m.exact = entry.exact;
      if (entry.languages.size() == 1) m.language = *entry.languages.begin();
      // Typos are looked for only for single words of spaced scripts long
      // enough that one slip still leaves them recognisable: "stopp", not
      // "and" for "end".
      if (entry.action == Action::OptOut && key.find(' ') == std::string::npos && !written_without_spaces(key) &&
          code_points(key) >= 4) {
        out_.typo_targets_.emplace_back(key, m.language);
      }
      if (written_without_spaces(key)) {
        std::string compact = key;
        compact.erase(std::remove(compact.begin(), compact.end(), ' '), compact.end());
        if (entry.action == Action::OptOut) out_.substring_opt_out_keywords_.push_back(compact);
        if (entry.action == Action::Language && key != entry.target) {
          out_.substring_language_names_.emplace_back(compact, entry.target);
        }
      }
      out_.keywords_.emplace(key, std::move(m));
    }
  }

  /// The same phrase twice (two languages, two patterns): the stronger
  /// reading wins, and a phrase of several languages has none.
  static void merge_into(Phrase& slot, Phrase phrase) {
    if (slot.text.empty()) {
      slot = std::move(phrase);
      return;
    }
    if (slot.language != phrase.language) slot.language.clear();
    if (static_cast<int>(phrase.strength) < static_cast<int>(slot.strength)) {
      slot.strength = phrase.strength;
      slot.pattern = phrase.pattern;
    }
  }

  /// word_classes: { name: [ENTRY, ...] } of one language.
  WordClasses read_word_classes(YamlMap& lang, const std::string& code) {
    WordClasses classes;
    if (!lang.has("word_classes")) return classes;
    const YAML::Node node = lang.node("word_classes");
    YamlMap map(node, file_, "'word_classes' of '" + code + "'");
    for (const auto& kv : node) {
      const std::string name = kv.first.Scalar();
      auto& entries = classes[name];
      for (const auto& [item, text] : items(map, name, "word class '" + name + "' of '" + code + "'", true)) {
        // Checked now, so a broken entry is reported where it is written.
        expand(item, text, {});
        entries.push_back(text);
      }
    }
    map.finish();
    return classes;
  }

  /// The texts pattern `text` (at `node`) spells; a pattern error points at
  /// its column in the file.
  std::vector<std::string> expand(const YAML::Node& node, const std::string& text, const WordClasses& classes) {
    try {
      return expand_pattern(text, classes);
    } catch (const PatternError& e) {
      const YAML::Mark m = node.Mark();
      if (m.is_null()) throw error_at(file_, node, "pattern '" + util::excerpt(text) + "': " + e.what());
      // Quoted scalars carry the non-specific tag "!": skip the quote.
      const int quote = node.Tag() == "!" ? 1 : 0;
      throw ConfigError(file_, m.line + 1, m.column + 1 + quote + static_cast<int>(e.offset()),
                        "pattern '" + util::excerpt(text) + "': " + e.what());
    }
  }

  // -------------------------------------------------------------------------
  // Keywords
  // -------------------------------------------------------------------------

  /// The items of list `key` in `map` with their nodes. A scalar counts as
  /// a one-item list; a present but empty list is an error (it is always a
  /// mistake, and an empty opt_out list would silently disable opt-outs).
  std::vector<std::pair<YAML::Node, std::string>> items(YamlMap& map, const std::string& key, const std::string& where,
                                                        bool required) {
    std::vector<std::pair<YAML::Node, std::string>> out;
    const YAML::Node list = map.node(key);
    if (!list.IsDefined() || list.IsNull()) {
      if (required) throw map.missing(key, "list");
      return out;
    }
    if (list.IsScalar()) {
      out.emplace_back(list, list.Scalar());
      return out;
    }
    if (!list.IsSequence()) {
      throw error_at(file_, list, "'" + key + "' of " + where + " must be a list, like [STOP, END]");
    }
    if (list.size() == 0) {
      throw error_at(file_, list, "'" + key + "' of " + where + " is empty: list at least one entry or remove it");
    }
    for (const auto& item : list) {
      out.emplace_back(item, config::scalar_as<std::string>(file_, item, key));
    }
    return out;
  }

  std::vector<std::string> words_checked(const YAML::Node& node, const std::string& text) {
    std::vector<std::string> folded;
    try {
      folded = words(text);
    } catch (const InvalidText& e) {
      throw error_at(file_, node, std::string("'") + util::excerpt(text) + "': " + e.what());
    }
    if (folded.empty()) {
      throw error_at(file_, node, "'" + util::excerpt(text) + "' has no letters or digits to match");
    }
    return folded;
  }

  std::string normalize_checked(const YAML::Node& node, const std::string& text) {
    try {
      return normalize(text);
    } catch (const InvalidText& e) {
      throw error_at(file_, node, std::string("'") + util::excerpt(text) + "': " + e.what());
    }
  }

  static std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
      if (!out.empty()) out += ' ';
      out += w;
    }
    return out;
  }

  void note_length(std::size_t words) { out_.max_words_ = std::max(out_.max_words_, words); }

  /// Adds a keyword; the same folded key may appear again (in another
  /// language, or as another spelling that folds the same) only with the
  /// same action and target.
  void add_keyword(const YAML::Node& node, const std::string& text, Action action, const std::string& target,
                   const std::string& language, std::string what, bool exact = false) {
    const std::vector<std::string> folded = words_checked(node, text);
    const std::string key = join_words(folded);
    note_length(folded.size());
    if (const auto it = polite_.find(key); it != polite_.end()) conflict(node, key, what, it->second);
    if (const auto it = remove_.find(key); it != remove_.end() && action != Action::OptOut) {
      conflict(node, key, what, it->second);
    }
    auto [it, inserted] = entries_.try_emplace(key);
    Entry& e = it->second;
    if (inserted) {
      e.action = action;
      e.target = target;
      e.exact = exact;
      e.origin = {position(file_, node), std::move(what)};
    } else if (e.action != action || e.target != target || e.exact != exact) {
      conflict(node, key, what, e.origin);
    }
    e.languages.insert(language);
  }

  /// Polite and remove words live outside the keyword table; a polite word
  /// may not be anything else, a remove word may double as an opt-out
  /// keyword (REMOVE alone stops, REMOVE FRESNO drops a topic).
  void add_modifier(const YAML::Node& node, const std::string& text, std::map<std::string, Origin>& origins,
                    std::set<std::string>& table, std::string what) {
    const std::vector<std::string> folded = words_checked(node, text);
    const std::string key = join_words(folded);
    note_length(folded.size());
    const bool is_polite = &origins == &polite_;
    if (const auto it = entries_.find(key);
        it != entries_.end() && (is_polite || it->second.action != Action::OptOut)) {
      conflict(node, key, what, it->second.origin);
    }
    auto& other = is_polite ? remove_ : polite_;
    if (const auto it = other.find(key); it != other.end()) conflict(node, key, what, it->second);
    origins.try_emplace(key, Origin{position(file_, node), std::move(what)});
    table.insert(key);
  }

  [[noreturn]] void conflict(const YAML::Node& node, const std::string& key, const std::string& what,
                             const Origin& first) const {
    throw error_at(file_, node,
                   "'" + util::excerpt(key) + "' is " + what + " here but " + first.what + " at " + first.where +
                       ": one text cannot mean both");
  }

  std::string configured() const {
    std::string out;
    for (const auto& [code, name] : out_.native_names_) {
      if (!out.empty()) out += ", ";
      out += code;
    }
    return out;
  }

  std::string file_;
  KeywordSet out_;
  std::map<std::string, Entry> entries_;
  std::map<std::string, Origin> polite_;
  std::map<std::string, Origin> remove_;
  std::vector<PendingPhrase> phrases_;
  std::map<std::string, Phrase> spaced_phrases_;     ///< words joined by ' ' -> phrase
  std::map<std::string, Phrase> substring_phrases_;  ///< compact text -> phrase
};

KeywordSet KeywordSet::load(const std::filesystem::path& path) {
  const std::string file = path.string();
  return Builder(file).build(config::load_yaml_file(file));
}

KeywordSet KeywordSet::parse(std::string_view yaml, const std::string& file) {
  return Builder(file).build(config::parse_yaml(yaml, file));
}

}  // namespace broadcaster::keywords
