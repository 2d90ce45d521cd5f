#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# need.sh PACKAGE... - make sure what these Debian packages provide is
# there: install them when running as root with apt-get, otherwise (or if
# that fails) print one line naming what is missing and exit 1.
#
# CC selects the compiler liburcu-dev is probed with.  VMA_URCU_H and
# VMA_NO_INSTALL let tests/cli.sh simulate a machine without liburcu.
set -uo pipefail

# The compiler of a Debian architecture (liburcu-dev:i386 is probed with
# i686-linux-gnu-gcc).
arch_cc() {
	case $1 in
	i386) echo i686-linux-gnu-gcc ;;
	arm64) echo aarch64-linux-gnu-gcc ;;
	armhf) echo arm-linux-gnueabihf-gcc ;;
	*) echo "${CC:-cc}" ;;
	esac
}

probe() {
	case $1 in
	liburcu-dev:*)
		printf '#include <urcu.h>\n' |
			"$(arch_cc "${1#*:}")" -E -x c - -o /dev/null 2>/dev/null ;;
	crossbuild-essential-*) command -v "$(arch_cc "${1#crossbuild-essential-}")" ;;
	qemu-user) command -v qemu-aarch64 ;;
	liburcu-dev)
		if [[ -n ${VMA_URCU_H:-} ]]; then
			test -f "$VMA_URCU_H"
		else
			printf '#include <urcu.h>\n' |
				"${CC:-cc}" -E -x c - -o /dev/null 2>/dev/null
		fi ;;
	python3) command -v python3 ;;
	clang) command -v "${CC:-clang}" ;;
	llvm) command -v llvm-cov && command -v llvm-profdata ;;
	*) command -v "$1" ;;
	esac >/dev/null 2>&1
}

install() {
	((EUID == 0)) && [[ -z ${VMA_NO_INSTALL:-} ]] &&
		command -v apt-get >/dev/null || return 1
	echo "vma: installing $1" >&2
	# A package of another architecture (liburcu-dev:i386): multiarch.
	if [[ $1 == *:* ]] && ! dpkg --print-foreign-architectures |
		grep -qx "${1#*:}"; then
		dpkg --add-architecture "${1#*:}" && apt-get update -qq \
			>/dev/null 2>&1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" \
		>/dev/null 2>&1 && return 0
	apt-get update -qq >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" \
		>/dev/null 2>&1
}

for pkg in "$@"; do
	probe "$pkg" && continue
	install "$pkg"
	probe "$pkg" && continue
	echo "vma: $pkg is required and could not be installed (apt-get install $pkg)" >&2
	exit 1
done
