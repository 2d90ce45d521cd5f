#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A campaign across two machines (scripts/campaign.sh on GNU parallel)
# gives what the campaign run whole on one gives: two "hosts" that are
# both this machine, the local one (':') and one reached through a
# stand-in for ssh that runs the command here, share an explorer campaign
# as shards, and the merged result must name the same scenarios with the
# same results, schedules, distinct schedules and digest as the single
# run, for PCT and for DFS; and both hosts must have run a shard.
#
# Usage: tests/campaign.sh [VMA] (default ./vma); not part of the default
# run (it runs the explorer three times per strategy: about 10 s).
# Output is KTAP with the closing "vma: N passed, M failed, K skipped".
set -uo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
vma=${1:-$repo/vma}
work=$(mktemp -d "${TMPDIR:-/tmp}/vma-campaign.XXXXXX")
trap 'rm -rf "$work"' EXIT

SUITE=campaign
# shellcheck source=tests/lib.sh
. "$repo/tests/lib.sh"

# The second host: ssh as parallel calls it ("ssh [OPTIONS] HOST --
# COMMAND..."), the command run here by the shell, as sshd would.
cat >"$work/ssh" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
	case $1 in
	-o|-l|-p|-i|-F) shift 2 ;;
	-*) shift ;;
	*) break ;;
	esac
done
shift
[ "${1:-}" = -- ] && shift
exec sh -c "$*"
EOF
chmod +x "$work/ssh"

if [[ ! -x $vma ]]; then
	result build skip "no $vma (make first)"
	summary
	exit
fi
if ! "$repo/scripts/need.sh" parallel 2>"$work/need.err"; then
	result parallel skip "$(tail -n 1 "$work/need.err")"
	summary
	exit
fi

# The per-scenario lines of a whole run and of a merged one: name,
# schedules, distinct, digest; then the results.  PCT's distinct schedules
# add up over the shards only to a bound: $1 = pct leaves them out.
sums() {
	local strat=$1 f=$2 d='\3 '

	[[ $strat == pct ]] && d=
	sed -n "s/^# \([a-z_.]*\): [a-z]* .*: \([0-9]*\) schedules (\([0-9]*\) distinct[^)]*).*digest \([0-9a-f]*\)\$/\1 \2 $d\4/p" "$f"
	grep -E '^(not )?ok [0-9]+ ' "$f" | sed 's/^\(not ok\|ok\) [0-9]* /\1 /'
	sed -n "s/^# explore: \([0-9]*\) schedules (\([0-9]*\) distinct[^)]*).*digest \([0-9a-f]*\)\$/total \1 ${d/3/2}\3/p" "$f"
}

# A few scenarios; the campaign gives each of the two shards half the
# budget (PCT numbers its runs across the shards).
pat='reader_vs_*'
for strat in pct dfs; do
	if [[ $strat == pct ]]; then
		args=(--strategy pct --schedules 200 --seed 7)
	else
		# DFS to the end of its bound: the shards' budgets never bite.
		args=(--strategy dfs --preemptions 1 --schedules 100000)
	fi
	"$vma" --explore "$pat" "${args[@]}" >"$work/whole.$strat" 2>&1
	sums $strat "$work/whole.$strat" >"$work/whole.$strat.sum"
	"$repo/scripts/campaign.sh" -o "$work/c.$strat" \
		--ssh "$work/ssh" -S 1/: -S 1/second-host \
		explore 2 "$pat" "${args[@]}" >"$work/merged.$strat" 2>&1
	sums $strat "$work/merged.$strat" >"$work/merged.$strat.sum"
	if [[ ! -s $work/whole.$strat.sum ]]; then
		result "${strat}_same_as_whole" no "the whole run printed no scenario: $(tail -n 1 "$work/whole.$strat")"
	elif diff -u "$work/whole.$strat.sum" "$work/merged.$strat.sum" >"$work/diff" 2>&1; then
		result "${strat}_same_as_whole" yes ""
		diag "$strat: $(tail -n 1 "$work/merged.$strat.sum")"
	else
		result "${strat}_same_as_whole" no "merged != whole: $(grep '^[-+][^-+]' "$work/diff" | head -4 | tr '\n' ';')"
	fi
	hosts=$(sed -n 's/^# campaign: job [0-9]* on \(.*\)$/\1/p' "$work"/c.$strat/jobs/*.log | sort -u | tr '\n' ' ')
	if [[ $hosts == ": second-host " ]]; then
		result "${strat}_both_hosts" yes ""
	else
		result "${strat}_both_hosts" no "the shards ran on '$hosts', not on both ':' and 'second-host'"
	fi
done
summary
