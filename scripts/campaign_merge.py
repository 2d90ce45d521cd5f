#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge the jobs of a campaign (scripts/campaign.sh) into one KTAP stream
and one table.

Usage: scripts/campaign_merge.py explore|fuzz|mutants OUT JOBLOG...

OUT is where the table goes (Markdown, one row per scenario, fuzz job or
mutant); the KTAP stream goes to stdout, ending with the line
"vma: N passed, M failed, K skipped".  Each JOBLOG is the whole output of
one job.

explore: each job is one shard (./vma --explore --shard I/N).  A scenario
passes when it passes in every shard; its schedules and distinct
schedules are the sums over the shards (for PCT, whose shards may draw
the same schedule, the distinct ones add up to a bound), its digest the
sum of theirs
(the explorer's digest adds up: shared/explore/internal.h), so that a
campaign over N shards has the digest of the same campaign run whole.
fuzz: each job is one libFuzzer run (its log); mutants: each job is one
scripts/mutants.sh NAME (its "mutant NAME (MODE): VERDICT" line).
"""

import re
import sys

MASK = (1 << 64) - 1
RESULT = re.compile(r'^(not ok|ok) \d+ (\S+)(?: # (.*))?$')
EXPLORED = re.compile(r'^# (\S+): (\w+) (.*?): (\d+) schedules \((\d+) distinct, '
                      r'(\d+) more run\) in ([\d.]+)s.*digest ([0-9a-f]{16})$')
SHARD = re.compile(r'^# explore: .*shard (\d+)/(\d+)')
HOST = re.compile(r'^# campaign: job (\S+) on (\S+)')


def ktap(results, what):
    """Print RESULTS [(ok, name, directive, diags)] as one KTAP stream."""
    print('KTAP version 1')
    print('# campaign: %s' % what)
    print('1..%d' % len(results))
    p = f = s = 0
    for i, (res, name, directive, diags) in enumerate(results, 1):
        for d in diags:
            print('# ' + d)
        line = '%s %d %s' % ('ok' if res != 'fail' else 'not ok', i, name)
        if res == 'skip':
            line += ' # SKIP ' + (directive or '')
            s += 1
        elif res == 'fail':
            f += 1
        else:
            p += 1
        print(line)
    print('# campaign: pass:%d fail:%d skip:%d total:%d' % (p, f, s, p + f + s))
    print('vma: %d passed, %d failed, %d skipped' % (p, f, s))
    return 1 if f else 0


def explore(out, logs):
    scen, order, shards, hosts, total = {}, [], set(), {}, None
    for log in logs:
        shard = None
        host = '?'
        for line in open(log, errors='replace'):
            line = line.rstrip('\n')
            m = HOST.match(line)
            if m:
                host = m.group(2)
            m = SHARD.match(line)
            if m:
                shard = int(m.group(1))
                shards.add(shard)
                total = int(m.group(2))
                hosts[shard] = host
                continue
            m = EXPLORED.match(line)
            if m:
                name = m.group(1)
                if name not in scen:
                    scen[name] = dict(runs=0, distinct=0, digest=0, secs=0.0,
                                      how='%s %s' % (m.group(2), m.group(3)),
                                      res=[], diags=[], shards=0)
                    order.append(name)
                s = scen[name]
                s['runs'] += int(m.group(4))
                s['distinct'] += int(m.group(5))
                s['digest'] = (s['digest'] + int(m.group(8), 16)) & MASK
                s['secs'] = max(s['secs'], float(m.group(7)))
                s['shards'] += 1
                continue
            m = RESULT.match(line)
            if m and m.group(2) in scen or (m and m.group(3) and 'SKIP' in m.group(3)):
                name = m.group(2)
                if name not in scen:
                    scen[name] = dict(runs=0, distinct=0, digest=0, secs=0.0,
                                      how='', res=[], diags=[], shards=0)
                    order.append(name)
                r = 'fail' if m.group(1) == 'not ok' else \
                    'skip' if m.group(3) and 'SKIP' in m.group(3) else 'pass'
                scen[name]['res'].append(r)
                if r == 'skip':
                    scen[name]['skip'] = m.group(3)[5:].strip()
            elif 'reproduce:' in line and order:
                scen[order[-1]]['diags'].append(
                    'shard %s: %s' % (shard, line.lstrip('# ')))
    if total is None or shards != set(range(total)):
        print('campaign_merge.py: explore: shards %s of %s: a shard is missing'
              % (sorted(shards), total), file=sys.stderr)
        return 2
    results, digest, runs, distinct = [], 0, 0, 0
    rows = ['| scenario | shards | schedules | distinct | digest | slowest shard | result |',
            '| --- | --- | --- | --- | --- | --- | --- |']
    for name in order:
        s = scen[name]
        res = 'fail' if 'fail' in s['res'] else \
            'skip' if s['res'] and all(r == 'skip' for r in s['res']) else \
            'pass' if len(s['res']) == total else 'fail'
        diags = list(s['diags'])
        if res != 'skip':
            # A DFS schedule is one shard's; PCT's shards may draw the
            # same schedule: their distinct ones only add up to a bound.
            diags.insert(0, '%s: %s: %d schedules (%d distinct%s) over %d shards, digest %016x'
                         % (name, s['how'], s['runs'], s['distinct'],
                            '' if s['how'].startswith('dfs') or total == 1
                            else ' at most',
                            s['shards'], s['digest']))
        results.append((res, name, s.get('skip'), diags))
        digest = (digest + s['digest']) & MASK
        runs += s['runs']
        distinct += s['distinct']
        rows.append('| %s | %d | %d | %d | %016x | %.2f s | %s |' %
                    (name, s['shards'], s['runs'], s['distinct'], s['digest'],
                     s['secs'], res))
    rows.append('| all | %d | %d | %d | %016x | | |' % (total, runs, distinct,
                                                       digest))
    open(out, 'w').write('\n'.join(rows) + '\n')
    what = 'explore, %d shards (%s)' % (total, ', '.join(
        '%d on %s' % (k, hosts[k]) for k in sorted(hosts)))
    rc = ktap(results, what)
    print('# explore: %d schedules (%d distinct%s) over %d shards, digest %016x'
          % (runs, distinct, '' if total == 1 or all(scen[n]['how'].startswith('dfs')
                                       for n in order) else ' at most',
             total, digest))
    return rc


def job_of(text, log):
    """The job name and host a campaign log's header names."""
    job = re.search(r'^# campaign: job (\S+) on (\S+)', text, re.M)
    return (job.group(1), job.group(2)) if job else (log, '?')


def fuzz(out, logs):
    results = []
    rows = ['| job | host | runs | exec/s | edges | corpus | result |',
            '| --- | --- | --- | --- | --- | --- | --- |']
    for log in logs:
        text = open(log, errors='replace').read()
        name, host = job_of(text, log)
        runs = re.findall(r'stat::number_of_executed_units: *(\d+)', text)
        eps = re.findall(r'stat::average_exec_per_sec: *(\d+)', text)
        cov = re.findall(r'cov: (\d+) ft: \d+ corp: (\d+)', text)
        found = re.search(r'FUZZ FINDING: (.*)|ERROR: (\w+Sanitizer.*)|'
                          r'(runtime error: .*)', text)
        res = 'fail' if found or not runs else 'pass'
        # A job's log holds its rounds one after the other.
        runs = [str(sum(int(x) for x in runs))] if runs else []
        eps = [str(sum(int(x) for x in eps) // len(eps))] if eps else []
        diags = ['fuzz job %s (on %s): %s runs, %s exec/s, %s edges' %
                 (name, host, runs[-1] if runs else '?',
                  eps[-1] if eps else '?', cov[-1][0] if cov else '?')]
        if found:
            diags.append('finding: ' + next(g for g in found.groups() if g))
        results.append((res, 'fuzz.' + name, None, diags))
        rows.append('| %s | %s | %s | %s | %s | %s | %s |' %
                    (name, host, runs[-1] if runs else '?',
                     eps[-1] if eps else '?', cov[-1][0] if cov else '?',
                     cov[-1][1] if cov else '?',
                     'finding' if found else 'clean' if runs else 'no stats'))
    open(out, 'w').write('\n'.join(rows) + '\n')
    return ktap(results, 'fuzz, %d jobs' % len(logs))


def mutants(out, logs):
    results = []
    rows = ['| mutant | mode | host | verdict | make && ./vma |',
            '| --- | --- | --- | --- | --- |']
    for log in logs:
        text = open(log, errors='replace').read()
        name, host = job_of(text, log)
        m = re.search(r'^mutant (\S+) \((\S+)\): (.*?)(?: \(make && \./vma: '
                      r'([\d.]+)s\))?$', text, re.M)
        if not m:
            tail = [x for x in text.splitlines() if x.strip()][-1:] or ['no output']
            results.append(('fail', 'mutants.' + name, None,
                            ['mutant %s (on %s): no verdict: %s' %
                             (name, host, tail[0])]))
            rows.append('| %s | ? | %s | no verdict | |' % (name, host))
            continue
        verdict = m.group(3)
        ok = verdict.startswith('caught')
        results.append(('pass' if ok else 'fail', 'mutants.' + m.group(1),
                        None, ['mutant %s (%s, on %s): %s' %
                               (m.group(1), m.group(2), host, verdict)]))
        rows.append('| %s | %s | %s | %s | %s s |' %
                    (m.group(1), m.group(2), host, verdict.split(':')[0],
                     m.group(4) or '?'))
    open(out, 'w').write('\n'.join(rows) + '\n')
    return ktap(results, 'mutants, %d jobs' % len(logs))


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ('explore', 'fuzz', 'mutants'):
        print(__doc__.strip().split('\n\n')[1], file=sys.stderr)
        return 2
    return globals()[sys.argv[1]](sys.argv[2], sys.argv[3:])


if __name__ == '__main__':
    sys.exit(main())
