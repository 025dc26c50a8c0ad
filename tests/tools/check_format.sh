#!/bin/bash
# SPDX-License-Identifier: MIT
# check_format - every C source and header of the tree is as the repo's .clang-format lays it out.
# Usage: check_format.sh SOURCE_DIR. Prints each file that differs and how to fix it.
set -euo pipefail
root=${1:-.}
command -v clang-format >/dev/null ||
	{ echo "SKIP: clang-format is not installed (scripts/setup installs it)"; exit 77; }
cd "$root"
bad=0
while IFS= read -r -d '' f; do
	if ! clang-format --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "FAIL: '$f' differs from .clang-format (fix: clang-format -i --style=file '$f')"
		bad=$((bad + 1))
	fi
done < <(find lib bpf probes analysis runner tests -name '*.[ch]' -print0 | sort -z)
[ "$bad" -eq 0 ] || { echo "FAIL: $bad files differ from .clang-format"; exit 1; }
echo "ok: every C file matches .clang-format ($(clang-format --version | head -1))"
