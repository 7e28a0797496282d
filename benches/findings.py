#!/usr/bin/env python3
"""Count a linter's findings and how many of them repeat another one.

    benches/findings.py specguard|redocly|ibm|spectral OUTPUT.json SPEC.json

Prints "FINDINGS DUPLICATES". A duplicate is a finding of the same rule, with the same message,
on the same node of the source document as an earlier finding: the same problem reported
again. Spectral and IBM's validator report a path in the document with its `$ref`s resolved,
so a problem inside a shared component schema comes back once per place that uses it; the
path is walked through the source document, following local `$ref`s, to the node it lands on.
specguard and Redocly report source pointers already. Only local refs (`#/...`) are followed:
the benchmark's documents are single files.
"""
import json
import sys


def escape(seg):
    return str(seg).replace("~", "~0").replace("/", "~1")


def unescape(seg):
    return seg.replace("~1", "/").replace("~0", "~")


def at(doc, pointer):
    node = doc
    for seg in [unescape(s) for s in pointer.lstrip("#").split("/")[1:]]:
        if isinstance(node, list):
            node = node[int(seg)]
        else:
            node = node[seg]
    return node


def canonical(doc, path):
    """The source pointer a resolved path lands on (local `$ref`s followed)."""
    pointer, node, hops = "", doc, 0
    for seg in path:
        # Follow refs before stepping in (a ref to a ref too), at most 64 in all.
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops < 64:
            ref = node["$ref"]
            if not ref.startswith("#"):
                return pointer + "/" + "/".join(escape(s) for s in path)
            try:
                node, pointer, hops = at(doc, ref), ref[1:], hops + 1
            except (KeyError, IndexError, ValueError, TypeError):
                return pointer
        try:
            node = node[int(seg)] if isinstance(node, list) else node[str(seg)]
        except (KeyError, IndexError, ValueError, TypeError):
            # A path the resolver made up (e.g. through an `allOf` merge): keep it as is.
            return pointer + "/" + escape(seg)
        pointer += "/" + escape(seg)
    return pointer


def keys(tool, out, doc):
    if tool == "specguard":
        for f in out["findings"]:
            yield (f["rule"], f["file"], f["pointer"], f["message"])
    elif tool == "redocly":
        for p in out["problems"]:
            loc = p["location"][0]
            yield (p["ruleId"], loc["source"]["ref"], loc["pointer"], p["message"])
    elif tool == "ibm":
        for level in ("error", "warning", "info", "hint"):
            for r in out.get(level, {}).get("results", []):
                yield (r["rule"], canonical(doc, r["path"]), r["message"])
    elif tool == "spectral":
        for r in out:
            yield (r["code"], r.get("source", ""), canonical(doc, r["path"]), r["message"])
    else:
        raise SystemExit(f"unknown tool {tool}")


def main():
    tool, output, spec = sys.argv[1:4]
    with open(output, encoding="utf-8") as f:
        out = json.load(f)
    with open(spec, encoding="utf-8") as f:
        doc = json.load(f)
    seen, n, dups = set(), 0, 0
    for k in keys(tool, out, doc):
        n += 1
        if k in seen:
            dups += 1
        seen.add(k)
    print(n, dups)


if __name__ == "__main__":
    main()
