#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkfixture.sh - make the "series fixture" tree: a copy of a kernel tree
# with CONFIG_PER_VMA_LOCK removed as if always on, the effect of patch 1/5
# "mm: Make per-VMA locks available universally".
#
# Usage: scripts/mkfixture.sh SRC DST
#
# SRC is only read. DST must not exist (or be an empty directory); it
# appears only when complete. Failures are one "vma: ..." line, exit 1.
set -euo pipefail

# What we copy from SRC, if present.
PARTS=(mm include lib tools arch/x86/include scripts Documentation/mm Makefile)
# Where CONFIG_PER_VMA_LOCK is resolved, and where none may be left (the
# harness reads nothing else of the tree that uses it; it may sit in
# tools/testing/vma).
EDIT_DIRS=(mm include)
CHECK_DIRS=(mm include/linux)
SYM=CONFIG_PER_VMA_LOCK
fixtures=$(CDPATH="" cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)/fixtures

say() { echo "vma: $*" >&2; }
die() { say "$@"; exit 1; }

tmp=""
log=""
cleanup() {
	[[ -z $tmp ]] || rm -rf -- "$tmp"
	[[ -z $log ]] || rm -f -- "$log"
}
trap cleanup EXIT
trap 'exit 130' INT HUP TERM

(($# == 2)) || die "usage: scripts/mkfixture.sh SRC DST"
src=$1
dst=${2%/}
[[ -n $dst ]] || die "usage: scripts/mkfixture.sh SRC DST"

[[ -d $src ]] || die "SRC $src is not a directory"
[[ -f $src/Makefile && -f $src/mm/mmap_lock.c ]] ||
	die "SRC $src is not a kernel tree (no Makefile or mm/mmap_lock.c)"
if [[ -e $dst || -L $dst ]]; then
	if [[ -L $dst || ! -d $dst || -n $(ls -A -- "$dst") ]]; then
		die "DST $dst already exists and is not an empty directory"
	fi
fi

# unifdef does the work, patch applies the fixtures: installed if we can.
"$(dirname -- "${BASH_SOURCE[0]}")/need.sh" unifdef patch || exit 1

# Copy into a temp dir next to DST, so the final mv is a rename.
parent=$(dirname -- "$dst")
mkdir -p -- "$parent" 2>/dev/null || die "cannot create $parent"
parent=$(CDPATH="" cd -- "$parent" 2>/dev/null && pwd -P) || die "cannot enter $parent"
dst=$parent/$(basename -- "$dst")
tmp=$(mktemp -d "$parent/.$(basename -- "$dst").tmp.XXXXXX") ||
	die "cannot create a temp dir in $parent"
# The copy is hard links where it can be (scripts/linkcopy.sh): every file
# edited below is first given its own inode, or is replaced by sed -i.
src=$(CDPATH="" cd -- "$src" && pwd -P)
repo=$(CDPATH="" cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
rmdir -- "$tmp"
"$repo/scripts/linkcopy.sh" "$src" "$tmp" "${PARTS[@]}" || exit 1
# Where the harness sits in SRC (tools/testing/vma): not its build output.
case $repo/ in
"$src"/*) rm -rf -- "${tmp:?}/${repo#"$src"/}/build" ;;
esac

cd "$tmp"
dirs=()
for d in "${EDIT_DIRS[@]}"; do
	[[ -e $d ]] && dirs+=("$d")
done
files=()
if ((${#dirs[@]})); then
	mapfile -d '' files < <(grep -rlwZ -- "$SYM" "${dirs[@]}" || true)
fi

# Resolve "#if*" on the symbol as defined, and drop "#define" of it.
# mm/mmap_lock.c: the patch also drops the CONFIG_MMU guard (and its !MMU
# lock_mm_and_find_vma()) around the lock code, so resolve CONFIG_MMU too.
for f in "${files[@]}"; do
	sed -i -E "/^[[:space:]]*#[[:space:]]*define[[:space:]]+$SYM([[:space:]]|\$)/d" "$f"
	defs=(-D"$SYM")
	[[ $f == mm/mmap_lock.c ]] && defs+=(-DCONFIG_MMU)
	rc=0
	err=$(unifdef -m "${defs[@]}" "$f" 2>&1) || rc=$?
	# 0: unchanged, 1: changed, 2: trouble.
	((rc < 2)) || die "unifdef failed on $f: ${err//$'\n'/ }"
done

# Nothing may be left.
check=()
for d in "${CHECK_DIRS[@]}"; do
	[[ -e $d ]] && check+=("$d")
done
if ((${#check[@]})); then
	left=$(grep -rnw -- "$SYM" "${check[@]}" | head -n 1 || true)
	[[ -z $left ]] || die "$SYM is still used in ${left%%:*} (${left#*:})"
fi

# Then the series' other additions the harness tests, as fixture patches
# written here (scripts/fixtures/*.patch), unless the tree has them.
applied=0
for p in "$fixtures"/*.patch; do
	[[ -f $p ]] || continue
	mapfile -t touched < <("$repo/scripts/linkcopy.sh" --patched "$p")
	"$repo/scripts/linkcopy.sh" --own "${touched[@]}" || exit 1
	if ! out=$(patch -p1 -N --batch -s -i "$p" 2>&1); then
		grep -q 'Reversed (or previously applied)' <<<"$out" && continue
		die "fixture $(basename "$p") does not apply: $(head -n 1 <<<"$out")"
	fi
	applied=$((applied + 1))
done

cd - >/dev/null
[[ ! -d $dst ]] || rmdir -- "$dst"
mv -T -- "$tmp" "$dst"
tmp=""
say "series fixture tree $dst ($SYM removed from ${#files[@]} files, $applied fixture patch(es))"
