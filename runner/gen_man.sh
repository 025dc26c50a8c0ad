#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_man.sh RINGSCOPE OUTDIR - the man pages, made by help2man from the binary's own --help and
# --version (so a page cannot say other than the option tables): ringscope(1), and one page per
# command, ringscope-COMMAND(1), named as git names its own.
set -eu
bin=$(realpath "$1")
out=$2
mkdir -p "$out"
help2man --no-info --section=1 --name="timing artifacts of a platform, every latency spike explained" \
	-o "$out/ringscope.1" "$bin"
# the commands and their summaries, as the top-level --help lists them
version=$("$bin" --version | sed 's/^ringscope //')
"$bin" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z-]*\)  *\(.*\)$/\1\t\2/p' |
	while IFS="$(printf '\t')" read -r cmd summary; do
		# help2man names a page after the program it runs: a link named ringscope-CMD to the
		# binary (which dispatches on its first argument, not its name)
		ln -sf "$bin" "$out/ringscope-$cmd"
		help2man --no-info --section=1 --name="$summary" --help-option="$cmd --help" \
			--version-string="ringscope-$cmd $version" -o "$out/ringscope-$cmd.1" "$out/ringscope-$cmd"
		rm -f "$out/ringscope-$cmd"
	done
