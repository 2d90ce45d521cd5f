#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# config-run.sh CONFIG PROG [ARG...] - run a configuration's ./vma
# (configs/CONFIG) as its VH_RUN says (qemu-user, taskset), for
# run_tests.sh's rows.  A binary this machine cannot run (another
# architecture without a working qemu-user, a 32-bit one where the kernel
# has no 32-bit support) is one line and a skipped result, not a failure.
set -uo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cfg=$repo/configs/${1:?config-run.sh: no configuration}
prog=${2:?config-run.sh: no program}
shift 2
[[ -f $cfg ]] || { echo "vma: no configuration $cfg" >&2; exit 2; }
read -ra pre <<<"$(sed -n 's/^VH_RUN=//p' "$cfg")"

skip() {
	echo "KTAP version 1"
	echo "1..1"
	echo "ok 1 $(basename "$cfg") # SKIP $1"
	echo "vma: 0 passed, 0 failed, 1 skipped"
	echo "vma: $(basename "$cfg") skipped: $1" >&2
	exit 0
}

# Can this machine run it at all?  (--config takes milliseconds.)
out=$(timeout 20 "${pre[@]}" "$prog" --config 2>&1)
rc=$?
if ((rc == 124)); then
	skip "this machine cannot run the configuration's binaries: ${pre[*]:-$prog} did not start within 20 s"
elif ((rc != 0)) && [[ $(head -c 4 "$prog" | od -An -c | tr -d ' ') == 177ELF ]] &&
	grep -q 'Syntax error' <<<"$out"; then
	# execve() said ENOEXEC and the shell tried it as a script.
	skip "this machine cannot run the configuration's binaries: the kernel does not execute $(basename "$(dirname "$prog")")'s ELF (exec format error)"
elif ((rc != 0)); then
	skip "this machine cannot run the configuration's binaries: $(tail -n 1 <<<"$out")"
fi
exec "${pre[@]}" "$prog" "$@"
