"""Summarise benches/.work/corpus/generate.tsv (written by benches/corpus-generate.sh) as
markdown: outcomes, refusals grouped by the generator's reason, crashes, timeouts and
generated modules that do not parse."""
import collections
import re
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
rows = [r + [""] * (7 - len(r)) for r in rows]


def short(path):
    return path.split("/api/", 1)[-1] if "/package/api/" in path else path


def reason(msg):
    """The refusal reason without its location and the names in backticks."""
    msg = re.sub(r"^.+?:\d+:\d+: ", "", msg)
    msg = re.sub(r"^error(\[[^\]]*\])?: ", "", msg)
    msg = re.sub(r"`[^`]*`", "`…`", msg)
    msg = re.sub(r"\b(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) \S+", "METHOD /path", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg.strip()


ok = [r for r in rows if r[0] == "0"]
parsed = [r for r in ok if r[3] == "ok"]
unparsable = [r for r in ok if r[3] != "ok"]
refused = [r for r in rows if r[0] == "2"]
timeouts = [r for r in rows if r[0] == "124"]
crashes = [r for r in rows if r[0] not in ("0", "2", "124")]
times = sorted(int(r[1]) for r in rows)
pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] if times else 0

print("# Corpus generation sweep\n")
print("Command: `benches/corpus-generate.sh` (`specguard generate --allow-unauthenticated` on")
print("every corpus document, then `syn::parse_file` on the generated `src/api.rs`).\n")
print(f"- documents: {len(rows)}")
print(f"- generated: {len(ok)} ({100.0 * len(ok) / max(1, len(rows)):.1f}%), of which parse as Rust: {len(parsed)}, do not parse: {len(unparsable)}")
print(f"- refused with an error (exit 2): {len(refused)}")
print(f"- crashes (panic or signal): {len(crashes)}; timeouts (120 s): {len(timeouts)}")
print(f"- time per document (ms, including process start): p50 {pct(0.5)}, p99 {pct(0.99)}, max {times[-1] if times else 0}")
sizes = sorted(int(r[4]) for r in ok if r[4].isdigit())
if sizes:
    print(f"- generated module size (bytes): median {sizes[len(sizes) // 2]}, max {sizes[-1]}")
print()
for title, rs in (("Crashes", crashes), ("Timeouts", timeouts), ("Generated modules that do not parse", unparsable)):
    print(f"## {title}: {len(rs)}\n")
    for r in rs:
        print(f"- exit {r[0]}: `{short(r[2])}` {r[6] or r[3]}")
    print()
print("## Slowest generations\n")
print("| ms | exit | generated module (bytes) | document |")
print("|---:|---:|---:|---|")
for r in sorted(rows, key=lambda r: -int(r[1]))[:6]:
    print(f"| {r[1]} | {r[0]} | {r[4]} | `{short(r[2])}` |")
print()
print(f"## Refusals by first reason: {len(refused)}\n")
groups = collections.defaultdict(list)
for r in refused:
    groups[reason(r[6])].append(r)
print("| documents | first reason (names elided) | example |")
print("|---:|---|---|")
for k, rs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
    k = k.replace("|", "\\|")
    print(f"| {len(rs)} | {k} | `{short(rs[0][2])}` |")
print()

# Each refusal reason, judged by reading the documents at the reported positions: an
# unsupported feature named clearly, a defect of the document, or a generator bug.
CATEGORIES = [
    (r"request body media types", "unsupported feature: request bodies other than JSON / form / multipart (octet-stream alone, XML, text …)", "unsupported"),
    (r"lookaround", "unsupported feature: lookaround in `pattern` that neither the linear-time rewriting nor the lookaround automaton runs: inside an unbounded repetition other than a negative lookahead before each round's one character (`((?=[a-z]-)[a-z-])+`; linode's `((?!--|__)[a-z0-9-_])+$` was refused until such lookaheads were hoisted out of the repetition; fsx's ARN pattern, refused until the automaton could run a pattern as several unions of its distributed alternatives, now generates)", "unsupported"),
    (r"backreference", "unsupported feature: backreferences the expansion does not handle (to a group of more than 256 values, repeated, or inside lookbehind)", "unsupported"),
    (r"nested too deeply", "limitation: `pattern` groups nested deeper than 64", "unsupported"),
    (r"only strings, numbers, booleans", "defect of the document: a path or header parameter whose type OpenAPI's `simple` style does not serialize (arrays of arrays or of objects, unions with an object alternative that declares properties): no text for it is defined, so client and server cannot agree", "defect"),
    (r"style `…` is (not )?supported", "unsupported feature: parameter styles matrix/label, or delimited styles on non-arrays", "unsupported"),
    (r"described with `…` of type|`content` of type", "unsupported feature: parameters with `content` other than JSON or text", "unsupported"),
    (r"must list exactly one media type", "defect of the document: a parameter's `content` with several media types (OpenAPI: exactly one)", "defect"),
    (r"HTTP authentication scheme", "unsupported feature: HTTP schemes other than basic/bearer (digest, `mutual`, vendor HMAC …)", "unsupported"),
    (r"discriminator", "unsupported feature: inline oneOf alternatives under a discriminator without a tag value", "unsupported"),
    (r"not a valid template", "defect of the document: two parameters in one segment with no text between them and neither limited to one value (`{id}{.format}`): where one ends and the next begins is not defined", "defect"),
    (r"carries a query string that is not", "defect of the document: a query string in a path key that is not `key={name}` / `key=value` pairs (`?{search}=1`)", "defect"),
    (r"equivalent path", "defect of the document: templated paths that differ only in parameter names (OpenAPI: they MUST NOT exist)", "defect"),
    (r"is not defined in `…`|does not appear in the path template|uses the parameter `…` twice", "defect of the document: path template and path parameters disagree (query strings in the path, a parameter used twice, `{a}{b}` declared but not templated)", "defect"),
    (r"valid, non-empty header or cookie name|not a valid header name", "defect of the document: apiKey/header parameter names that are not HTTP header names (empty, spaces)", "defect"),
    (r"not a Unicode property of ECMA-N|over-escaped|legacy octal|not in the ECMA-N|Unicode property not found|invalid Unicode character class|unrecognized escape|repetition quantifier expects|unclosed counted repetition|repetition operator missing", "defect of the document: `pattern` not in the ECMA-262 dialect or mistyped (`\\p{Print}`, `\\p\\{L\\}`, `\\Z`, `{,2}`, `{1-35}`)", "defect"),
    (r"hexadecimal literal is not a Unicode scalar", "unsupported feature: UTF-16 surrogate code units in `pattern` (`\\uD800`)", "unsupported"),
    (r"exceeds size limit", "limitation: `pattern` too large for the linear-time engine (`^.{0,262144}$`); the error says so", "unsupported"),
    (r"invalid character class range", "generator bug (fixed): `-` next to `\\w`/`\\d`/`\\s` in a class (`[\\w-.]`) was translated as a range", "bug, fixed"),
    (r"invalid OpenAPI structure", "defect of the document: it does not load (see corpus-rejections.md)", "defect"),
]


def category(k):
    for rx, name, verdict in CATEGORIES:
        if re.search(rx, k):
            return name, verdict
    return "uncategorised", "?"


if len(sys.argv) > 2:
    per_reason = collections.defaultdict(set)
    count = collections.Counter()
    for line in open(sys.argv[2], encoding="utf-8"):
        doc, _, msg = line.rstrip("\n").partition("\t")
        k = reason(msg)
        per_reason[k].add(doc)
        count[k] += 1
    print(f"## Every problem of the refused documents, by reason\n")
    print("| documents | problems | reason (names elided) |")
    print("|---:|---:|---|")
    for k, docs in sorted(per_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"| {len(docs)} | {count[k]} | {k.replace('|', chr(92) + '|')} |")
    print()
    print("## Refused documents by category of their problems\n")
    print("A document with problems of several categories counts in each.\n")
    cat_docs = collections.defaultdict(set)
    for k, docs in per_reason.items():
        cat_docs[category(k)].update(docs)
    print("| documents | category | verdict |")
    print("|---:|---|---|")
    for (name, verdict), docs in sorted(cat_docs.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"| {len(docs)} | {name} | {verdict} |")
    print()

    # Per document: a refusal is explained by a defect of the document when at least one of
    # its problems is one; otherwise specguard lacks the feature.
    verdicts = collections.defaultdict(set)
    first = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        doc, _, msg = line.rstrip("\n").partition("\t")
        name, verdict = category(reason(msg))
        verdicts[doc].add(verdict)
        first.setdefault((doc, verdict), name)
    # Refusals whose problems are not `file:line:col:` lines (a loader error, a path with a
    # space): their first reason.
    for r in refused:
        if r[2] not in verdicts:
            name, verdict = category(reason(r[6]))
            verdicts[r[2]].add(verdict)
            first.setdefault((r[2], verdict), name)
    defect = sorted(d for d, v in verdicts.items() if "defect" in v)
    unsupported = sorted(d for d, v in verdicts.items() if "defect" not in v)
    print(f"## Refused documents: {len(defect)} with a defect of their own, {len(unsupported)} for a missing feature only\n")
    print("| document | verdict | why (first problem of that kind) |")
    print("|---|---|---|")
    for d in defect + unsupported:
        v = "defect" if d in defect else "unsupported"
        print(f"| `{short(d)}` | {v} | {first.get((d, v), '')} |")
    print()
