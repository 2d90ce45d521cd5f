# SPDX-License-Identifier: GPL-2.0
"""Child processes that can be ended cleanly, with all they started.

Each command runs in a process group of its own, so that a Ctrl-C on the
terminal reaches only the matrix, which then ends every group it started
(stop()).  What a command started in a session of its own (tests/cli.sh
runs run_tests.sh under setsid) is found through /proc and ended too.
"""

import os
import signal
import subprocess
import threading
import time

# How long a process has after SIGTERM before SIGKILL (timeout -k 10).
GRACE = 10


def descendants(pid):
    """Every live descendant of PID, from /proc."""
    children = {}
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open(f'/proc/{d}/stat') as f:
                stat = f.read()
        except OSError:
            continue
        # The name, in parentheses, may hold spaces: fields after it.
        ppid = int(stat[stat.rindex(')') + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, ()):
            out.append(c)
            todo.append(c)
    return out


def _signal(pids, pgid, sig):
    try:
        os.killpg(pgid, sig)
    except OSError:
        pass
    for p in pids:
        try:
            os.kill(p, sig)
        except OSError:
            pass


class Procs:
    """The commands running now, and a way to end them all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._live = set()
        self.stopped = False
        self.cpu = 0.0
        self._mine = threading.local()

    def _end(self, p):
        """SIGTERM P's group and descendants, SIGKILL what is left."""
        pids = descendants(p.pid)
        _signal(pids, p.pid, signal.SIGTERM)
        try:
            p.wait(GRACE)
        except subprocess.TimeoutExpired:
            pass
        _signal(pids + descendants(p.pid), p.pid, signal.SIGKILL)

    def run(self, cmd, timeout=None, **kw):
        """Run CMD (Popen arguments in KW) in a process group of its own.

        Returns (exit status, timed out); the status is negative for a
        signal, and None if stop() was called before it could start.
        The command's CPU seconds (user+sys, with its descendants') are
        added to self.cpu; last_cpu() gives them to the calling thread.
        After TIMEOUT seconds the command and what it started are ended.
        """
        with self._lock:
            if self.stopped:
                return None, False
            p = subprocess.Popen(cmd, process_group=0,
                                 stdin=subprocess.DEVNULL, **kw)
            self._live.add(p)
        timed_out = False
        cpu = self._reap(p, timeout)
        if cpu is None:
            timed_out = True
            self._end(p)
            p.wait()
        with self._lock:
            self._live.discard(p)
            self.cpu += cpu or 0.0
        self._mine.cpu = cpu or 0.0
        return p.returncode, timed_out

    def last_cpu(self):
        """The CPU seconds of the calling thread's last run()."""
        return getattr(self._mine, 'cpu', 0.0)

    @staticmethod
    def _reap(p, timeout):
        """Wait for P (up to TIMEOUT seconds) with wait4(), which also
        gives the user+sys CPU seconds of P and of every descendant it
        waited for.  Returns them (0.0 if another thread reaped P first),
        or None on a timeout.
        """
        end = None if timeout is None else time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            except ChildProcessError:
                p.wait()
                return 0.0
            if pid:
                p.returncode = os.waitstatus_to_exitcode(st)
                return ru.ru_utime + ru.ru_stime
            if end is not None and time.monotonic() >= end:
                return None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def stop(self):
        """End every running command; no new one starts.  Returns at once."""
        with self._lock:
            self.stopped = True
            live = list(self._live)
        for p in live:
            threading.Thread(target=self._end, args=(p,),
                             daemon=True).start()


def status(rc):
    """A shell's exit status for a Popen return code (128+N for signal N)."""
    return 128 - rc if rc is not None and rc < 0 else rc


def wait_all(threads):
    """Join THREADS, waking often enough for signal handlers to run."""
    for t in threads:
        while t.is_alive():
            t.join(0.2)
