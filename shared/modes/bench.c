// SPDX-License-Identifier: GPL-2.0
/*
 * ./vma --bench [--threads N] [--seconds S]: what the read side costs.  Not
 * a test: figures.  Build with `make BENCH=1` (-O2, no sanitizers).
 *
 *  1. Single thread, one VMA: lock_vma_under_rcu() + vma_end_read() against
 *     mmap_read_lock() + vma_lookup() + mmap_read_unlock(), and against the
 *     physical floor, an atomic increment/decrement pair on one line.
 *  2. N reader threads on their own VMAs while a writer maps and unmaps
 *     elsewhere in the same mm under mmap_write_lock(): per-VMA locks keep
 *     readers running while the mmap_lock writer works; mmap_lock readers
 *     queue behind it.
 *
 * mmap_lock is the harness's rwsem model (a pthread mutex and condition
 * variable), not the kernel's rwsem: the figures compare the two read paths
 * in this environment, they are not kernel numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../env/report.h"
#include "../env/env.h"
#include "../kunit/mode.h"
#include "../kunit/test.h"
#include "../vma/vma.h"

static double bn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

enum bn_path { PER_VMA, MMAP_LOCK };

static struct mm_struct *bn_mm;
static int bn_stop;

static inline void bn_read(enum bn_path path, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (path == PER_VMA) {
		/* The kernel's own, not the contract-checking wrappers. */
		vma = (lock_vma_under_rcu)(bn_mm, addr);
		if (vma)
			(vma_end_read)(vma);
		else
			count_vm_event(VMA_LOCK_RETRY);
	} else {
		mmap_read_lock(bn_mm);
		vma = vma_lookup(bn_mm, addr);
		mmap_read_unlock(bn_mm);
	}
	__asm__ volatile("" : : "r"(vma) : "memory");
}

static double bn_single(enum bn_path path, unsigned long iters)
{
	double t0 = bn_now();
	unsigned long i;

	for (i = 0; i < iters; i++)
		bn_read(path, VH_BASE);
	return (bn_now() - t0) * 1e9 / iters;
}

static double bn_floor(unsigned long iters)
{
	static atomic_t line __attribute__((aligned(64)));
	double t0 = bn_now();
	unsigned long i;

	for (i = 0; i < iters; i++) {
		__atomic_fetch_add(&line.counter, 1, __ATOMIC_ACQUIRE);
		__atomic_fetch_sub(&line.counter, 1, __ATOMIC_RELEASE);
	}
	return (bn_now() - t0) * 1e9 / iters;
}

struct bn_reader {
	struct vh_thread *t;
	enum bn_path path;
	unsigned long addr, ops;
};

static void bn_reader_fn(void *arg)
{
	struct bn_reader *r = arg;

	while (!__atomic_load_n(&bn_stop, __ATOMIC_RELAXED)) {
		bn_read(r->path, r->addr);
		r->ops++;
	}
}

static unsigned long bn_writer_ops;

static void bn_writer_fn(void *arg __always_unused)
{
	unsigned long far = VH_BASE + VH_PG(1024);

	while (!__atomic_load_n(&bn_stop, __ATOMIC_RELAXED)) {
		mmap_write_lock(bn_mm);
		vh_map(bn_mm, far, far + VH_PG(4), VH_RW);
		vh_unmap(bn_mm, far, far + VH_PG(4));
		mmap_write_unlock(bn_mm);
		bn_writer_ops++;
	}
}

static double bn_threads(enum bn_path path, unsigned long n, double secs,
			 bool writer, unsigned long *wops)
{
	struct bn_reader *r = calloc(n, sizeof(*r));
	struct vh_thread *w = NULL;
	struct timespec ts = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };
	unsigned long i, ops = 0;
	double t0;

	bn_stop = 0;
	bn_writer_ops = 0;
	for (i = 0; i < n; i++) {
		r[i].path = path;
		r[i].addr = VH_BASE + VH_PG(4 * i);
		r[i].t = vh_thread_start(bn_reader_fn, &r[i]);
	}
	if (writer)
		w = vh_thread_start(bn_writer_fn, NULL);
	t0 = bn_now();
	nanosleep(&ts, NULL);
	__atomic_store_n(&bn_stop, 1, __ATOMIC_RELAXED);
	t0 = bn_now() - t0;
	if (w)
		vh_thread_join(w);
	for (i = 0; i < n; i++) {
		vh_thread_join(r[i].t);
		ops += r[i].ops;
	}
	free(r);
	if (wops)
		*wops = bn_writer_ops;
	return ops / t0;
}

static int vh_bench(char **args __always_unused, int nr_args __always_unused)
{
	unsigned long threads = vh_opts.threads, seconds = vh_opts.seconds;
	const unsigned long iters = 2000000;
	double pv, ml, fl, secs = seconds > 2 ? seconds / 2.0 : 1;
	double pv_w, ml_w, pv_q, ml_q;
	unsigned long wops_pv, wops_ml, i;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	printf("# warning: sanitizer build; use make BENCH=1 for figures\n");
#endif
	bn_mm = vh_mm_new();
	mmap_write_lock(bn_mm);
	for (i = 0; i < threads || i == 0; i++)
		vh_map(bn_mm, VH_BASE + VH_PG(4 * i),
		       VH_BASE + VH_PG(4 * i + 2), VH_RW);
	mmap_write_unlock(bn_mm);
	vh_vm_events_reset();

	fl = bn_floor(iters);
	pv = bn_single(PER_VMA, iters);
	ml = bn_single(MMAP_LOCK, iters);
	printf("# single thread (%lu iterations each)\n", iters);
	printf("#   atomic inc+dec pair (floor)          %8.1f ns/op\n", fl);
	printf("#   lock_vma_under_rcu + vma_end_read    %8.1f ns/op  (%.1fx floor)\n",
	       pv, pv / fl);
	printf("#   mmap_read_lock + vma_lookup + unlock %8.1f ns/op  (%.1fx floor)\n",
	       ml, ml / fl);
	printf("#   per-VMA / mmap_lock                  %8.2f\n", pv / ml);

	pv_q = bn_threads(PER_VMA, threads, secs, false, NULL);
	ml_q = bn_threads(MMAP_LOCK, threads, secs, false, NULL);
	pv_w = bn_threads(PER_VMA, threads, secs, true, &wops_pv);
	ml_w = bn_threads(MMAP_LOCK, threads, secs, true, &wops_ml);
	printf("# %lu reader thread(s), %.1f s each\n", threads, secs);
	printf("#   quiet:  per-VMA %12.0f ops/s, mmap_lock %12.0f ops/s, ratio %.2f\n",
	       pv_q, ml_q, pv_q / ml_q);
	printf("#   writer: per-VMA %12.0f ops/s, mmap_lock %12.0f ops/s, ratio %.2f\n",
	       pv_w, ml_w, pv_w / ml_w);
	printf("#   writer map+unmap ops/s: %.0f (per-VMA readers), %.0f (mmap_lock readers)\n",
	       wops_pv / secs, wops_ml / secs);
	printf("# VMA_LOCK_SUCCESS %lu VMA_LOCK_ABORT %lu VMA_LOCK_RETRY %lu VMA_LOCK_MISS %lu\n",
	       vh_vm_event(VMA_LOCK_SUCCESS), vh_vm_event(VMA_LOCK_ABORT),
	       vh_vm_event(VMA_LOCK_RETRY), vh_vm_event(VMA_LOCK_MISS));
	vh_mm_clear(bn_mm);
	vh_mm_put(bn_mm);
	vh_env_exit();
	return 0;
}

static struct vh_mode bench_mode = {
	.name = "bench",
	.usage =
"      --bench          read-path benchmark with --threads readers, about\n"
"                       --seconds long (build with make BENCH=1)\n",
	.run = vh_bench,
};
VH_MODE(bench_mode);
