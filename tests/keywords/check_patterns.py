#!/usr/bin/env python3
"""Checks the opt-out patterns of config/keywords.yaml against the pattern syntax.

Why: the keyword engine (broadcaster/keywords/) refuses to load a file whose
patterns are malformed or too large, and a pattern that silently means
something else (an undefined class, a word the text folding would split, a
one-word phrase that fires inside any sentence) is worse. This script reads
the file the way the format in the issue-12 spec describes and prints, per
language and per list, how many patterns and word sequences there are, then
every problem it found. It exits 1 when there is a problem, 0 otherwise.

Pattern syntax (spec "Pattern syntax"):
  words separated by spaces; (a|b c) one alternative; [x] or [x|y] optional;
  {name} any entry of the language's word_classes (entries may use ( | ) [ ]
  but not {classes}); one pattern expands to at most 2000 word sequences.

It also reports, as warnings (they do not fail the run):
  - sequences of a certain/probable list that sit inside a question sequence
    ("darme de baja" inside "cómo puedo darme de baja"): the engine must let
    the question win there, or the question is never "possible";
  - with --suggest-typos WORDLIST: real words one edit away from an opt_out
    keyword of at least 4 letters that are not in not_typos (to review).

Usage: tests/keywords/check_patterns.py [config/keywords.yaml] [--lang en,es]
                                        [--suggest-typos /usr/share/dict/words]
"""

import argparse
import sys
import unicodedata

import yaml

kMaxSequences = 2000
kPatternLists = ("opt_out_phrases", "opt_out_probable", "opt_out_questions", "negations", "signatures")
kPlainLists = ("opt_out", "polite", "not_typos")
kStopLists = ("opt_out_phrases", "opt_out_probable")
kSyntax = set("()[]{}|")


class PatternError(Exception):
    """A pattern that does not follow the syntax; the message says where."""


def fold(word):
    """Case-folds and strips Latin accents, as normalize.h does (roughly)."""
    word = word.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_problem(word):
    """Why the engine's words() would not keep `word` as one word, or None."""
    for c in word:
        if c == "'":
            continue
        cat = unicodedata.category(c)
        if cat[0] not in ("L", "M", "N"):
            return f"character {c!r} would split or be dropped by the text folding"
    if word.startswith("'") or word.endswith("'"):
        return "apostrophe at the end of a word is dropped by the text folding"
    return None


def tokenize(pattern):
    """Splits a pattern into words and the syntax characters ( ) [ ] | {name}."""
    tokens = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c.isspace():
            i += 1
        elif c == "{":
            end = pattern.find("}", i)
            if end < 0:
                raise PatternError(f"unclosed '{{' at column {i + 1}")
            name = pattern[i + 1 : end].strip()
            if not name or any(ch in kSyntax or ch.isspace() for ch in name):
                raise PatternError(f"bad class name {pattern[i:end + 1]!r}")
            tokens.append(("class", name))
            i = end + 1
        elif c == "}":
            raise PatternError(f"'}}' without '{{' at column {i + 1}")
        elif c in "()[]|":
            tokens.append((c, c))
            i += 1
        else:
            j = i
            while j < len(pattern) and not pattern[j].isspace() and pattern[j] not in kSyntax:
                j += 1
            tokens.append(("word", pattern[i:j]))
            i = j
    return tokens


class Expander:
    """Expands one pattern into its word sequences (tuples of folded words)."""

    def __init__(self, classes, allow_classes):
        self.classes = classes
        self.allow_classes = allow_classes

    def expand(self, pattern):
        self.tokens = tokenize(pattern)
        self.pos = 0
        result = self.alternatives(closer=None)
        if self.pos != len(self.tokens):
            raise PatternError(f"unexpected {self.tokens[self.pos][1]!r}")
        return result

    def alternatives(self, closer):
        options = [self.sequence()]
        while self.pos < len(self.tokens) and self.tokens[self.pos][0] == "|":
            self.pos += 1
            options.append(self.sequence())
        if closer is None:
            if len(options) > 1:
                raise PatternError("'|' outside ( ) or [ ]")
        else:
            if self.pos >= len(self.tokens) or self.tokens[self.pos][0] != closer:
                raise PatternError(f"missing {closer!r}")
            self.pos += 1
        out = []
        for option in options:
            out.extend(option)
        return out

    def sequence(self):
        seqs = [()]
        while self.pos < len(self.tokens):
            kind, value = self.tokens[self.pos]
            if kind in ("|", ")", "]"):
                break
            self.pos += 1
            if kind == "word":
                problem = word_problem(value)
                if problem:
                    raise PatternError(f"word {value!r}: {problem}")
                part = [(fold(value),)]
            elif kind == "(":
                part = self.alternatives(")")
                if any(len(p) == 0 for p in part):
                    raise PatternError("empty alternative inside ( ); use [ ] for optional")
            elif kind == "[":
                part = [()] + self.alternatives("]")
            else:  # class
                if not self.allow_classes:
                    raise PatternError(f"class {{{value}}} inside a word class entry")
                if value not in self.classes:
                    raise PatternError(f"class {{{value}}} is not defined in this language")
                part = self.classes[value]
            seqs = [a + b for a in seqs for b in part]
            if len(seqs) > kMaxSequences * 50:
                raise PatternError("expansion explodes (far over the limit)")
        return seqs


kNoSpaceScripts = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


def written_without_spaces(text):
    """Whether `text` has a letter of a script written without spaces (normalize.h)."""
    for c in text:
        name = unicodedata.name(c, "")
        if name.startswith(kNoSpaceScripts):
            return True
    return False


def contains_run(haystack, needle):
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def one_edit_neighbours(word, alphabet):
    """Every string one insert, delete, substitute or neighbour swap away."""
    out = set()
    for i in range(len(word) + 1):
        for c in alphabet:
            out.add(word[:i] + c + word[i:])
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1 :])
        for c in alphabet:
            out.add(word[:i] + c + word[i + 1 :])
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    out.discard(word)
    return out


def check_language(code, lang, problems, warnings, typo_words):
    def problem(where, message):
        problems.append(f"{code}.{where}: {message}")

    classes = {}
    raw_classes = lang.get("word_classes") or {}
    if not isinstance(raw_classes, dict):
        problem("word_classes", "must be a mapping name: [entries]")
        raw_classes = {}
    entry_expander = Expander({}, allow_classes=False)
    for name, entries in raw_classes.items():
        if not isinstance(entries, list) or not entries:
            problem(f"word_classes.{name}", "must be a non-empty list")
            continue
        seqs = []
        for entry in entries:
            try:
                seqs.extend(entry_expander.expand(str(entry)))
            except PatternError as e:
                problem(f"word_classes.{name}", f"{entry!r}: {e}")
        if any(len(s) == 0 for s in seqs):
            problem(f"word_classes.{name}", "an entry can be empty (all optional)")
        classes[name] = sorted(set(seqs))
        print(f"  {code} {{{name}}}: {len(entries)} entries, {len(classes[name])} sequences")

    for key in kPlainLists:
        for item in lang.get(key) or []:
            text = str(item)
            if kSyntax & set(text):
                problem(key, f"{text!r} has pattern syntax; {key} is a plain list")
            for w in text.split():
                why = word_problem(w)
                if why:
                    problem(key, f"{text!r}: word {w!r}: {why}")

    expander = Expander(classes, allow_classes=True)
    expanded = {}
    for key in kPatternLists:
        patterns = lang.get(key) or []
        if not isinstance(patterns, list):
            problem(key, "must be a list of patterns")
            continue
        total = 0
        seqs_for_key = []
        for pattern in patterns:
            try:
                seqs = expander.expand(str(pattern))
            except PatternError as e:
                problem(key, f"{pattern!r}: {e}")
                continue
            if len(seqs) > kMaxSequences:
                problem(key, f"{pattern!r}: expands to {len(seqs)} sequences (limit {kMaxSequences})")
            if any(len(s) == 0 for s in seqs):
                problem(key, f"{pattern!r}: can match the empty text")
            if key in ("opt_out_phrases", "opt_out_probable", "opt_out_questions"):
                single = sorted({s[0] for s in seqs if len(s) == 1 and not written_without_spaces(s[0])})
                if single:
                    problem(key, f"{pattern!r}: one-word sequences {single[:5]} (a phrase needs two words)")
            total += len(seqs)
            seqs_for_key.extend((pattern, s) for s in seqs)
        expanded[key] = seqs_for_key
        print(f"  {code} {key}: {len(patterns)} patterns, {total} sequences")

    # A question must not be swallowed by a certain/probable phrase inside it.
    stop_seqs = {}
    for key in kStopLists:
        for spattern, s in expanded.get(key, []):
            stop_seqs.setdefault(s, (key, spattern))
    overlaps = 0
    reported = set()
    for qpattern, q in expanded.get("opt_out_questions", []):
        for i in range(len(q)):
            for j in range(i + 1, len(q) + 1):
                hit = stop_seqs.get(q[i:j])
                if not hit:
                    continue
                overlaps += 1
                pair = (qpattern, hit[1])
                if pair in reported:
                    continue
                reported.add(pair)
                warnings.append(
                    f"{code}: question {' '.join(q)!r} ({qpattern!r}) contains {hit[0]} "
                    f"{' '.join(q[i:j])!r} ({hit[1]!r})"
                )
    if overlaps:
        warnings.append(f"{code}: {overlaps} question sequences contain a certain/probable sequence")

    # The same sequence in two confidence lists is contradictory data.
    seen = {}
    for key in ("opt_out_phrases", "opt_out_probable", "opt_out_questions"):
        for pattern, s in expanded.get(key, []):
            other = seen.get(s)
            if other and other[0] != key:
                problem(key, f"{' '.join(s)!r} ({pattern!r}) is also in {other[0]} ({other[1]!r})")
            seen.setdefault(s, (key, pattern))

    if typo_words is not None:
        not_typos = {fold(w) for w in lang.get("not_typos") or []}
        configured = set()
        for key in ("opt_out", "opt_in", "opt_in_exact", "help", "remove", "polite"):
            configured |= {fold(str(w)) for w in lang.get(key) or []}
        alphabet = set("abcdefghijklmnopqrstuvwxyz")
        for keyword in lang.get("opt_out") or []:
            k = fold(str(keyword))
            if " " in k or len(k) < 4:
                continue
            near = sorted(n for n in one_edit_neighbours(k, alphabet) if n in typo_words)
            missing = [n for n in near if n not in not_typos and n not in configured]
            if missing:
                warnings.append(f"{code}: real words one edit from {k!r} not in not_typos: {missing}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default="config/keywords.yaml")
    parser.add_argument("--lang", help="comma-separated language codes (default: all)")
    parser.add_argument("--suggest-typos", metavar="WORDLIST", help="a word list, one word a line")
    args = parser.parse_args()

    with open(args.file, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    languages = (data or {}).get("languages") or {}
    wanted = args.lang.split(",") if args.lang else list(languages)

    typo_words = None
    if args.suggest_typos:
        with open(args.suggest_typos, encoding="utf-8", errors="replace") as f:
            typo_words = {fold(line.strip()) for line in f if line.strip() and "'" not in line}

    problems, warnings = [], []
    for code in wanted:
        if code not in languages:
            problems.append(f"{code}: no such language in {args.file}")
            continue
        print(f"{code}:")
        check_language(code, languages[code] or {}, problems, warnings, typo_words)

    for w in warnings:
        print(f"warning: {w}")
    for p in problems:
        print(f"problem: {p}")
    print(f"{len(problems)} problem(s), {len(warnings)} warning(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
