#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkfixture.sh - make the "series fixture" tree: a copy of a kernel tree
# with patch 1/5 "mm: Make per-VMA locks available universally" applied
# (scripts/fixtures/0001-*, the posting rebased onto 7.3.4), every use of
# CONFIG_PER_VMA_LOCK it leaves resolved as always on, and the series'
# other additions the harness tests (the later fixture patches).
#
# On a tree the posting does not apply to (7.2, say), the symbol is
# resolved as always on in every file the posting edits, which is its
# effect there.  Either way only the files the copy has are edited: the
# default tree's cache unpacks no arch/*/Kconfig or rust/.
#
# Usage: scripts/mkfixture.sh SRC DST
#
# SRC is only read. DST must not exist (or be an empty directory); it
# appears only when complete. Failures are one "vma: ..." line, exit 1.
set -euo pipefail

# What we copy from SRC, if present.
# Every file the series edits that a tree (or its cache) may have is here,
# so that the fixture holds the series' version of each: fs/proc,
# kernel/bpf and kernel/fork.c, mm/userfaultfd.c, and the users the later
# patches move (drivers/android/binder_alloc.c, net/ipv4/tcp.c).
PARTS=(mm include lib tools arch/x86/include arch/x86/mm scripts Documentation/mm
	Makefile fs/proc fs/seq_file.c kernel drivers/android net/ipv4)
# Where CONFIG_PER_VMA_LOCK is resolved (the directories of the files the
# series edits), and where none may be left in code (the harness may sit
# in tools/testing/vma, which keeps upstream's copy of the symbol).
EDIT_DIRS=(mm include fs/proc kernel drivers/android net/ipv4)
CHECK_DIRS=(mm include/linux fs/proc kernel drivers/android net/ipv4)
SYM=CONFIG_PER_VMA_LOCK
fixtures=$(CDPATH="" cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)/fixtures
# The posting itself: applied first where it applies.
SERIES=0001-mm-make-per-vma-locks-available-universally.patch

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

# present PATCH: PATCH without the files the copy does not have.
present() {
	awk '/^--- a\// { f = substr($2, 3); keep = (system("test -f \"" f "\"") == 0) }
	     /^--- a\// && !keep { skipped++ } !started && !/^--- a\// { print; next }
	     /^--- a\// { started = 1 } keep { print }' "$1"
}

# apply PATCH: 0 applied, 1 already applied, 2 does not apply ($out says).
apply() {
	local touched

	mapfile -t touched < <("$repo/scripts/linkcopy.sh" --patched "$1")
	"$repo/scripts/linkcopy.sh" --own "${touched[@]}" || exit 1
	if ! out=$(present "$1" | patch -p1 -N --batch -s 2>&1); then
		grep -q 'Reversed (or previously applied)' <<<"$out" && return 1
		return 2
	fi
	return 0
}

cd "$tmp"
posting="the posting does not apply"
more=""
if present "$fixtures/$SERIES" | patch -p1 -N --batch -s --dry-run >/dev/null 2>&1; then
	apply "$fixtures/$SERIES" || die "fixture $SERIES does not apply: $(head -n 1 <<<"$out")"
	posting="the posting applied"
	more=" more"
fi
dirs=()
for d in "${EDIT_DIRS[@]}"; do
	[[ -e $d ]] && dirs+=("$d")
done
files=()
if ((${#dirs[@]})); then
	mapfile -d '' files < <(grep -rlwZ --include='*.[ch]' -- "$SYM" "${dirs[@]}" || true)
fi

# Resolve "#if*" on the symbol as defined, and drop "#define" of it.
# mm/mmap_lock.c: the patch also drops the CONFIG_MMU guard (and its !MMU
# lock_mm_and_find_vma()) around the lock code, so resolve CONFIG_MMU too.
for f in "${files[@]}"; do
	sed -i -E -e "/^[[:space:]]*#[[:space:]]*define[[:space:]]+$SYM([[:space:]]|\$)/d" \
		-e "s/IS_ENABLED\($SYM\)/1/g" "$f"
	defs=(-D"$SYM")
	[[ $f == mm/mmap_lock.c ]] && defs+=(-DCONFIG_MMU)
	rc=0
	err=$(unifdef -m "${defs[@]}" "$f" 2>&1) || rc=$?
	# 0: unchanged, 1: changed, 2: trouble.
	((rc < 2)) || die "unifdef failed on $f: ${err//$'\n'/ }"
done

# No use may be left in code (comments may still name the symbol).
check=()
for d in "${CHECK_DIRS[@]}"; do
	[[ -e $d ]] && check+=("$d")
done
if ((${#check[@]})); then
	left=$(grep -rnE --include='*.[ch]' \
		"^[[:space:]]*#[[:space:]]*(if|elif|ifn?def).*\<$SYM\>|(IS_ENABLED|defined)[[:space:]]*\(?[[:space:]]*$SYM\>" \
		"${check[@]}" | head -n 1 || true)
	[[ -z $left ]] || die "$SYM is still used in ${left%%:*} (${left#*:})"
fi

# Then the series' other additions the harness tests, as fixture patches
# written here (scripts/fixtures/*.patch), unless the tree has them.
applied=0
edited=()
[[ -z $more ]] || edited+=("$fixtures/$SERIES")
for p in "$fixtures"/*.patch; do
	[[ -f $p && ${p##*/} != "$SERIES" ]] || continue
	rc=0
	apply "$p" || rc=$?
	((rc != 2)) || die "fixture $(basename "$p") does not apply: $(head -n 1 <<<"$out")"
	((rc)) || { applied=$((applied + 1)); edited+=("$p"); }
done

# Every file the fixtures applied here edit that the copy has is now the
# series' version: none may have come through unchanged (a part copied
# but not edited, a hunk that resolved to nothing).
changed=0
if ((${#edited[@]})); then
	while IFS= read -r f; do
		[[ -f $f && -f $src/$f ]] || continue
		! cmp -s -- "$src/$f" "$f" ||
			die "fixture: $f is the same as in $src, though the series edits it"
		changed=$((changed + 1))
	done < <("$repo/scripts/linkcopy.sh" --patched "${edited[@]}")
fi

cd - >/dev/null
[[ ! -d $dst ]] || rmdir -- "$dst"
mv -T -- "$tmp" "$dst"
tmp=""
say "series fixture tree $dst ($posting; $SYM resolved in ${#files[@]}$more files; $applied more fixture patch(es); $changed file(s) of the series changed)"
