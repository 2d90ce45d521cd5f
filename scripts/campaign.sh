#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# campaign.sh - run a campaign across machines on GNU parallel, and merge
# its jobs into one KTAP stream and one table.
#
# Usage: scripts/campaign.sh [OPTIONS] explore N [EXPLORER OPTIONS...]
#        scripts/campaign.sh [OPTIONS] fuzz N SECONDS [ROUNDS]
#        scripts/campaign.sh [OPTIONS] mutants [NAME...]
#
#   explore N   the explorer campaign ./vma --explore OPTIONS as N shards
#               (--shard I/N, one a job); with --schedules S, give S as a
#               multiple of N: each shard runs S/N (PCT numbers its runs
#               across the shards, so together they run the S of the
#               campaign run whole, with the same digest)
#   fuzz N S [R]  N libFuzzer jobs (build/fuzz/vma-fuzz) for S seconds in
#               R rounds (default 1) of S/R: each round every job fuzzes
#               from the shared corpus (the seeds, fuzz/corpus, and what
#               earlier rounds kept) into a corpus of its own, then
#               -merge=1 folds the jobs' corpora into the shared one
#   mutants     the mutant matrix, one mutant of scripts/mutants.list per
#               job (scripts/mutants.sh NAME: its own baseline and build)
#
# OPTIONS:
#   -S, --sshlogin LOGIN  a machine, as GNU parallel takes it: ':' the
#               local one, 'N/host' N jobs on host (repeatable; default
#               ':', as many jobs as cores).  Each machine needs this
#               repository at the same path, built as the campaign needs
#               (./vma; make FUZZ=1 for fuzz) against its tree.
#   --ssh CMD   how parallel reaches a machine (default ssh)
#   -o DIR      where the jobs' logs, the merged KTAP (campaign.ktap) and
#               the table (campaign.md) go (default build/campaign/KIND)
#
# The merged stream (scripts/campaign_merge.py) goes to stdout too; exit
# status 1 when a job failed (a scenario, a finding, a mutant not caught).
# GNU parallel is installed on first use (scripts/need.sh parallel).
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
die() { echo "campaign.sh: $*" >&2; exit 2; }
logins=()
ssh=
out=
while (($#)); do
	case $1 in
	-S|--sshlogin) logins+=(--sshlogin "${2:?}"); shift 2 ;;
	--ssh) ssh=${2:?}; shift 2 ;;
	-o) out=${2:?}; shift 2 ;;
	-h|--help) sed -n '3,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	-*) die "unknown option '$1'" ;;
	*) break ;;
	esac
done
kind=${1:-}
[[ $kind == explore || $kind == fuzz || $kind == mutants ]] ||
	die "usage: scripts/campaign.sh [OPTIONS] explore|fuzz|mutants ... (--help)"
shift
"$repo/scripts/need.sh" parallel >&2 || exit 2
((${#logins[@]})) || logins=(--sshlogin :)
par=(parallel --will-cite --halt never "${logins[@]}")
[[ -n $ssh ]] && par+=(--ssh "$ssh")
out=${out:-$repo/build/campaign/$kind}
rm -rf "$out/jobs"
mkdir -p "$out/jobs"
q() { printf '%q' "$1"; }
# Every job starts with the line the merge names its machine by.
tag='echo "# campaign: job {} on ${PARALLEL_SSHLOGIN:-:}";'

case $kind in
explore)
	n=${1:-}
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "explore N: N must be a positive number"
	shift
	args= prev=
	for a in "$@"; do
		[[ $a == --shard* ]] && die "explore: the campaign gives each job its --shard"
		# The budget is the campaign's: each shard runs its share.
		if [[ $prev == --schedules ]]; then
			[[ $a =~ ^[0-9]+$ ]] && ((a % n == 0)) ||
				die "explore: --schedules $a is not a multiple of $n"
			a=$((a / n))
		fi
		[[ $a == --schedules=* ]] && die "explore: give --schedules S as two words"
		args+=" $(q "$a")"
		prev=$a
	done
	# Each shard's output comes back on parallel's stdout, a file each.
	"${par[@]}" --results "$out/jobs/{}.log" \
		"$tag cd $(q "$repo") && ./vma --explore$args --shard {}/$n 2>&1" \
		::: $(seq 0 $((n - 1))) >/dev/null || true
	logs=()
	for i in $(seq 0 $((n - 1))); do logs+=("$out/jobs/$i.log"); done
	;;
fuzz)
	n=${1:-} secs=${2:-} rounds=${3:-1}
	[[ $n =~ ^[1-9][0-9]*$ && $secs =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ ]] ||
		die "fuzz N SECONDS [ROUNDS]: positive numbers"
	bin=$repo/build/fuzz/vma-fuzz
	[[ -x $bin ]] || die "build the target first (make FUZZ=1)"
	shared=$out/corpus
	mkdir -p "$shared" "$out/findings"
	per=$(((secs + rounds - 1) / rounds))
	for r in $(seq 1 "$rounds"); do
		# A job's corpus is a directory of its own under -o, which the
		# machines must share (NFS, say): -merge=1 reads them all here.
		rm -rf "$out/jobs/corpus"
		mkdir -p "$out/jobs/corpus"
		for j in $(seq 1 "$n"); do mkdir -p "$out/jobs/corpus/$j"; done
		"${par[@]}" --results "$out/jobs/{}.r$r.log" "$tag nice -n 19 $(q "$bin") \
			-detect_leaks=0 -dict=$(q "$repo/fuzz/ops.dict") \
			-max_total_time=$per -max_len=256 -print_final_stats=1 \
			-artifact_prefix=$(q "$out/findings")/{}- \
			$(q "$out/jobs/corpus")/{} $(q "$shared") $(q "$repo/fuzz/corpus") \
			2>&1" ::: $(seq 1 "$n") >/dev/null || true
		# Fold the jobs' new inputs into the shared corpus: what adds
		# coverage, smallest first.
		nice -n 19 "$bin" -merge=1 "$shared" "$out"/jobs/corpus/* \
			>"$out/jobs/merge.r$r.log" 2>&1 ||
			die "-merge=1 failed (log $out/jobs/merge.r$r.log)"
		echo "# campaign: fuzz round $r/$rounds: shared corpus $(find "$shared" -type f | wc -l) inputs" >&2
	done
	logs=()
	for j in $(seq 1 "$n"); do
		cat "$out"/jobs/"$j".r*.log >"$out/jobs/$j.log"
		logs+=("$out/jobs/$j.log")
	done
	;;
mutants)
	names=("$@")
	if ((!${#names[@]})); then
		mapfile -t names < <(sed -n 's/^name: *//p' "$repo/scripts/mutants.list")
	fi
	# One mutant a job: each makes its own scratch copy and builds.
	"${par[@]}" --results "$out/jobs/{}.log" \
		"$tag cd $(q "$repo") && scripts/mutants.sh {} 2>&1" \
		::: "${names[@]}" >/dev/null || true
	logs=()
	for m in "${names[@]}"; do logs+=("$out/jobs/$m.log"); done
	;;
esac

rc=0
python3 "$repo/scripts/campaign_merge.py" "$kind" "$out/campaign.md" \
	"${logs[@]}" >"$out/campaign.ktap" || rc=$?
cat "$out/campaign.ktap"
echo "# campaign: table in $out/campaign.md" >&2
exit $rc
