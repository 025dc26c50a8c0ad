#!/bin/sh
# SPDX-License-Identifier: MIT
# gen_completion.sh RINGSCOPE OUT - bash completion for ringscope, made from the binary's own
# --help (the commands) and each command's --help (its long and short options), so it cannot
# drift from the option tables.
set -eu
bin=$1
out=$2
cmds=$("$bin" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p' | tr '\n' ' ')
{
	echo "# bash completion for ringscope, generated from its --help by runner/gen_completion.sh"
	echo "_ringscope() {"
	echo '	local cur=${COMP_WORDS[COMP_CWORD]} words'
	echo '	if [ "$COMP_CWORD" -eq 1 ]; then'
	echo "		COMPREPLY=(\$(compgen -W \"$cmds --help --version\" -- \"\$cur\"))"
	echo '		return'
	echo '	fi'
	echo '	case ${COMP_WORDS[1]} in'
	for cmd in $cmds; do
		opts=$("$bin" "$cmd" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' |
			sed 's/,//' | tr '\n' ' ' | tr -s ' ' | sed 's/^ //')
		echo "	$cmd) words=\"$opts\" ;;"
	done
	echo '	*) words= ;;'
	echo '	esac'
	echo '	case $cur in'
	echo '	-*) COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;'
	echo '	*) COMPREPLY=($(compgen -f -- "$cur")) ;;'
	echo '	esac'
	echo "}"
	echo "complete -F _ringscope ringscope"
} >"$out"
