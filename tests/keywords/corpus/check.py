#!/usr/bin/env python3
"""Checks the labelled opt-out corpus (tests/keywords/corpus/<lang>.jsonl) and prints its counts.

The corpus measures how the keyword engine recognises opt-outs (issue 12); this script checks
only the data, not the engine: every file is JSON Lines, one object per line with exactly the
keys text/lang/expect/note, `lang` is the file's language, `expect` is one of the labels in
README.md, no text repeats within a file, no text looks like a real phone number, the minimum
row counts hold, and the rows quoted in issue 12 are present with their labels. It then prints
rows per language and label.

Usage: check.py [DIR]   (DIR defaults to the folder this script is in)
Exit status: 0 when the corpus is valid, 1 on any problem (each printed as file:line: message).
"""

import collections
import json
import pathlib
import re
import sys

kLanguages = ["en", "es", "zh", "vi", "tl", "hmn", "pa", "ar", "ko", "ru"]
kPlainLabels = {"stop", "review", "none", "join", "help", "topics"}
kKeys = {"text", "lang", "expect", "note"}
kMinRows = {"en": 95, "es": 95}  # every other language: kMinRowsOther
kMinRowsOther = 27
kMinRowsTotal = 460

# Rows quoted in issue 12, which must stay in the corpus verbatim with these labels.
kIssueRows = [
    ("en", "STOP. Thanks, Luis", "stop"),
    ("en", "Stop\nSent from Yahoo Mail on Android", "stop"),
    ("en", "STOP!! how did you get this number", "stop"),
    ("en", "stopp", "stop"),
    ("en", "unsubscirbe", "stop"),
    ("es", "Alto, ya no me interesa", "stop"),
    ("vi", "Xin đừng gửi nữa", "stop"),
    ("tl", "Ayaw ko na po", "stop"),
    ("ar", "أوقفوا الرسائل", "stop"),
    ("es", "quiero darme de baja", "stop"),
    ("es", "no me envíen más", "stop"),
    ("zh", "请不要再发信息给我", "stop"),
    ("pa", "ਬੰਦ ਕਰੋ", "stop"),
    ("en", "don't stop texting me about the clinics", "none"),
    ("en", "stop sending me messages in Spanish, English please", "language:en"),
]

# Ten digits written as a phone number (with or without separators): the corpus holds none.
kPhoneLike = re.compile(r"(?<!\d)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def valid_label(expect):
    """True when `expect` is a plain label or language:<one of the ten codes>."""
    if expect in kPlainLabels:
        return True
    prefix, _, code = expect.partition(":")
    return prefix == "language" and code in kLanguages


def check_file(path, lang, problems):
    """Reads one <lang>.jsonl file; appends problems; returns its rows as dicts."""
    rows = []
    seen = {}
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"{path}: not UTF-8 ({e})")
        return rows
    if content and not content.endswith("\n"):
        problems.append(f"{path}: last line does not end with a newline")
    lines = content.split("\n")
    if content.endswith("\n"):
        lines.pop()  # the empty string after the last newline
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}"
        if not line.strip():
            problems.append(f"{where}: blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: not JSON ({e})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        if set(row) != kKeys:
            problems.append(f"{where}: keys {sorted(row)}, want {sorted(kKeys)}")
            continue
        if not all(isinstance(row[k], str) for k in kKeys):
            problems.append(f"{where}: every value must be a string")
            continue
        if not row["text"].strip():
            problems.append(f"{where}: empty text")
        if not row["note"].strip():
            problems.append(f"{where}: empty note")
        if row["lang"] != lang:
            problems.append(f"{where}: lang '{row['lang']}' in {lang}.jsonl")
        if not valid_label(row["expect"]):
            problems.append(f"{where}: expect '{row['expect']}' is not a label")
        if row["text"] in seen:
            problems.append(f"{where}: same text as line {seen[row['text']]}")
        seen.setdefault(row["text"], number)
        if kPhoneLike.search(row["text"]):
            problems.append(f"{where}: text looks like it holds a phone number")
        rows.append(row)
    return rows


def main(argv):
    folder = pathlib.Path(argv[1]) if len(argv) > 1 else pathlib.Path(__file__).resolve().parent
    problems = []
    rows_by_lang = {}
    for lang in kLanguages:
        path = folder / f"{lang}.jsonl"
        if not path.is_file():
            problems.append(f"{path}: missing")
            rows_by_lang[lang] = []
            continue
        rows_by_lang[lang] = check_file(path, lang, problems)
    for extra in sorted(folder.glob("*.jsonl")):
        if extra.stem not in kLanguages:
            problems.append(f"{extra}: not one of the languages {', '.join(kLanguages)}")

    total = sum(len(rows) for rows in rows_by_lang.values())
    for lang, rows in rows_by_lang.items():
        want = kMinRows.get(lang, kMinRowsOther)
        if len(rows) < want:
            problems.append(f"{folder / (lang + '.jsonl')}: {len(rows)} rows, want at least {want}")
    if total < kMinRowsTotal:
        problems.append(f"{folder}: {total} rows in all, want at least {kMinRowsTotal}")

    for lang, text, expect in kIssueRows:
        labels = [r["expect"] for r in rows_by_lang.get(lang, []) if r["text"] == text]
        if labels != [expect]:
            problems.append(f"{folder / (lang + '.jsonl')}: issue row {text!r} must be there once as {expect}, "
                            f"found {labels}")

    # Counts: one line per language, columns stop / review / none / other actions.
    counts = {lang: collections.Counter(r["expect"] for r in rows) for lang, rows in rows_by_lang.items()}
    print(f"{'lang':5} {'rows':>5} {'stop':>5} {'review':>6} {'none':>5}  other actions")
    overall = collections.Counter()
    for lang in kLanguages:
        c = counts[lang]
        overall.update(c)
        other = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k not in ("stop", "review", "none"))
        print(f"{lang:5} {sum(c.values()):5} {c['stop']:5} {c['review']:6} {c['none']:5}  {other}")
    if total:
        print(f"{'all':5} {total:5} {overall['stop']:5} {overall['review']:6} {overall['none']:5}  "
              f"(stop {100 * overall['stop'] / total:.1f}%, review {100 * overall['review'] / total:.1f}%)")

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
