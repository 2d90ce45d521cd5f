#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh - run the libFuzzer target (fuzz/vma_fuzz.c) for S seconds.
#
# Usage: scripts/fuzz.sh SECONDS [--fresh] [--no-cov] [make variables, e.g. KDIR=...]
#
# Builds it (make FUZZ=1, build/fuzz/vma-fuzz), runs it nice'd in one job
# from the seed corpus (fuzz/corpus, generated from the tables by
# scripts/fuzz_seeds.py; read only: new inputs go to a working corpus in
# build/fuzz/corpus, which --fresh empties first), and prints the
# executions per second, the coverage of the tree's mm/vma.c that the
# corpus reaches (lines and branches, scripts/fuzz_cov.sh; not with
# --no-cov) and any finding (the decoded operations and the layout before
# and after), whose input is kept in build/fuzz/findings/, and how often
# each known kernel warning came (fz_known[], README "Findings on clean
# trees").  Exit status 1 on a finding.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
secs=${1:-}
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive number" >&2; exit 2; }
shift
fresh=0 cov=1
while [[ $# -gt 0 && $1 == --* ]]; do
	case $1 in
	--fresh) fresh=1 ;;
	--no-cov) cov=0 ;;
	*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done
# A seed corpus older than the tables still runs; say so.
python3 "$repo/scripts/fuzz_seeds.py" --check "$repo" || true
make -C "$repo" -j2 FUZZ=1 "$@" >&2
bin=$repo/build/fuzz/vma-fuzz
work=$repo/build/fuzz/corpus
finds=$repo/build/fuzz/findings
((fresh)) && rm -rf "$work"
mkdir -p "$work" "$finds"
log=$repo/build/fuzz/last.log
rc=0
# -detect_leaks=0: LeakSanitizer checks once, at the end, not after every
# input whose mallocs and frees differ (every input: RCU defers frees),
# each check stopping the world: 10 times the executions per second.
# -dict: the seeds' operations, so that mutations insert whole ones.
nice -n 19 "$bin" -detect_leaks=0 -dict="$repo/fuzz/ops.dict" \
	-max_total_time="$secs" -max_len=256 \
	-artifact_prefix="$finds/" -print_final_stats=1 \
	"$work" "$repo/fuzz/corpus" >"$log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
echo "fuzz: ${runs:-?} runs in ${secs}s, ${eps:-?} exec/s, ${edges:-cov: ?} edges"
# Known kernel warnings (fuzz/vma_fuzz.c's fz_known[]): counted, not findings.
sed -n 's/^FUZZ KNOWN: /fuzz: known kernel warning, not a finding again: /p' "$log"
if grep -q 'FUZZ FINDING\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error' "$log"; then
	grep -v '^    #' "$log" | grep -A20 -m1 'FUZZ FINDING\|ERROR:\|runtime error'
	echo "fuzz: finding; input in $finds (log $log)"
	exit 1
fi
[[ $rc -eq 0 ]] || { echo "fuzz: the target exited $rc (log $log)"; exit 1; }
((cov)) && "$repo/scripts/fuzz_cov.sh" "$work" "$repo/fuzz/corpus" "$@"
echo "fuzz: no finding"
