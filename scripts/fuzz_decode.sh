#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_decode.sh - a fuzz input as a readable sequence of operations.
#
# Usage: scripts/fuzz_decode.sh INPUT [-minimize]
#
# Runs the target (build/fuzz/vma-fuzz, make FUZZ=1) on INPUT with
# FZ_PRINT=1: the decoded operations, and for a finding the layout before
# and after the failing one as pictures.  With -minimize, first minimises
# a crashing INPUT (libFuzzer -minimize_crash=1, 60 s) into INPUT.min.
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
bin=$repo/build/fuzz/vma-fuzz
in=${1:-}
[[ -f $in ]] || { echo "fuzz_decode.sh: no input file '$in'" >&2; exit 2; }
[[ -x $bin ]] || { echo "fuzz_decode.sh: build the target first (make FUZZ=1)" >&2; exit 2; }
if [[ ${2:-} == -minimize ]]; then
	"$bin" -minimize_crash=1 -max_total_time=60 \
		-exact_artifact_path="$in.min" "$in" >/dev/null 2>&1 || true
	[[ -f $in.min ]] && in=$in.min
fi
# -detect_leaks=0: no second run of the input (libFuzzer repeats one whose
# mallocs and frees differ, as RCU-deferred frees make them).
FZ_PRINT=1 "$bin" -detect_leaks=0 "$in" 2>&1 |
	grep -v '^    #\|^INFO:\|^Running:\|^NOTE:\|Combine libFuzzer\|^Executed\|^\./\|^\*\*\*\|: Running [0-9]* inputs' || true
