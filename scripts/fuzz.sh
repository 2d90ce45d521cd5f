#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh - run the libFuzzer target (fuzz/vma_fuzz.c) for S seconds.
#
# Usage: scripts/fuzz.sh SECONDS [make variables, e.g. KDIR=...]
#
# Builds it (make FUZZ=1, build/fuzz/vma-fuzz), runs it nice'd in one job
# from the seed corpus (fuzz/corpus, read only; new inputs go to a working
# corpus in build/fuzz/corpus), and prints the executions per second and
# any finding (the decoded operations and the layout before and after),
# whose input is kept in build/fuzz/findings/.  Exit status 1 on a finding.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
secs=${1:-}
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive number" >&2; exit 2; }
shift
make -C "$repo" -j2 FUZZ=1 "$@" >&2
bin=$repo/build/fuzz/vma-fuzz
work=$repo/build/fuzz/corpus
finds=$repo/build/fuzz/findings
mkdir -p "$work" "$finds"
log=$repo/build/fuzz/last.log
rc=0
nice -n 19 "$bin" -max_total_time="$secs" -max_len=256 \
	-artifact_prefix="$finds/" -print_final_stats=1 \
	"$work" "$repo/fuzz/corpus" >"$log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
echo "fuzz: ${runs:-?} runs in ${secs}s, ${eps:-?} exec/s, ${cov:-cov: ?} edges"
if grep -q 'FUZZ FINDING\|ERROR: AddressSanitizer\|runtime error' "$log"; then
	grep -v '^    #' "$log" | grep -A20 -m1 'FUZZ FINDING\|ERROR:\|runtime error'
	echo "fuzz: finding; input in $finds (log $log)"
	exit 1
fi
[[ $rc -eq 0 ]] || { echo "fuzz: the target exited $rc (log $log)"; exit 1; }
echo "fuzz: no finding"
