#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# linkcopy.sh - scratch copies of a kernel tree that cost no disk and
# write nothing into it.
#
#   scripts/linkcopy.sh SRC DST [PART...]
#       copy the directory SRC (or only its PARTs, paths relative to it that
#       exist) to DST, which must not exist: as hard links where SRC and DST
#       are on one filesystem, else as a plain copy (cp -a)
#   scripts/linkcopy.sh --own FILE...
#       before a file of such a copy is edited in place: give it an inode of
#       its own, so that the edit does not reach SRC (tools that write a new
#       file and rename it over the old one, as sed -i and tar do, need no
#       such care; patch, for one, is given its files this way)
#   scripts/linkcopy.sh --patched PATCH...
#       print the files (one per line, -p1) that PATCHes modify, rename or
#       copy, to give to --own
#
# Failures are one "vma: ..." line, exit 1.
set -euo pipefail

die() { echo "vma: $*" >&2; exit 1; }

case ${1:-} in
--own)
	shift
	for f; do
		[[ -f $f && ! -L $f ]] || continue
		if ! cp -p -- "$f" "$f.own.$$" || ! mv -f -- "$f.own.$$" "$f"; then
			die "cannot give $f its own copy"
		fi
	done
	;;
--patched)
	shift
	for p; do
		sed -nE -e 's/^(---|\+\+\+) ([^\t]+).*/\2/p' \
			-e 's/^(rename|copy) from (.*)/a\/\2/p' "$p"
	done | grep -v '^/dev/null$' | sed -E 's#^[^/]*/##' | sort -u
	;;
*)
	(($# >= 2)) || die "usage: scripts/linkcopy.sh SRC DST [PART...]"
	src=$1 dst=$2
	shift 2
	[[ -d $src ]] || die "$src is not a directory"
	[[ ! -e $dst ]] || die "$dst already exists"
	parts=("$@")
	((${#parts[@]})) || parts=(.)
	mkdir -p -- "$dst"
	# Hard links first; on another filesystem, copies from there on.
	mode=-al
	for part in "${parts[@]}"; do
		[[ -e $src/$part ]] || continue
		to=$dst/$(dirname -- "$part")
		mkdir -p -- "$to"
		[[ $part == . ]] && part=. to=$dst
		if [[ $mode == -al ]] &&
			! cp -al -- "$src/$part" "$to" 2>/dev/null; then
			mode=-a
			if [[ $part == . ]]; then
				rm -rf -- "$dst" && mkdir -p -- "$dst"
			else
				rm -rf -- "${dst:?}/$part"
			fi
		fi
		if [[ $mode == -a ]]; then
			cp -a -- "$src/$part" "$to" ||
				die "cannot copy $src/$part to $dst"
		fi
	done
	;;
esac
