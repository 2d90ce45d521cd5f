// SPDX-License-Identifier: GPL-2.0
/*
 * ./vma --torture [--threads N] [--seconds S]: free-running stress of the
 * real lock code.  N reader threads look up random addresses with
 * lock_vma_under_rcu() (and vma_start_read_unlocked() where the tree has
 * it), check that the VMA they hold stays put until vma_end_read(), and
 * release it; a writer thread maps, unmaps, splits and merges through
 * mm/vma.c under mmap_write_lock().  Prints progress every second, then the
 * VMA_LOCK_* totals and the distribution of retries per lookup: how often a
 * reader has to try again before lock_vma_under_rcu() gives it a VMA that
 * is there (the question the seed series' reviewers asked).
 *
 * Output is KTAP with one test, "torture", which fails on any contract
 * violation or kernel WARN.  A watchdog (--timeout, default 30 s) fails it
 * when the writer or a reader makes no progress for that long (a hang or a
 * lost wake-up), and ends the program, whose threads cannot be joined.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../env/report.h"
#include "../env/env.h"
#include "../kunit/ktap.h"
#include "../kunit/mode.h"
#include "../kunit/test.h"
#include "../vma/vma.h"
#include "../env/room.h"

VH_ROOM(modes, "vma kunit env",
	"the other run modes: torture (--torture), bench (--bench)");

#define TT_PAGES	64		/* the window the threads work in */
#define TT_HIST		4096		/* retries histogram buckets */
#define TT_GIVE_UP	1000000		/* a lookup retrying this often: livelock */

struct tt_reader {
	struct vh_thread *thread;
	unsigned long lookups, found, empty, retries, violations;
	unsigned long hist[TT_HIST + 1];
	unsigned long max_retries;
	unsigned int seed;
};

static struct mm_struct *tt_mm;
static int tt_stop;
static unsigned long tt_writer_ops;
static bool tt_use_unlocked;
static int tt_threads_done;


static unsigned int tt_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static struct vm_area_struct *tt_lock(unsigned long addr, bool unlocked)
{
	if (unlocked)
		return vh_start_read_unlocked(tt_mm, addr);
	return lock_vma_under_rcu(tt_mm, addr);
}

/* Is @addr mapped right now?  (The answer may be stale at once.) */
static bool tt_mapped(unsigned long addr)
{
	bool mapped;

	mmap_read_lock(tt_mm);
	mapped = vma_lookup(tt_mm, addr) != NULL;
	mmap_read_unlock(tt_mm);
	return mapped;
}

static void tt_check(struct tt_reader *r, struct vm_area_struct *vma,
		     unsigned long addr)
{
	struct vh_vma_snap held, now;
	int i;

	vh_vma_snap(vma, &held);
	if (addr < held.start || addr >= held.end || held.mm != tt_mm ||
	    !vma_is_attached(vma))
		r->violations++;
	for (i = 0; i < 4; i++) {
		sched_yield();
		vh_vma_snap(vma, &now);
		if (!vh_vma_snap_same(&held, &now)) {
			r->violations++;
			vh_diag("VMA changed under its reader: [%#lx-%#lx) -> [%#lx-%#lx)",
				held.start, held.end, now.start, now.end);
			break;
		}
	}
}

static void tt_reader_fn(void *arg)
{
	struct tt_reader *r = arg;
	bool unlocked = false;

	while (!__atomic_load_n(&tt_stop, __ATOMIC_RELAXED)) {
		unsigned long addr = VH_BASE + VH_PG(tt_rand(&r->seed) %
						     TT_PAGES);
		unsigned long tries = 0;
		struct vm_area_struct *vma;

		unlocked = tt_use_unlocked && !unlocked;
		__atomic_store_n(&r->lookups, r->lookups + 1, __ATOMIC_RELAXED);
		for (;;) {
			vma = tt_lock(addr, unlocked);
			if (vma)
				break;
			/* Nothing there is an answer, not a retry. */
			if (!tt_mapped(addr) || tries >= TT_GIVE_UP)
				break;
			tries++;
			count_vm_event(VMA_LOCK_RETRY);
		}
		if (tries >= TT_GIVE_UP)
			r->violations++;
		r->retries += tries;
		if (tries > r->max_retries)
			r->max_retries = tries;
		r->hist[tries < TT_HIST ? tries : TT_HIST]++;
		if (!vma) {
			r->empty++;
			continue;
		}
		count_vm_event(VMA_LOCK_SUCCESS);
		r->found++;
		tt_check(r, vma, addr);
		vma_end_read(vma);
	}
	__atomic_fetch_add(&tt_threads_done, 1, __ATOMIC_RELEASE);
}

static void tt_writer_fn(void *arg)
{
	unsigned int seed = *(unsigned int *)arg;

	while (!__atomic_load_n(&tt_stop, __ATOMIC_RELAXED)) {
		unsigned long s = tt_rand(&seed) % TT_PAGES;
		unsigned long e = s + 1 + tt_rand(&seed) % 8;

		if (e > TT_PAGES)
			e = TT_PAGES;
		mmap_write_lock(tt_mm);
		switch (tt_rand(&seed) % 4) {
		case 0:
		case 1:
			vh_unmap(tt_mm, VH_BASE + VH_PG(s), VH_BASE + VH_PG(e));
			vh_map(tt_mm, VH_BASE + VH_PG(s), VH_BASE + VH_PG(e),
			       tt_rand(&seed) & 1 ? VH_RW : VH_RO);
			break;
		case 2:
			vh_unmap(tt_mm, VH_BASE + VH_PG(s), VH_BASE + VH_PG(e));
			break;
		case 3:
			if (vma_lookup(tt_mm, VH_BASE + VH_PG(s)) &&
			    vma_lookup(tt_mm, VH_BASE + VH_PG(s))->vm_end >=
			    VH_BASE + VH_PG(e))
				vh_protect(tt_mm, VH_BASE + VH_PG(s),
					   VH_BASE + VH_PG(e),
					   tt_rand(&seed) & 1 ? VH_PROT_RW :
					   VH_PROT_RO);
			break;
		}
		mmap_write_unlock(tt_mm);
		__atomic_fetch_add(&tt_writer_ops, 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&tt_threads_done, 1, __ATOMIC_RELEASE);
}

static void tt_hung(struct tt_reader *readers, unsigned long threads,
		    unsigned long secs) __attribute__((noreturn));

/*
 * The watchdog: has every thread (the writer, each reader) made progress
 * since the last look (@last, updated)?  Else for how many seconds not
 * (@stuck), and fail the run after vh_opts.timeout_s.
 */
static void tt_watchdog(struct tt_reader *readers, unsigned long threads,
			unsigned long *last, unsigned long *stuck)
{
	unsigned long i, now;
	bool moved = true;

	for (i = 0; i <= threads; i++) {
		now = i < threads ?
			__atomic_load_n(&readers[i].lookups, __ATOMIC_RELAXED) :
			__atomic_load_n(&tt_writer_ops, __ATOMIC_RELAXED);
		if (now == last[i])
			moved = false;
		last[i] = now;
	}
	*stuck = moved ? 0 : *stuck + 1;
	if (*stuck >= vh_opts.timeout_s)
		tt_hung(readers, threads, *stuck);
}

static void tt_hung(struct tt_reader *readers, unsigned long threads,
		    unsigned long secs)
{
	unsigned long i;

	vh_diag("watchdog: torture: a thread made no progress for %lus (hang or lost wake-up): writer ops %lu",
		secs, __atomic_load_n(&tt_writer_ops, __ATOMIC_RELAXED));
	for (i = 0; i < threads; i++)
		vh_diag("watchdog: reader %lu: %lu lookups", i,
			__atomic_load_n(&readers[i].lookups, __ATOMIC_RELAXED));
	vh_ktap_result(VH_KTAP_FAIL, "torture", "TIMEOUT");
	_exit(vh_ktap_end());
}

/* The retries that @q of the lookups needed at most. */
static unsigned long tt_quantile(const unsigned long *hist, unsigned long n,
				 double q)
{
	unsigned long want = (unsigned long)(q * n), seen = 0;
	int i;

	for (i = 0; i <= TT_HIST; i++) {
		seen += hist[i];
		if (seen > want || (seen == n && n))
			return i;
	}
	return TT_HIST;
}

static int vh_torture(char **args __always_unused, int nr_args __always_unused)
{
	unsigned long threads = vh_opts.threads, seconds = vh_opts.seconds;
	struct tt_reader *readers = calloc(threads, sizeof(*readers));
	unsigned long hist[TT_HIST + 1] = { 0 };
	unsigned long lookups = 0, found = 0, empty = 0, retries = 0;
	unsigned long violations = 0, max = 0, last = 0;
	unsigned int wseed = vh_seed();
	struct vh_thread *writer;
	unsigned long i, s, stuck = 0, *seen;
	int j;

	if (!readers || !threads) {
		fprintf(stderr, "vma: --threads must be at least 1\n");
		return 2;
	}
	seen = calloc(threads + 1, sizeof(*seen));
	if (!seen)
		abort();
	tt_use_unlocked = VH_UNLOCKED_SKIP == NULL;
	vh_ktap_begin(1);
	printf("# torture: %lu reader(s), 1 writer, %lu s, seed %lu, readers use %s\n",
	       threads, seconds, vh_seed(),
	       tt_use_unlocked ? "lock_vma_under_rcu() and vma_start_read_unlocked()"
			       : "lock_vma_under_rcu()");
	tt_mm = vh_mm_new();
	vh_vm_events_reset();
	mmap_write_lock(tt_mm);
	vh_map(tt_mm, VH_BASE, VH_BASE + VH_PG(TT_PAGES), VH_RW);
	mmap_write_unlock(tt_mm);

	for (i = 0; i < threads; i++) {
		readers[i].seed = vh_seed() * 2654435761u + i;
		readers[i].thread = vh_thread_start(tt_reader_fn, &readers[i]);
	}
	writer = vh_thread_start(tt_writer_fn, &wseed);
	for (s = 1; s <= seconds; s++) {
		struct timespec one = { 1, 0 };
		unsigned long now = 0;

		nanosleep(&one, NULL);
		for (i = 0; i < threads; i++)
			now += __atomic_load_n(&readers[i].lookups,
					       __ATOMIC_RELAXED);
		printf("# %3lus: %lu lookups/s, writer ops %lu, success %lu abort %lu retry %lu miss %lu\n",
		       s, now - last,
		       __atomic_load_n(&tt_writer_ops, __ATOMIC_RELAXED),
		       vh_vm_event(VMA_LOCK_SUCCESS),
		       vh_vm_event(VMA_LOCK_ABORT),
		       vh_vm_event(VMA_LOCK_RETRY),
		       vh_vm_event(VMA_LOCK_MISS));
		fflush(stdout);
		last = now;
		tt_watchdog(readers, threads, seen, &stuck);
	}
	__atomic_store_n(&tt_stop, 1, __ATOMIC_RELAXED);
	/* The threads stop within the watchdog's time, or never will. */
	for (stuck = 0; __atomic_load_n(&tt_threads_done, __ATOMIC_ACQUIRE) <
	     (int)threads + 1; ) {
		struct timespec tick = { 0, 10000000 };

		nanosleep(&tick, NULL);
		if (++stuck >= 100UL * vh_opts.timeout_s)
			tt_hung(readers, threads, vh_opts.timeout_s);
	}
	free(seen);
	vh_thread_join(writer);
	for (i = 0; i < threads; i++) {
		struct tt_reader *r = &readers[i];

		vh_thread_join(r->thread);
		lookups += r->lookups;
		found += r->found;
		empty += r->empty;
		retries += r->retries;
		violations += r->violations;
		if (r->max_retries > max)
			max = r->max_retries;
		for (j = 0; j <= TT_HIST; j++)
			hist[j] += r->hist[j];
	}
	printf("# lookups %lu (found %lu, nothing mapped %lu), writer ops %lu\n",
	       lookups, found, empty, tt_writer_ops);
	printf("# VMA_LOCK_SUCCESS %lu VMA_LOCK_ABORT %lu VMA_LOCK_RETRY %lu VMA_LOCK_MISS %lu\n",
	       vh_vm_event(VMA_LOCK_SUCCESS), vh_vm_event(VMA_LOCK_ABORT),
	       vh_vm_event(VMA_LOCK_RETRY), vh_vm_event(VMA_LOCK_MISS));
	printf("# retries per lookup: total %lu, max %lu, p50 %lu, p99 %lu, p99.9 %lu\n",
	       retries, max, tt_quantile(hist, lookups, 0.5),
	       tt_quantile(hist, lookups, 0.99),
	       tt_quantile(hist, lookups, 0.999));
	printf("# contract violations %lu\n", violations);
	if (violations)
		vh_report("TORTURE", __FILE__, __LINE__,
			  "%lu contract violation(s)", violations);
	vh_mm_clear(tt_mm);
	vh_mm_put(tt_mm);
	free(readers);
	if (vh_test_failed()) {
		vh_ktap_result(VH_KTAP_FAIL, "torture", NULL);
		return vh_ktap_end();
	}
	vh_ktap_result(VH_KTAP_PASS, "torture", NULL);
	vh_env_exit();
	return vh_ktap_end();
}

static struct vh_mode torture_mode = {
	.name = "torture",
	.usage =
"      --torture        free-running stress: --threads readers against a\n"
"                       mapping writer for --seconds\n",
	.run = vh_torture,
};
VH_MODE(torture_mode);
