#!/bin/bash
# SPDX-License-Identifier: MIT
# test_install - `cmake --install` into a temporary DESTDIR: the installed binary runs and says
# its version and git revision, every command's man page renders and names every option its
# --help names, the bash completion completes commands and options, the docs are there.
. "$(dirname "$0")/lib.sh"

build=$(dirname "$RINGSCOPE")
dest=$RS_TEST_OUT/dest
prefix=/usr/local
command -v man >/dev/null || skip "man is not installed (scripts/setup installs man-db)"
[ -f "$build/man/ringscope.1" ] || skip "no man pages were built: help2man is missing (scripts/setup installs it)"
DESTDIR=$dest cmake --install "$build" --prefix "$prefix" >"$RS_TEST_OUT/install.log" 2>&1 ||
	fail "cmake --install failed: $(tail -3 "$RS_TEST_OUT/install.log")"
bin=$dest$prefix/bin/ringscope
[ -x "$bin" ] || fail "no binary at $bin"

version=$("$bin" --version) || fail "--version exited $?"
[[ $version =~ ^ringscope\ [0-9]+\.[0-9]+\.[0-9]+\ \(git\ .+\)$ ]] ||
	fail "--version says '$version'"
[ "$version" = "$("$RINGSCOPE" --version)" ] || fail "installed and built binaries differ"
# the revision the binary was built from (HEAD may have moved since): a commit of this tree
if git -C "$RS_SOURCE_DIR" rev-parse HEAD >/dev/null 2>&1; then
	rev=${version##*(git }
	rev=${rev%)}
	rev=${rev%-dirty}
	git -C "$RS_SOURCE_DIR" cat-file -e "$rev^{commit}" 2>/dev/null ||
		fail "--version '$version' names no commit of this tree"
fi

cmds=$("$bin" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p')
[ -n "$cmds" ] || fail "no command listed by --help"
man=$dest$prefix/share/man/man1
MANWIDTH=200 man -l "$man/ringscope.1" >"$RS_TEST_OUT/ringscope.txt" 2>/dev/null ||
	fail "ringscope(1) does not render"
for cmd in $cmds; do
	"$bin" "$cmd" --help >"$RS_TEST_OUT/$cmd.help" || fail "installed '$cmd --help' exited $?"
	page=$man/ringscope-$cmd.1
	MANWIDTH=200 man -l "$page" >"$RS_TEST_OUT/$cmd.man" 2>/dev/null || fail "$page does not render"
	for opt in $(grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' "$RS_TEST_OUT/$cmd.help" |
		grep -oE -- '--[a-z0-9-]+'); do
		grep -q -- "$opt" "$RS_TEST_OUT/$cmd.man" || fail "ringscope-$cmd(1) lacks $opt"
	done
done

completion=$dest$prefix/share/bash-completion/completions/ringscope
[ -f "$completion" ] || fail "no bash completion installed"
complete_words() { # complete_words WORD... - what the completion offers for the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ringscope
		printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@"
}
complete_words ringscope ana | grep -qx analyze || fail "'ringscope ana<TAB>' does not give analyze"
complete_words ringscope analyze --hi | grep -qx -- --hist ||
	fail "'ringscope analyze --hi<TAB>' does not give --hist"
complete_words ringscope http-session --untr | grep -qx -- --untraced-runs ||
	fail "'ringscope http-session --untr<TAB>' does not give --untraced-runs"

[ -f "$dest$prefix/share/doc/ringscope/README.md" ] || fail "README.md not installed"
[ -f "$dest$prefix/share/doc/ringscope/cli/analyze.md" ] || fail "docs/cli not installed"
exit 0
