# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the shell tests of tests/ share (sourced by cli.sh and intree.sh):
# KTAP results and the closing line.  SUITE names the suite (cli, intree).
#
# The plan is counted, not written by hand: header lines and results are
# kept until summary(), which prints "KTAP version 1", the header, "1..N"
# for the N results given, the results and the closing line.

n=0 passed=0 failed=0 skipped=0
ktap_head=() ktap_body=()

# header LINE: a "# LINE" diagnostic before the plan.
header() {
	ktap_head+=("# $1")
}

# diag LINE: a "# LINE" diagnostic among the results.
diag() {
	ktap_body+=("# $1")
}

# result NAME yes|no|skip WHY: one KTAP result line, SUITE.NAME; WHY is the
# diagnostic of a failure or the reason of a skip.
result() {
	local name=$1 ok=$2 why=$3

	n=$((n + 1))
	if [[ $ok == skip ]]; then
		ktap_body+=("ok $n $SUITE.$name # SKIP $why")
		skipped=$((skipped + 1))
	elif [[ $ok == yes ]]; then
		ktap_body+=("ok $n $SUITE.$name")
		passed=$((passed + 1))
	else
		ktap_body+=("    # $why" "not ok $n $SUITE.$name")
		failed=$((failed + 1))
	fi
}

# The KTAP, the closing line, and the exit status: 0 if nothing failed.
summary() {
	echo "KTAP version 1"
	((${#ktap_head[@]} == 0)) || printf '%s\n' "${ktap_head[@]}"
	echo "1..$n"
	((${#ktap_body[@]} == 0)) || printf '%s\n' "${ktap_body[@]}"
	echo "vma: $passed passed, $failed failed, $skipped skipped"
	((failed == 0))
}
