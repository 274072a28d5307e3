#!/usr/bin/env bash
# The documentation holds together: every relative link in README.md and docs/ names a file that
# exists (and, with #anchor, a heading in it), and the VentiaAPI library's DocC builds with no
# warning and a summary for every public type.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 - README.md docs/*.md <<'PY'
import os, re, sys

def slug(heading):
    # GitHub's anchors: lower-case, punctuation dropped, spaces to hyphens.
    heading = re.sub(r"[`*_]", "", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")

def anchors(path):
    found, fenced = set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found

broken = []
for source in sys.argv[1:]:
    fenced = False
    for number, line in enumerate(open(source, encoding="utf-8"), 1):
        if line.startswith("```"):
            fenced = not fenced
        if fenced:
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`]*`", "", line)):
            if re.match(r"[a-z]+:", target):
                continue  # a web address: not fetched here
            file, _, anchor = target.partition("#")
            path = os.path.normpath(os.path.join(os.path.dirname(source), file)) if file else source
            if not os.path.exists(path):
                broken.append(f"{source}:{number}: {target}: no such file")
            elif anchor and path.endswith(".md") and anchor not in anchors(path):
                broken.append(f"{source}:{number}: {target}: no such heading in {path}")
for problem in broken:
    print(problem)
if broken:
    sys.exit(f"{len(broken)} broken link(s)")
print(f"links: {len(sys.argv) - 1} files, every relative link resolves")
PY

out=.build/docc
rm -rf "$out"
mkdir -p "$out"
swift package --allow-writing-to-directory "$out" generate-documentation --target VentiaAPI --output-path "$out/VentiaAPI" \
    --warnings-as-errors --experimental-documentation-coverage --coverage-summary-level brief > "$out.log" 2>&1 \
    || { cat "$out.log"; echo "DocC failed for VentiaAPI" >&2; exit 1; }
# docc's own diagnostics (SwiftPM's about other packages' files are not ours).
if grep -E "^(warning|error):|: (warning|error):" "$out.log" | grep -v "swift-distributed-tracing\|CMakeLists"; then
    echo "DocC warned for VentiaAPI" >&2
    exit 1
fi
python3 - "$out/VentiaAPI/documentation-coverage.json" <<'PY'
import json, sys
kinds = {"structure", "class", "enumeration", "protocol", "typeAlias", "actor"}
entries = json.load(open(sys.argv[1]))
types = [e for e in entries if e["kind"]["id"].rsplit(".", 1)[-1] in kinds]
bare = [e["referencePath"].split("/documentation/")[-1] for e in types if not e["hasAbstract"]]
for path in bare:
    print(f"no summary: {path}")
if bare:
    sys.exit(f"{len(bare)} public type(s) of VentiaAPI undocumented")
print(f"DocC: VentiaAPI builds without warnings; {len(types)} public types, each documented")
PY
