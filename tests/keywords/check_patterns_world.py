#!/usr/bin/env python3
# Load-time checks of config/keywords.yaml for the zh, vi, tl, hmn, pa, ar, ko
# and ru sections, run by hand (python3 tests/keywords/check_patterns_world.py)
# until the engine's own loader enforces them: the file parses, every pattern
# follows the syntax of the issue-12 format (balanced ( ) [ ], {class} names
# defined in the same language and not used inside a class, at most 2000
# expansions), lone keywords do not take two meanings across languages once
# folded, and not_typos words are not keywords.
#
# Folding here approximates broadcaster/keywords/normalize.h (NFKC + case
# folding, marks dropped on Latin/Greek/Cyrillic/Arabic, đ -> d, tatweel
# dropped, Gurmukhi kept); it is a check of the data, not of the engine.
# Exits 1 and lists the problems when any check fails.
import sys
import unicodedata

import yaml

LANGS = ["zh", "vi", "tl", "hmn", "pa", "ar", "ko", "ru"]
PATTERN_KEYS = ["opt_out_phrases", "opt_out_probable", "opt_out_questions", "negations", "signatures"]
KEYWORD_KEYS = ["opt_out", "opt_in", "opt_in_exact", "help", "remove", "polite"]
MAX_EXPANSIONS = 2000
STRIP_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "ARABIC")


def fold(text):
    """Approximation of normalize(): case, accents, hamza seats, tatweel."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn":
            if base.split(" ")[0] in STRIP_SCRIPTS:
                continue
        else:
            base = unicodedata.name(ch, "")
        if ch == "\u0640":
            continue
        out.append({"đ": "d", "’": "'", "‘": "'"}.get(ch, ch))
    text = unicodedata.normalize("NFC", "".join(out))
    for sep in "-.,!?":
        text = text.replace(sep, " ")
    return " ".join(text.split())


class PatternError(Exception):
    pass


def parse(pattern, classes, in_class=False):
    """Returns the list of word sequences `pattern` stands for (strings)."""
    pos = 0

    def seq(stop_chars):
        # A sequence of items up to one of stop_chars (or the end).
        nonlocal pos
        results = [""]
        while pos < len(pattern) and pattern[pos] not in stop_chars:
            c = pattern[pos]
            if c in ")]}":
                raise PatternError(f"unbalanced '{c}' at {pos}")
            if c == " ":
                pos += 1
                results = [r + " " for r in results]
                continue
            if c in "([":
                close = ")" if c == "(" else "]"
                pos += 1
                alts = []
                while True:
                    alts.extend(seq("|" + close))
                    if pos >= len(pattern):
                        raise PatternError(f"'{c}' not closed")
                    if pattern[pos] == close:
                        pos += 1
                        break
                    pos += 1  # '|'
                if c == "[":
                    alts.append("")
                items = alts
            elif c == "{":
                end = pattern.find("}", pos)
                if end < 0:
                    raise PatternError("'{' not closed")
                name = pattern[pos + 1 : end]
                if in_class:
                    raise PatternError(f"class {{{name}}} used inside a class entry")
                if name not in classes:
                    raise PatternError(f"class {{{name}}} not defined in this language")
                pos = end + 1
                items = classes[name]
            else:
                start = pos
                while pos < len(pattern) and pattern[pos] not in " ()[]{}|":
                    pos += 1
                items = [pattern[start:pos]]
            results = [r + i for r in results for i in items]
            if len(results) > MAX_EXPANSIONS * 50:
                raise PatternError("far more than the expansion limit")
        return results

    out = seq("")
    if pos != len(pattern):
        raise PatternError(f"unexpected '{pattern[pos]}' at {pos}")
    return sorted({" ".join(r.split()) for r in out})


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "config/keywords.yaml"
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    problems = []
    languages = data["languages"]
    # folded keyword -> {(lang, key)} over every language, for the conflict check
    meanings = {}
    for code, lang in languages.items():
        for key in KEYWORD_KEYS:
            for word in lang.get(key) or []:
                kind = "opt_in" if key == "opt_in_exact" else key
                meanings.setdefault(fold(str(word)), set()).add((code, kind))
        for target, names in (lang.get("language_names") or {}).items():
            for word in names:
                meanings.setdefault(fold(str(word)), set()).add((code, "language:" + target))
        meanings.setdefault(fold(str(lang.get("name", code))), set()).add((code, "language:" + code))
    for tag, words in (data.get("topics") or {}).items():
        lists = words.values() if isinstance(words, dict) else [words]
        for word in (w for ws in lists for w in ws):
            meanings.setdefault(fold(str(word)), set()).add(("*", "topic:" + tag))
    for code in LANGS:
        lang = languages[code]
        classes = {}
        for name, entries in (lang.get("word_classes") or {}).items():
            expanded = []
            for entry in entries:
                try:
                    expanded.extend(parse(str(entry), {}, in_class=True))
                except PatternError as e:
                    problems.append(f"{code} word_classes.{name} {entry!r}: {e}")
            classes[name] = expanded
        total = 0
        for key in PATTERN_KEYS:
            for pattern in lang.get(key) or []:
                try:
                    n = len(parse(str(pattern), classes))
                except PatternError as e:
                    problems.append(f"{code} {key} {pattern!r}: {e}")
                    continue
                total += 1
                if n > MAX_EXPANSIONS:
                    problems.append(f"{code} {key} {pattern!r}: {n} expansions (> {MAX_EXPANSIONS})")
        for key in KEYWORD_KEYS:
            for word in lang.get(key) or []:
                kinds = {kind for _, kind in meanings[fold(str(word))]}
                if len(kinds) > 1:
                    problems.append(f"{code} {key} {word!r}: several meanings {sorted(meanings[fold(str(word))])}")
        for word in lang.get("not_typos") or []:
            if fold(str(word)) in meanings:
                problems.append(f"{code} not_typos {word!r} is also a keyword {sorted(meanings[fold(str(word))])}")
        print(f"{code}: {total} patterns, {len(classes)} word classes, "
              f"{len(lang.get('opt_out') or [])} opt_out keywords")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
