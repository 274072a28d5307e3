#!/usr/bin/env bash
# `make install` into a temporary prefix, then what a user would try: each binary runs
# (`ventia --version`), `man -l` renders each page, each completion file parses in its shell
# (bash -n; zsh -n and fish -n where installed); then `make uninstall` leaves nothing behind.
# CONFIG=release for release builds (the default here reuses the debug build the tests made).
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-debug}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make --no-print-directory install PREFIX="$prefix" CONFIG="$config" > "$prefix.log" 2>&1 || { cat "$prefix.log"; exit 1; }
rm -f "$prefix.log"
fail() { echo "check-install: $*" >&2; exit 1; }
"$prefix/bin/ventia" --version >/dev/null || fail "ventia --version does not run"
for product in ventia-server ventia-gateway; do "$prefix/bin/$product" --help >/dev/null || fail "$product --help does not run"; done
pages=0
for page in "$prefix"/share/man/man1/*.1; do
    rendered=$(MANWIDTH=80 man -l "$page" 2>&1) || fail "man -l $(basename "$page"): $rendered"
    [ -n "$rendered" ] || fail "man -l $(basename "$page") renders nothing"
    pages=$((pages + 1))
done
[ "$pages" -ge 3 ] || fail "only $pages man pages installed"
shells="bash"
for product in ventia ventia-server ventia-gateway; do
    bash -n "$prefix/share/bash-completion/completions/$product" || fail "the bash completion of $product does not parse"
    if command -v zsh >/dev/null; then zsh -n "$prefix/share/zsh/site-functions/_$product" || fail "the zsh completion of $product does not parse"; fi
    if command -v fish >/dev/null; then fish -n "$prefix/share/fish/vendor_completions.d/$product.fish" || fail "the fish completion of $product does not parse"; fi
done
command -v zsh >/dev/null && shells="$shells, zsh"
command -v fish >/dev/null && shells="$shells, fish"
make --no-print-directory uninstall PREFIX="$prefix" >/dev/null
left=$(find "$prefix" -type f | wc -l)
[ "$left" -eq 0 ] || fail "make uninstall left $left files: $(find "$prefix" -type f | head -3)"
echo "check-install: 3 programs, $pages man pages, completions parsed by $shells; uninstall left nothing"
