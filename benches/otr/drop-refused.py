"""openapi-to-rust stops at the first operation its Axum generator cannot handle. Given its
error output, drop that operation (named by operationId, or every operation of a named path)
from the config's `[server].operations`, print the dropped "METHOD /path" lines, and exit 1
when the error names nothing that can be dropped.

    python3 drop-refused.py openapi-to-rust.toml SPEC.json ERRORS.txt
"""
import json
import re
import sys

config, spec, errors = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
doc = json.load(open(spec))
found = re.search(r"Code generation failed: .*?`([^`]+)`", errors)
if not found:
    sys.exit(1)
name = found.group(1)
targets = [
    "%s %s" % (method.upper(), path)
    for path, item in doc["paths"].items()
    for method, op in item.items()
    if isinstance(op, dict) and (path == name or op.get("operationId") == name)
]
text = open(config).read()
dropped = [t for t in targets if '"%s"' % t in text]
if not dropped:
    sys.exit(1)
for t in dropped:
    text = text.replace(', "%s"' % t, "").replace('"%s", ' % t, "").replace('"%s"' % t, "")
open(config, "w").write(text)
print("\n".join(dropped))
