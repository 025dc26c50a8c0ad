#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_help_docs - every `ringscope CMD --help` block of docs/cli/*.md is what the binary prints.

A block is a fenced one whose first line is "# ringscope CMD --help      (DATE)"; the lines
after it must be the command's help as the binary prints it now, so that the pages show today's
options (the help itself is made from each command's option table).
Usage: check_help_docs.py RINGSCOPE SOURCE_DIR          check, exit 1 naming each stale block
       check_help_docs.py RINGSCOPE SOURCE_DIR --fix DATE  rewrite the stale blocks, dated DATE
"""
import glob
import os
import re
import subprocess
import sys

BLOCK = re.compile(r"```\n# ringscope ([\w-]+) --help +\(([^)]*)\)\n(.*?)```\n", re.S)


def help_of(binary, cmd):
    """What `ringscope CMD --help` prints on stdout."""
    return subprocess.run([binary, cmd, "--help"], capture_output=True, text=True,
                          check=True).stdout


def main():
    binary, source = sys.argv[1], sys.argv[2]
    fix = sys.argv[4] if len(sys.argv) == 5 and sys.argv[3] == "--fix" else None
    stale = 0
    for path in sorted(glob.glob(os.path.join(source, "docs", "cli", "*.md"))):
        text = open(path, encoding="utf-8").read()

        def check(m):
            nonlocal stale
            now = help_of(binary, m.group(1))
            if m.group(3) == now:
                return m.group(0)
            stale += 1
            print(f"FAIL: {os.path.relpath(path, source)}: the block of 'ringscope "
                  f"{m.group(1)} --help' is not what it prints (fix: {sys.argv[0]} "
                  f"{binary} {source} --fix YYYY-MM-DD)")
            return f"```\n# ringscope {m.group(1)} --help      ({fix})\n{now}```\n"

        fixed = BLOCK.sub(check, text)
        if fix and fixed != text:
            open(path, "w", encoding="utf-8").write(fixed)
    if stale and not fix:
        return 1
    print(f"{'fixed' if fix else 'checked'} the --help blocks of docs/cli ({stale} stale)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
