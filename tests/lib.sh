# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the shell tests of tests/ share (sourced by cli.sh and intree.sh):
# KTAP results and the closing line.  SUITE names the suite (cli, intree).

n=0 passed=0 failed=0 skipped=0

# result NAME yes|no|skip WHY: one KTAP result line, SUITE.NAME; WHY is the
# diagnostic of a failure or the reason of a skip.
result() {
	local name=$1 ok=$2 why=$3

	n=$((n + 1))
	if [[ $ok == skip ]]; then
		echo "ok $n $SUITE.$name # SKIP $why"
		skipped=$((skipped + 1))
	elif [[ $ok == yes ]]; then
		echo "ok $n $SUITE.$name"
		passed=$((passed + 1))
	else
		echo "    # $why"
		echo "not ok $n $SUITE.$name"
		failed=$((failed + 1))
	fi
}

# The closing line, and the exit status: 0 if nothing failed.
summary() {
	echo "vma: $passed passed, $failed failed, $skipped skipped"
	((failed == 0))
}
