#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# config-run.sh CONFIG PROG [ARG...] - run a configuration's ./vma
# (configs/CONFIG) as its VH_RUN says (qemu-user, taskset), for
# run_tests.sh's rows and scripts/mutants.sh.  Where the kernel does not
# execute the binary (i386 on a kernel without IA32_EMULATION) and the
# configuration names an emulator (VH_EMULATE), it runs under that,
# unless VH_EMULATE_SWITCH names the run_tests.sh switch that allows it
# (--arch i386) and VH_EMULATE_OK is not set: then it is skipped, naming
# the switch.  A binary this machine cannot run at all is one line and a
# skipped result, not a failure.
set -uo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cfg=$repo/configs/${1:?config-run.sh: no configuration}
prog=${2:?config-run.sh: no program}
shift 2
[[ -f $cfg ]] || { echo "vma: no configuration $cfg" >&2; exit 2; }
read -ra pre <<<"$(sed -n 's/^VH_RUN=//p' "$cfg")"
read -ra emu <<<"$(sed -n 's/^VH_EMULATE=//p' "$cfg")"

skip() {
	echo "KTAP version 1"
	echo "1..1"
	echo "ok 1 $(basename "$cfg") # SKIP $1"
	echo "vma: 0 passed, 0 failed, 1 skipped"
	echo "vma: $(basename "$cfg") skipped: $1" >&2
	exit 0
}

# Whether "${pre[@]}" PROG starts (--config takes milliseconds): sets
# rc and out.
probe() {
	out=$(timeout 20 env "${pre[@]}" "$prog" --config 2>&1)
	rc=$?
}

# execve() said ENOEXEC (the shell then tried the ELF file as a script).
noexec() {
	((rc != 0)) && [[ $(head -c 4 "$prog" | od -An -c | tr -d ' ') == 177ELF ]] &&
		grep -qi 'Syntax error\|exec format error\|cannot execute binary' <<<"$out"
}

probe
if noexec && ((${#emu[@]})) && [[ -n ${VH_EMULATE_SWITCH:-} && -z ${VH_EMULATE_OK:-} ]]; then
	# run_tests.sh's default run: emulation only when asked for.
	skip "the kernel does not execute $(basename "$cfg")'s binaries (exec format error); run_tests.sh $VH_EMULATE_SWITCH runs them under $(for q in "${emu[@]}"; do [[ $q == *=* ]] || { echo "$q"; break; }; done)"
elif noexec && ((${#emu[@]})); then
	# The emulator: the first word that is not NAME=VALUE.
	for qemu in "${emu[@]}"; do [[ $qemu == *=* ]] || break; done
	if ! command -v "$qemu" >/dev/null; then
		"$repo/scripts/need.sh" qemu-user >&2 ||
			skip "the kernel does not execute $(basename "$(dirname "$prog")")'s ELF (exec format error) and $qemu is not installed"
	fi
	echo "vma: $(basename "$cfg"): the kernel does not execute the binary (exec format error): running it under $qemu" >&2
	pre=("${emu[@]}")
	probe
fi
if ((rc == 124)); then
	skip "this machine cannot run the configuration's binaries: ${pre[*]:-$prog} did not start within 20 s"
elif noexec; then
	skip "this machine cannot run the configuration's binaries: the kernel does not execute $(basename "$(dirname "$prog")")'s ELF (exec format error)"
elif ((rc != 0)); then
	skip "this machine cannot run the configuration's binaries: $(tail -n 1 <<<"$out")"
fi
exec env "${pre[@]}" "$prog" "$@"
