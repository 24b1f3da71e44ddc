#!/usr/bin/env python3
"""Fill a Qt Linguist .ts file from a JSON dictionary.

Usage:
    scripts/translate_ts.py [--ts translations/wsinspector_zh_CN.ts]
                            [--dict translations/zh_CN.json] [--check-only] [--force]

The dictionary maps the exact English source text to its translation:
    "&File": "文件(&F)"
A key "Context|source" (e.g. "wsi::Session|Open") takes precedence over the plain
source key, for the rare case where the same English needs two translations.
For numerus="yes" messages the value may be a string (used for every
<numerusform>) or a list with one entry per form.

For every message whose source is found, the <translation> text is set and
type="unfinished" is removed; messages that are not in the dictionary are left
untouched (still unfinished) and listed.  Before anything is written each
translation is checked against its source:
  * the same multiset of placeholders (%1..%99, %L1, %n),
  * the same HTML tags (<b>, <span ...>, <br>, ...),
  * a keyboard accelerator "&X" in the source needs one in the translation,
  * the same number of line breaks.
Any mismatch is printed and the script exits with status 2 without writing
(unless --force).  Exit status 1 means some messages are still missing.

The file is edited textually (message by message) so lupdate's layout, the
DOCTYPE and the location lines stay as they are; text is XML-escaped the way
lupdate does it (&amp; &lt; &gt; &quot; &apos;).
"""
import argparse
import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONTEXT_RE = re.compile(r"<context>.*?</context>", re.S)
NAME_RE = re.compile(r"<name>(.*?)</name>", re.S)
MESSAGE_RE = re.compile(r"<message\b[^>]*>.*?</message>", re.S)
TRANSLATION_RE = re.compile(r"<translation\b[^>]*?(?:/>|>.*?</translation>)", re.S)
PLACEHOLDER_RE = re.compile(r"%L?[1-9][0-9]?|%n")
TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
ACCEL_RE = re.compile(r"&([A-Za-z0-9])")


def xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def problems(source: str, translation: str) -> list:
    out = []
    ps, pt = Counter(PLACEHOLDER_RE.findall(source)), Counter(PLACEHOLDER_RE.findall(translation))
    if ps != pt:
        out.append("placeholders %s != %s" % (sorted(ps.elements()), sorted(pt.elements())))
    ts_, tt = Counter(TAG_RE.findall(source)), Counter(TAG_RE.findall(translation))
    if ts_ != tt:
        out.append("HTML tags %s != %s" % (sorted(ts_.elements()), sorted(tt.elements())))
    if ACCEL_RE.search(source.replace("&&", "")) and not ACCEL_RE.search(translation.replace("&&", "")):
        out.append("accelerator &X missing")
    if source.count("\n") != translation.count("\n"):
        out.append("line breaks %d != %d" % (source.count("\n"), translation.count("\n")))
    if not translation.strip() and source.strip():
        out.append("empty translation")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ts", default=str(ROOT / "translations/wsinspector_zh_CN.ts"))
    ap.add_argument("--dict", default=str(ROOT / "translations/zh_CN.json"))
    ap.add_argument("--check-only", action="store_true", help="check, do not write the .ts")
    ap.add_argument("--force", action="store_true", help="write even if checks fail")
    ap.add_argument("--prune", action="store_true",
                    help="remove dictionary entries no source string uses any more (the dictionary is rewritten)")
    args = ap.parse_args()

    ts_path = Path(args.ts)
    text = ts_path.read_text(encoding="utf-8")
    ET.fromstring(text.encode("utf-8"))  # fail early on a broken input file
    table = json.loads(Path(args.dict).read_text(encoding="utf-8"))

    used, missing, bad = set(), [], []
    counts = Counter()

    def fill_message(context: str, block: str) -> str:
        msg = ET.fromstring(block)
        source = msg.findtext("source") or ""
        numerus = msg.get("numerus") == "yes"
        counts["total"] += 1
        key = None
        for k in (context + "|" + source, source):
            if k in table:
                key = k
                break
        if key is None:
            missing.append((context, source))
            return block
        used.add(key)
        value = table[key]
        forms = value if isinstance(value, list) else [value]
        for f in forms:
            for p in problems(source, f):
                bad.append((context, source, f, p))
        counts["translated"] += 1
        if numerus:
            old = msg.find("translation")
            n = max(1, len(old.findall("numerusform")) if old is not None else 1)
            if not isinstance(value, list):
                forms = forms * n
            inner = "".join("\n            <numerusform>%s</numerusform>" % xml_escape(f) for f in forms)
            new = "<translation>%s\n        </translation>" % inner
        else:
            new = "<translation>%s</translation>" % xml_escape(forms[0])
        if TRANSLATION_RE.search(block):
            return TRANSLATION_RE.sub(lambda _m: new, block, count=1)
        return block.replace("</message>", "    " + new + "\n    </message>")

    def fill_context(m: re.Match) -> str:
        ctx = m.group(0)
        name = html.unescape(NAME_RE.search(ctx).group(1).strip())
        return MESSAGE_RE.sub(lambda mm: fill_message(name, mm.group(0)), ctx)

    result = CONTEXT_RE.sub(fill_context, text)
    ET.fromstring(result.encode("utf-8"))  # the output must still be well-formed XML

    for ctx, src, tr, p in bad:
        print("MISMATCH [%s] %r -> %r: %s" % (ctx, src, tr, p), file=sys.stderr)
    unused = sorted(set(table) - used)
    print("%d messages: %d translated, %d unfinished; %d dictionary entries unused"
          % (counts["total"], counts["translated"], len(missing), len(unused)))
    for ctx, src in missing:
        print("  missing [%s] %s" % (ctx, json.dumps(src, ensure_ascii=False)))
    for k in unused:
        print("  unused entry %s" % json.dumps(k, ensure_ascii=False))
    if bad and not args.force:
        print("%d check failure(s): %s not written." % (len(bad), ts_path), file=sys.stderr)
        return 2
    if args.prune and unused and not args.check_only:
        for k in unused:
            del table[k]
        Path(args.dict).write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print("pruned %d unused entries from %s" % (len(unused), args.dict))
    if not args.check_only and result != text:
        ts_path.write_text(result, encoding="utf-8")
        print("wrote %s" % ts_path)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
