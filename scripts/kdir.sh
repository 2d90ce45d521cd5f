#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kdir.sh - find, check and if needed fetch the kernel tree to build from.
#
# Usage: scripts/kdir.sh [--quiet | --resolve | --mk | --peek | --version]
#
# The tree is, in this order:
#   1. $KDIR, if set and non-empty (only ever read, never written);
#   2. the kernel checkout around this repo, if the repo sits at
#      tools/testing/vma inside one;
#   3. the Debian package linux-source-7.3 from trixie-backports, fetched
#      once into $VMA_CACHE_DIR (default ~/.cache/vma-harness).
#
# On success the absolute tree path is the only line on stdout, and one
# "vma: kernel tree ..." line goes to stderr (not with --quiet). Progress
# of a fetch goes to stderr. Any failure is one "vma: ..." line on stderr
# and exit code 1.
#
# --resolve names the tree with no side effect: it neither fetches nor
# checks the default tree (the Makefile calls it while parsing).  --mk
# prints, after the fetch and checks, what the Makefile needs to know of
# the tree, as make variables; --peek prints the same if the tree is there
# already and nothing otherwise, and never fetches (make -n reads it);
# --version prints the tree's version, which is computed here only.
set -euo pipefail

PKG=linux-source-7.3
SUITE=trixie-backports
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# What we unpack from the source tarball (relative to $PKG/).  The stamp
# records the list: a cache unpacked with another list is fetched again,
# so a part added here reaches every existing cache.
PARTS=(mm include lib tools arch/x86/include arch/x86/mm scripts Documentation/mm fs/proc fs/seq_file.c
	kernel/fork.c kernel/bpf/task_iter.c drivers/android net/ipv4/tcp.c Makefile)

say() { echo "vma: $*" >&2; }

# The parts a cache at $1 was unpacked with (none if it is incomplete).
cache_parts() {
	[[ -d $1/$PKG && -f $1/$PKG.stamp ]] || return 0
	sed -n 's/^parts: //p' "$1/$PKG.stamp"
}

# Whether $1/$PKG is complete and holds every one of today's PARTS (a
# cache unpacked with more, by a harness that needs more, is used as it
# is: checkouts with different PARTS share one cache without refetching it
# in turn).
cache_ok() {
	local have part

	[[ -d $1/$PKG && -f $1/$PKG.stamp ]] || return 1
	have=" $(cache_parts "$1") "
	for part in "${PARTS[@]}"; do
		[[ $have == *" $part "* ]] || return 1
	done
}
die() { say "$@"; exit 1; }

quiet=0
mode=path
usage="usage: scripts/kdir.sh [--quiet | --resolve | --mk | --peek | --version]"
for arg in "$@"; do
	case $arg in
	--quiet) quiet=1 ;;
	--resolve) mode=resolve quiet=1 ;;
	--mk) mode=mk quiet=1 ;;
	--peek) mode=peek quiet=1 ;;
	--version) mode=version quiet=1 ;;
	-h | --help) echo "$usage"; exit 0 ;;
	*) die "$usage (unknown argument '$arg')" ;;
	esac
done

# Print the first URI of a Debian mirror (path ending in /debian) named in
# the machine's apt sources, one-line or deb822 format.
find_mirror() {
	local f files=()

	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[[ -f $f && -r $f && $f != *.disabled* ]] && files+=("$f")
	done
	((${#files[@]})) || return 0

	awk '
	function take(u) {
		sub(/\/+$/, "", u)
		if (u ~ /^[a-z0-9+]+:\/\/[^ ]*\/debian$/) { print u; found = 1; exit }
	}
	# deb822 stanza: remember its URIs, use them unless "Enabled: no".
	function flush(   i, n, a) {
		if (uris != "" && !disabled) {
			n = split(uris, a, /[ \t]+/)
			for (i = 1; i <= n && !found; i++) take(a[i])
		}
		uris = ""; disabled = 0
	}
	FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
	/^[ \t]*#/ { next }
	deb822 && /^[ \t]*$/ { flush(); next }
	deb822 && tolower($1) == "uris:" { sub(/^[^:]*:[ \t]*/, ""); uris = $0; next }
	deb822 && tolower($1) == "enabled:" && tolower($2) == "no" { disabled = 1; next }
	!deb822 && ($1 == "deb" || $1 == "deb-src") {
		line = $0
		gsub(/\[[^]]*\]/, "", line)	# drop [options]
		n = split(line, w, /[ \t]+/)
		for (i = 1; i <= n; i++) if (w[i] ~ /:\/\//) { take(w[i]); break }
	}
	END { if (!found) flush() }
	' "${files[@]}" 2>/dev/null | head -n 1
}

# Fetch $PKG into $cache/$PKG (the caller checks the stamp first).
fetch_default() {
	local cache=$1 final=$1/$PKG stamp=$1/$PKG.stamp
	local aptdir=$cache/apt log=$cache/apt/fetch.log
	local mirror signed="" deb debs tmpdl tmpsrc t0 part
	local -a apt_opts members parts

	if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
		die "no kernel tree: set KDIR=/path/to/linux (apt-get and dpkg-deb are needed to fetch $PKG)"
	fi

	mkdir -p "$cache" 2>/dev/null || die "cannot create cache directory $cache"
	[[ -w $cache ]] || die "cache directory $cache is not writable"

	# One fetch at a time; a second run waits and then reuses the result.
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		say "waiting for another fetch into $cache"
		flock 9
	fi
	if cache_ok "$cache"; then
		exec 9>&-
		return 0
	fi

	# Leftovers of interrupted runs (safe: we hold the lock).  A tree
	# unpacked with other parts stays in use until the new one is in place.
	rm -rf "$cache"/.tmp.*

	mirror=$(find_mirror)
	[[ -n $mirror ]] ||
		die "no Debian mirror (URI ending in /debian) in /etc/apt sources; set KDIR=/path/to/linux"
	[[ -f $KEYRING ]] && signed="[signed-by=$KEYRING] "

	# Private apt config: our own sources, lists and cache, nothing shared.
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
	echo "deb ${signed}$mirror $SUITE main" >"$aptdir/sources.list"
	apt_opts=(
		-o "Dir::Etc::SourceList=$aptdir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$aptdir/lists"
		-o "Dir::Cache=$aptdir/cache"
		-o Acquire::Languages=none
	)
	# As root, apt would try to download as _apt and warn it cannot.
	((EUID)) || apt_opts+=(-o APT::Sandbox::User=root)

	tmpdl=$(mktemp -d "$cache/.tmp.dl.XXXXXX")
	tmpsrc=$(mktemp -d "$cache/.tmp.src.XXXXXX")
	trap 'rm -rf "$tmpdl" "$tmpsrc"' EXIT
	trap 'exit 130' INT HUP TERM

	t0=$SECONDS
	say "fetching $PKG from $mirror $SUITE into $cache"
	: >"$log"
	apt-get "${apt_opts[@]}" update >>"$log" 2>&1 ||
		die "cannot fetch $PKG: apt-get update failed (no network?), see $log"
	(cd "$tmpdl" && apt-get "${apt_opts[@]}" download "$PKG") >>"$log" 2>&1 ||
		die "cannot fetch $PKG: apt-get download failed (no network?), see $log"
	debs=("$tmpdl"/*.deb)
	deb=${debs[0]}
	[[ -f $deb ]] || die "cannot fetch $PKG: no .deb downloaded, see $log"

	# Stream the inner tarball out of the .deb, keeping only what we need.
	say "unpacking $(basename "$deb")"
	# Today's parts and those the cache had: it only ever grows.
	parts=("${PARTS[@]}")
	for part in $(cache_parts "$cache"); do
		[[ " ${parts[*]} " == *" $part "* ]] || parts+=("$part")
	done
	members=()
	for part in "${parts[@]}"; do
		members+=("$PKG/$part")
	done
	if ! dpkg-deb --fsys-tarfile "$deb" 2>>"$log" |
		tar -xOf - "./usr/src/$PKG.tar.xz" 2>>"$log" |
		tar -xJf - -C "$tmpsrc" "${members[@]}" 2>>"$log"; then
		die "cannot unpack $deb, see $log"
	fi
	[[ -f $tmpsrc/$PKG/Makefile ]] || die "cannot unpack $deb: no $PKG/Makefile inside"

	# Complete: move into place, then write the stamp last.
	rm -f "$stamp"
	if [[ -e $final ]]; then
		mv -T "$final" "$tmpdl/old"
	fi
	mv -T "$tmpsrc/$PKG" "$final"
	printf '%s\nparts: %s\n' "$(basename "$deb")" "${parts[*]}" >"$stamp"
	rm -rf "$tmpdl" "$tmpsrc"
	trap - EXIT INT HUP TERM
	exec 9>&-
	say "fetched $PKG in $((SECONDS - t0)) s"
}

# Check that $1 is a kernel tree with the per-VMA lock code. $2 names it.
validate() {
	local t=$1 what=$2 f

	[[ -e $t ]] || die "$what $t does not exist"
	[[ -d $t ]] || die "$what $t is not a directory"
	if ! [[ -f $t/Makefile && -d $t/mm ]] ||
		! grep -q '^VERSION = ' "$t/Makefile" 2>/dev/null; then
		die "$what $t is not a kernel tree (no top-level Makefile with VERSION, or no mm/)"
	fi
	if ! grep -qw vm_refcnt "$t/include/linux/mm_types.h" 2>/dev/null; then
		die "$what $t is too old: no refcount-based per-VMA lock (vm_refcnt in include/linux/mm_types.h)"
	fi
	if ! [[ -f $t/mm/mmap_lock.c && -f $t/include/linux/mmap_lock.h ]] ||
		! grep -q '__vma_start_write' "$t/mm/mmap_lock.c" 2>/dev/null; then
		die "$what $t is too old: no per-VMA lock code (__vma_start_write in mm/mmap_lock.c, include/linux/mmap_lock.h)"
	fi
	for f in lib/maple_tree.c tools/testing/shared tools/include; do
		[[ -e $t/$f ]] || die "$what $t is not usable: $f is missing"
	done
}

# "7.3.4" plus EXTRAVERSION, from the tree's Makefile.
kversion() {
	awk '
	/^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)[ \t]*=/ {
		k = $1; sub(/[ \t]*=.*/, "", k)
		if (k in v) next
		val = $0; sub(/^[^=]*=[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
		v[k] = val
	}
	END { printf "%s.%s.%s%s\n", v["VERSION"], v["PATCHLEVEL"], v["SUBLEVEL"], v["EXTRAVERSION"] }
	' "$1/Makefile"
}

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)

if [[ -n ${KDIR:-} ]]; then
	tree=$KDIR
	what=KDIR
elif [[ -f $repo/../../../Makefile && -f $repo/../../../mm/mmap_lock.c ]]; then
	tree=$(CDPATH='' cd -- "$repo/../../.." && pwd -P)
	what="kernel tree"
else
	if [[ -n ${VMA_CACHE_DIR:-} ]]; then
		cache=$VMA_CACHE_DIR
	elif [[ -n ${XDG_CACHE_HOME:-} ]]; then
		cache=$XDG_CACHE_HOME/vma-harness
	elif [[ -n ${HOME:-} ]]; then
		cache=$HOME/.cache/vma-harness
	else
		die "no kernel tree: set KDIR=/path/to/linux or VMA_CACHE_DIR"
	fi
	tree=$cache/$PKG
	what="cached tree"
	if [[ $mode == resolve ]]; then
		echo "$tree"
		exit 0
	fi
	if ! cache_ok "$cache"; then
		# --peek never fetches: no cache yet is no answer.
		[[ $mode != peek ]] || exit 0
		fetch_default "$cache"
	fi
fi

validate "$tree" "$what"
tree=$(CDPATH='' cd -- "$tree" 2>/dev/null && pwd -P) || die "$what $tree is not accessible"

case $mode in
version) kversion "$tree" ;;
mk | peek)
	# 7.3 still guards the lock code with CONFIG_PER_VMA_LOCK (the series
	# removes the guard, and adds vma_start_read_unlocked()).
	echo "KTREE := $tree"
	echo "KVERSION := $(kversion "$tree")"
	if grep -qw CONFIG_PER_VMA_LOCK "$tree/mm/mmap_lock.c" \
		"$tree/include/linux/mmap_lock.h"; then
		echo "PVL_DEFINE := -DCONFIG_PER_VMA_LOCK"
	fi
	if grep -qw vma_start_read_unlocked "$tree/include/linux/mmap_lock.h"; then
		echo "HAVE_UNLOCKED := -DVH_HAVE_START_READ_UNLOCKED"
	fi
	;;
*) echo "$tree" ;;
esac
((quiet)) || say "kernel tree $tree (Linux $(kversion "$tree"))"
