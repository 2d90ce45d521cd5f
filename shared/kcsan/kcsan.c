// SPDX-License-Identifier: GPL-2.0
/*
 * The data-race detector of make KCSAN=1: a happens-before runtime for the
 * kernel's memory model, behind the compiler's ThreadSanitizer
 * instrumentation, as the kernel's KCSAN is (kernel/kcsan/; read for its
 * contract, not copied).
 *
 * Instrumentation.  The kernel units (mm/mmap_lock.c, mm/vma*.c,
 * lib/refcount.c) are compiled with scripts/Makefile.kcsan's flags: every
 * plain access calls __tsan_readN()/__tsan_writeN() (clang: also
 * __tsan_read_writeN() for compound ones), every volatile access
 * (READ_ONCE(), WRITE_ONCE()) __tsan_volatile_readN()/_writeN(), and
 * block copies __tsan_read_range()/_write_range().  Those land here.  The
 * harness units are compiled the same way, but the build renames their
 * __tsan_*() calls to vh_h__tsan_*() (objcopy --redefine-sym): the kernel's
 * inline lock code they contain (mmap_write_unlock() in a test, say) must
 * still count as the kernel's marked accesses for the memory model, while
 * the harness's own accesses are not checked.  The stubs perform atomic
 * operations and fences through vh_kcsan_*() (shared/env/kcsan.h) in every
 * unit, and the environment models its locks, RCU, wake-ups and threads
 * with the same calls.
 *
 * Happens-before.  Each thread has a vector clock, and each of its accesses
 * is stamped with its slot and its own component (its epoch).  Access @c
 * happens before access @a of thread T when T's clock has reached c's
 * epoch in c's slot.  The clocks only grow through what the code does,
 * following the LKMM (tools/memory-model) and C11 where they agree:
 *
 *  - an acquire (load, RMW, smp_load_acquire()) takes the clock stored
 *    with the location (its "sync clock"); a release (store, RMW,
 *    smp_store_release()) puts the thread's clock there and starts a new
 *    epoch; an RMW without release keeps what earlier releases stored;
 *  - a fence is not a synchronisation by itself (fences do not synchronise
 *    with each other): smp_wmb(), smp_mb() and release fences record the
 *    clock at the fence, and the thread's later relaxed marked stores carry
 *    that clock; smp_rmb(), smp_mb() and acquire fences make the thread's
 *    later reads happen after what its earlier marked loads read;
 *  - marked loads (READ_ONCE(), relaxed atomics) order the thread's later
 *    stores, not its later loads: the control and address dependencies of
 *    the LKMM, and the control dependency the refcount API documents,
 *    which the runtime cannot see and assumes.  So each thread has two
 *    clocks: @r orders its later reads, @w its later writes;
 *  - value-returning RMWs without suffix are fully ordered: smp_mb()
 *    before and after;
 *  - the environment adds what it models: rwsem release and acquire,
 *    wake_up_process() and the return from schedule(), RCU grace periods
 *    (after every reader that was in a read-side critical section at the
 *    start of synchronize_rcu(), and every one that had already left),
 *    slab free and reallocation, thread start and join.
 *
 * The rule.  As KCSAN's: two accesses race when they conflict (same
 * bytes, at least one writes), neither happens before the other, and not
 * both are atomic.  Atomic, as in the kernel's default configuration
 * (KCSAN_ASSUME_PLAIN_WRITES_ATOMIC): marked accesses, accesses inside
 * kcsan_nestable_atomic_begin()/_end() or kcsan_atomic_next() regions,
 * and aligned plain writes up to the word size that are not compound.
 * Accesses in data_race() are not checked.  ASSERT_EXCLUSIVE_WRITER() and
 * ASSERT_EXCLUSIVE_ACCESS() report any write (any access) not ordered with
 * them, marked or not.
 *
 * Seqlock readers.  KCSAN marks the next KCSAN_SEQLOCK_REGION_MAX accesses
 * after a seqcount read as atomic, because a matching read_seqcount_retry()
 * will discard whatever a concurrent writer changed.  Happens-before can do
 * better: such an access is recorded as atomic (a writer that comes later
 * is what the retry is for), but checked as plain against the writes
 * before it; a race found there is held back, dropped when the thread
 * reaches the retry (kcsan_atomic_next(0)) and reported when the thread
 * ends without one.  So a seqcount read used as an acquire with no retry,
 * as vma_start_read() uses raw_read_seqcount(), is checked.
 *
 * Shadow memory.  Per 8-byte granule, a short list of cells (who, epoch,
 * bytes, kind, where); an access checks the cells it overlaps and replaces
 * those it makes redundant.  Granules live in 4 KiB pages found through an
 * open-addressing table; each page has a lock, which also covers the sync
 * clocks of its addresses, and atomic operations are performed under it.
 * Freed memory is forgotten (free() is wrapped); SLAB_TYPESAFE_BY_RCU
 * objects are not freed, so a new owner's initialisation is checked
 * against the old readers' accesses; a thread's stack is forgotten when a
 * new thread starts on it.
 *
 * Limits.  At most KC_MAX_THREADS threads at once (a slot is reused after
 * its thread was joined, and a new thread in it counts as ordered after
 * the old one).  A granule keeps at most KC_MAX_CELLS cells (older ones
 * are evicted and counted).  smp_wmb() orders the thread's earlier reads
 * as well as its writes, and is cumulative; both are stronger than the
 * LKMM.  The compiler's instrumentation sees no dependency, so the
 * dependency ordering of marked loads is assumed, not checked.
 */
#include "../env/room.h"

VH_ROOM(kcsan, "env",
	"the race detector of make KCSAN=1: the happens-before runtime behind the compiler's ThreadSanitizer instrumentation, its reports; the environment calls it through env/kcsan.h");

#ifdef VH_KCSAN

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/kernel.h>
#include "../env/env.h"
#include "kcsan_int.h"
#include "../env/report.h"
#include "../env/sched_point.h"

#define KC_GRAN_SHIFT	3		/* 8-byte granules */
#define KC_PAGE_SHIFT	12
#define KC_PAGE_GRANS	(1 << (KC_PAGE_SHIFT - KC_GRAN_SHIFT))
#define KC_MAX_CELLS	16		/* per granule */
#define KC_TABLE_SHIFT	20		/* shadow pages (8 MiB of pointers) */
/* Sync objects of the environment live apart from real addresses. */
#define KC_ENV_TAG	(1UL << 63)

/* Vector clocks: slots handed out so far (no entry is non-zero beyond). */
static int kc_nr_slots;

static int kc_slots(void)
{
	return __atomic_load_n(&kc_nr_slots, __ATOMIC_ACQUIRE);
}

static void kc_join(struct kc_clock *d, const struct kc_clock *s)
{
	int i, n = kc_slots();

	for (i = 0; i < n; i++)
		if (s->c[i] > d->c[i])
			d->c[i] = s->c[i];
}

__thread struct kc_thread *kc_self;
static uint32_t kc_slot_epoch[KC_MAX_THREADS];	/* last epoch of each slot */
static uint64_t kc_slot_used;			/* one bit per slot */
static unsigned long kc_access_points;

static void kc_tick(struct kc_thread *t)
{
	t->epoch++;
	t->r.c[t->slot] = t->epoch;
	t->w.c[t->slot] = t->epoch;
}

static void kc_stack_of_self(uintptr_t *lo, uintptr_t *hi)
{
	pthread_attr_t attr;
	void *addr = NULL;
	size_t size = 0;

	*lo = *hi = 0;
	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (!pthread_attr_getstack(&attr, &addr, &size)) {
		*lo = (uintptr_t)addr;
		*hi = (uintptr_t)addr + size;
	}
	pthread_attr_destroy(&attr);
}

void kc_forget(uintptr_t lo, uintptr_t hi);

/* A slot for the calling thread, its clock starting at @start (or zero). */
static struct kc_thread *kc_thread_new(const struct kc_clock *start)
{
	struct kc_thread *t = kc_zalloc(sizeof(*t));
	int s;

	pthread_mutex_lock(&kc_lock);
	if (kc_slot_used == ~0ULL) {
		pthread_mutex_unlock(&kc_lock);
		kc_die("more than 64 threads at once");
	}
	s = __builtin_ctzll(~kc_slot_used);
	kc_slot_used |= 1ULL << s;
	if (s >= kc_nr_slots)
		__atomic_store_n(&kc_nr_slots, s + 1, __ATOMIC_RELEASE);
	t->slot = s;
	t->epoch = kc_slot_epoch[s];
	pthread_mutex_unlock(&kc_lock);

	if (start) {
		t->r = *start;
		t->w = *start;
	}
	kc_tick(t);
	t->pid = vh_task_pid();
	t->points = kc_access_points;
	kc_stack_of_self(&t->stack_lo, &t->stack_hi);
	/* A stack of a thread that is gone, with its accesses. */
	kc_forget(t->stack_lo, t->stack_hi);
	kc_self = t;
	return t;
}

struct kc_thread *kc_thread_self(void)
{
	struct kc_thread *t = kc_self;

	if (!t)
		return kc_thread_new(NULL);
	/* The task of a harness thread comes after its start. */
	if (__builtin_expect(!t->pid, 0))
		t->pid = vh_task_pid();
	return t;
}

/* Shadow memory. */


struct kc_cell {
	uint32_t epoch;
	uint32_t pid;
	uint8_t slot;
	uint8_t off;		/* in the granule */
	uint8_t size;
	uint8_t flags;
	void *pc, *pc1;
};

struct kc_gran {
	unsigned int n, cap;
	struct kc_cell cell[];
};

struct kc_sync {
	uintptr_t addr;
	struct kc_sync *next;
	bool set;		/* clk holds a release */
	struct kc_clock clk;
};

struct kc_page {
	uintptr_t base;
	int lock;
	struct kc_sync *sync;
	struct kc_gran **gran;		/* KC_PAGE_GRANS, once needed */
};

static struct kc_page **kc_table;

static unsigned long kc_nr_pages;	/* this process's, for the limit */

static uint64_t kc_hash(uintptr_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	return x ^ (x >> 33);
}

static void kc_table_init(void)
{
	struct kc_page **t = kc_zalloc(sizeof(*t) << KC_TABLE_SHIFT);
	struct kc_page **none = NULL;

	if (!__atomic_compare_exchange_n(&kc_table, &none, t, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		__real_free(t);
}

/* The shadow page of @addr; NULL if it has none and !@create. */
static struct kc_page *kc_page(uintptr_t addr, bool create)
{
	uintptr_t base = addr >> KC_PAGE_SHIFT << KC_PAGE_SHIFT;
	size_t mask = (1UL << KC_TABLE_SHIFT) - 1;
	size_t i = kc_hash(base >> KC_PAGE_SHIFT) & mask;
	struct kc_page **table = __atomic_load_n(&kc_table, __ATOMIC_ACQUIRE);
	struct kc_page *pg, *new = NULL;

	if (!table) {
		if (!create)
			return NULL;
		kc_table_init();
		table = __atomic_load_n(&kc_table, __ATOMIC_ACQUIRE);
	}
	for (;; i = (i + 1) & mask) {
		pg = __atomic_load_n(&table[i], __ATOMIC_ACQUIRE);
		if (pg && pg->base == base)
			break;
		if (pg)
			continue;
		if (!create)
			return NULL;
		if (!new) {
			new = kc_zalloc(sizeof(*new));
			new->base = base;
		}
		if (__atomic_compare_exchange_n(&table[i], &pg, new, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			__atomic_fetch_add(&kc_stats->pages, 1,
					   __ATOMIC_RELAXED);
			if (__atomic_add_fetch(&kc_nr_pages, 1,
					       __ATOMIC_RELAXED) >
			    (3UL << KC_TABLE_SHIFT) / 4)
				kc_die("shadow table full");
			return new;
		}
		if (pg->base == base)
			break;
	}
	if (new)
		__real_free(new);
	return pg;
}

static void kc_page_lock(struct kc_page *pg)
{
	int spins = 0;

	while (__atomic_exchange_n(&pg->lock, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&pg->lock, __ATOMIC_RELAXED))
			if (++spins > 100)
				sched_yield();
	}
}

static void kc_page_unlock(struct kc_page *pg)
{
	__atomic_store_n(&pg->lock, 0, __ATOMIC_RELEASE);
}

/* The sync clock of @addr on its (locked) page. */
static struct kc_sync *kc_sync(struct kc_page *pg, uintptr_t addr,
			       bool create)
{
	struct kc_sync *s;

	for (s = pg->sync; s; s = s->next)
		if (s->addr == addr)
			return s;
	if (!create)
		return NULL;
	s = kc_zalloc(sizeof(*s));
	s->addr = addr;
	s->next = pg->sync;
	pg->sync = s;
	return s;
}

/* Forget the accesses and sync clocks of [lo, hi). */
void kc_forget(uintptr_t lo, uintptr_t hi)
{
	uintptr_t p;

	if (lo >= hi || !__atomic_load_n(&kc_table, __ATOMIC_ACQUIRE))
		return;
	for (p = lo >> KC_PAGE_SHIFT << KC_PAGE_SHIFT; p < hi;
	     p += 1UL << KC_PAGE_SHIFT) {
		struct kc_page *pg = kc_page(p, false);
		struct kc_sync **sp;
		uintptr_t g;

		if (!pg)
			continue;
		kc_page_lock(pg);
		for (g = p > lo ? p : lo & ~7UL;
		     pg->gran &&
		     g < hi && g < p + (1UL << KC_PAGE_SHIFT); g += 8) {
			struct kc_gran **gp = &pg->gran[(g - p) >> KC_GRAN_SHIFT];
			struct kc_gran *gr = *gp;
			unsigned int i, j;

			if (!gr)
				continue;
			/* Whole granules go; of a partial one, its cells there. */
			for (i = j = 0; i < gr->n; i++) {
				uintptr_t s = g + gr->cell[i].off;

				if (s + gr->cell[i].size <= lo || s >= hi)
					gr->cell[j++] = gr->cell[i];
			}
			gr->n = j;
			if (!j) {
				*gp = NULL;
				__real_free(gr);
			}
		}
		for (sp = &pg->sync; *sp;) {
			struct kc_sync *s = *sp;

			if (s->addr >= lo && s->addr < hi) {
				*sp = s->next;
				__real_free(s);
			} else {
				sp = &s->next;
			}
		}
		kc_page_unlock(pg);
	}
}

/* The race rule. */

/*
 * Which of @t's clocks must cover cell @c for it to happen before access
 * flags @af: bit 0 the read clock, bit 1 the write clock; 0 if the two do
 * not conflict or may race (both atomic).
 */
static unsigned int kc_conflict(unsigned int af, unsigned int cf)
{
	if ((af & KC_ASSERT) && (cf & KC_ASSERT))
		return 0;
	if (af & KC_ASSERT)
		return (af & KC_AA) || (cf & KC_W) ? 3 : 0;
	if (cf & KC_ASSERT) {
		if (!(cf & KC_AA) && !(af & KC_W))
			return 0;
		return (af & KC_W ? 2 : 0) | (af & KC_R ? 1 : 0);
	}
	if ((af & KC_A) && (cf & KC_A))
		return 0;
	return ((af & KC_R) && (cf & KC_W) ? 1 : 0) | (af & KC_W ? 2 : 0);
}

static bool kc_covers(const struct kc_thread *t, const struct kc_cell *c,
		      unsigned int need)
{
	if ((need & 1) && t->r.c[c->slot] < c->epoch)
		return false;
	if ((need & 2) && t->w.c[c->slot] < c->epoch)
		return false;
	return true;
}

/*
 * Access @af, which happens after cell @c and covers its bytes, makes @c
 * redundant when every later access that races with @c races with it too.
 */
static bool kc_dominates(unsigned int af, unsigned int cf)
{
	if (cf & KC_ASSERT) {
		/* An assertion as wide, or a write that races with anything. */
		if (af & KC_AA)
			return true;
		if (af & KC_AW)
			return !(cf & KC_AA);
		return (af & KC_W) && !(af & KC_A);
	}
	if (af & KC_ASSERT)
		return false;
	return ((af & KC_W) || !(cf & KC_W)) && (!(af & KC_A) || (cf & KC_A));
}

static void kc_cell_fill(struct kc_cell *c, const struct kc_thread *t,
			 unsigned int off, unsigned int size,
			 unsigned int flags, void *pc, void *pc1)
{
	c->epoch = t->epoch;
	c->pid = t->pid;
	c->slot = t->slot;
	c->off = off;
	c->size = size;
	c->flags = flags;
	c->pc = pc;
	c->pc1 = pc1;
}

static void kc_access_of_cell(struct kc_access *a, uintptr_t g,
			      const struct kc_cell *c)
{
	a->addr = g + c->off;
	a->size = c->size;
	a->flags = c->flags;
	a->pc = c->pc;
	a->pc1 = c->pc1;
	a->pid = c->pid;
}

/*
 * Check [g + off, g + off + size) against its granule's cells on the locked
 * page @pg and record the access; the first race found goes to @race.
 */
static bool kc_check_locked(struct kc_thread *t, struct kc_page *pg,
			    uintptr_t g, unsigned int off, unsigned int size,
			    unsigned int flags, void *pc, void *pc1,
			    struct kc_race *race)
{
	struct kc_gran **gp, *gr;
	/* A seqlock reader's access is recorded atomic, checked plain. */
	unsigned int cflags = flags & KC_SPEC ? flags & ~KC_A : flags;
	bool raced = false;
	unsigned int i, j;

	if (!pg->gran)
		pg->gran = kc_zalloc(KC_PAGE_GRANS * sizeof(*pg->gran));
	gp = &pg->gran[(g - pg->base) >> KC_GRAN_SHIFT];
	gr = *gp;
	if (gr) {
		for (i = j = 0; i < gr->n; i++) {
			struct kc_cell *c = &gr->cell[i];

			if (c->off + c->size > off && off + size > c->off) {
				bool mine = c->slot == t->slot;
				unsigned int need;

				need = mine ? 0 : kc_conflict(cflags, c->flags);
				/* The reader's retry is for this writer. */
				if ((flags & KC_WSEC) && (c->flags & KC_SPEC))
					need = 0;
				if (need && !kc_covers(t, c, need) && !raced) {
					raced = true;
					kc_access_of_cell(&race->c, g, c);
				}
				/* Made redundant by this access: drop it. */
				if (off <= c->off &&
				    c->off + c->size <= off + size &&
				    (mine || kc_covers(t, c, 3)) &&
				    kc_dominates(flags, c->flags))
					continue;
			}
			gr->cell[j++] = *c;
		}
		gr->n = j;
	}
	if (!gr || gr->n == gr->cap) {
		if (gr && gr->cap == KC_MAX_CELLS) {
			/* Full: the oldest cell goes. */
			memmove(&gr->cell[0], &gr->cell[1],
				(gr->n - 1) * sizeof(gr->cell[0]));
			gr->n--;
			__atomic_fetch_add(&kc_stats->evictions, 1,
					   __ATOMIC_RELAXED);
		} else {
			unsigned int cap = gr ? 2 * gr->cap : 2;

			gr = __real_realloc(gr, sizeof(*gr) +
					    cap * sizeof(gr->cell[0]));
			if (!gr)
				kc_die("out of memory");
			if (!*gp)
				gr->n = 0;
			gr->cap = cap;
			*gp = gr;
		}
	}
	kc_cell_fill(&gr->cell[gr->n++], t, off, size, flags, pc, pc1);
	if (raced) {
		race->a.addr = g + off;
		race->a.size = size;
		race->a.flags = flags;
		race->a.pc = pc;
		race->a.pc1 = pc1;
		race->a.pid = t->pid;
	}
	return raced;
}

/* Check and record an access of any size and alignment. */
void kc_check(struct kc_thread *t, uintptr_t addr, size_t size,
		     unsigned int flags, void *pc, void *pc1)
{
	struct kc_race race;
	bool raced = false;

	__atomic_fetch_add(&kc_stats->checks, 1, __ATOMIC_RELAXED);
	while (size) {
		uintptr_t g = addr & ~7UL;
		unsigned int off = addr & 7;
		unsigned int n = size < 8 - off ? size : 8 - off;
		struct kc_page *pg = kc_page(g, true);
		struct kc_race r;

		kc_page_lock(pg);
		if (kc_check_locked(t, pg, g, off, n, flags, pc, pc1, &r) &&
		    !raced) {
			race = r;
			raced = true;
		}
		kc_page_unlock(pg);
		addr += n;
		size -= n;
	}
	if (raced)
		kc_race_found(t, &race);
}

/* The memory model. */

bool kc_acquires(int mo)
{
	return mo == __ATOMIC_ACQUIRE || mo == __ATOMIC_CONSUME ||
	       mo == __ATOMIC_ACQ_REL || mo == __ATOMIC_SEQ_CST;
}

bool kc_releases(int mo)
{
	return mo == __ATOMIC_RELEASE || mo == __ATOMIC_ACQ_REL ||
	       mo == __ATOMIC_SEQ_CST;
}

/* A load of @s (NULL: nothing was released there) with order @mo. */
static void kc_model_load(struct kc_thread *t, const struct kc_sync *s,
			  int mo)
{
	if (!s || !s->set)
		return;
	kc_join(&t->w, &s->clk);	/* dependencies order later stores */
	if (kc_acquires(mo)) {
		kc_join(&t->r, &s->clk);
	} else {
		kc_join(&t->pend, &s->clk);
		t->has_pend = true;
	}
}

/* A store to @s with order @mo; @rmw: it continues the release sequence. */
static void kc_model_store(struct kc_thread *t, struct kc_sync *s, int mo,
			   bool rmw)
{
	if (kc_releases(mo)) {
		if (!rmw || !s->set)
			memset(&s->clk, 0, sizeof(s->clk));
		kc_join(&s->clk, &t->r);
		kc_join(&s->clk, &t->w);
		s->set = true;
	} else if (!rmw) {
		/* A relaxed store carries the last release fence, if any. */
		s->set = t->has_rel;
		if (t->has_rel)
			s->clk = t->rel;
	} else if (t->has_rel) {
		if (!s->set)
			memset(&s->clk, 0, sizeof(s->clk));
		kc_join(&s->clk, &t->rel);
		s->set = true;
	}
}

void kc_fence(struct kc_thread *t, enum vh_kcsan_fence kind)
{
	if (kind == VH_KCSAN_MB || kind == VH_KCSAN_RMB ||
	    kind == VH_KCSAN_ACQUIRE) {
		if (t->has_pend) {
			kc_join(&t->r, &t->pend);
			memset(&t->pend, 0, sizeof(t->pend));
			t->has_pend = false;
		}
	}
	if (kind == VH_KCSAN_MB || kind == VH_KCSAN_WMB ||
	    kind == VH_KCSAN_RELEASE) {
		t->rel = t->r;
		kc_join(&t->rel, &t->w);
		t->has_rel = true;
		kc_tick(t);
	}
}

/* Is @addr on the calling thread's own stack? */
static bool kc_on_stack(const struct kc_thread *t, uintptr_t addr)
{
	return addr >= t->stack_lo && addr < t->stack_hi;
}

/*
 * Under the explorer, an access to shared memory may be a scheduling
 * point (vh_kcsan_set_access_points()).
 */
static void kc_point(struct kc_thread *t, uintptr_t addr)
{
	if (t->points && vh_explored() && !kc_on_stack(t, addr)) {
		t->points--;
		vh_sched_point((const void *)addr);
	}
}

/*
 * Performing an atomic operation, whatever order the kernel asked for:
 * sequentially consistent, since the order is what the model applies
 * (kc_model_*()), not what the hardware does.  Each width has its load,
 * store and exchange; a read-modify-write is one of the operations below,
 * done by compare-and-exchange at the access's width.
 */
struct kc_width {
	uint64_t (*load)(volatile void *p);
	void (*store)(volatile void *p, uint64_t v);
	bool (*cmpxchg)(volatile void *p, uint64_t *expected, uint64_t v);
};

#define KC_WIDTH(type)							\
static uint64_t kc_load_##type(volatile void *p)			\
{									\
	return __atomic_load_n((volatile type *)p, __ATOMIC_SEQ_CST);	\
}									\
static void kc_store_##type(volatile void *p, uint64_t v)		\
{									\
	__atomic_store_n((volatile type *)p, (type)v, __ATOMIC_SEQ_CST); \
}									\
static bool kc_cmpxchg_##type(volatile void *p, uint64_t *expected,	\
			      uint64_t v)				\
{									\
	type e = (type)*expected;					\
	bool ok = __atomic_compare_exchange_n((volatile type *)p, &e,	\
					      (type)v, false,		\
					      __ATOMIC_SEQ_CST,		\
					      __ATOMIC_SEQ_CST);	\
									\
	*expected = e;							\
	return ok;							\
}									\
static const struct kc_width kc_width_##type = {			\
	kc_load_##type, kc_store_##type, kc_cmpxchg_##type		\
};

KC_WIDTH(uint8_t)
KC_WIDTH(uint16_t)
KC_WIDTH(uint32_t)
KC_WIDTH(uint64_t)

static const struct kc_width *kc_width(int size)
{
	switch (size) {
	case 1:
		return &kc_width_uint8_t;
	case 2:
		return &kc_width_uint16_t;
	case 4:
		return &kc_width_uint32_t;
	default:
		return &kc_width_uint64_t;
	}
}

/* The read-modify-write operations: the new value from the old one. */
static uint64_t kc_xchg(uint64_t old __always_unused, uint64_t v)
{
	return v;
}

static uint64_t kc_add(uint64_t old, uint64_t v)
{
	return old + v;
}

static uint64_t kc_sub(uint64_t old, uint64_t v)
{
	return old - v;
}

static uint64_t kc_and(uint64_t old, uint64_t v)
{
	return old & v;
}

static uint64_t kc_or(uint64_t old, uint64_t v)
{
	return old | v;
}

static uint64_t kc_xor(uint64_t old, uint64_t v)
{
	return old ^ v;
}

static uint64_t (*const kc_rmw_ops[])(uint64_t old, uint64_t v) = {
	[VH_KCSAN_XCHG] = kc_xchg,
	[VH_KCSAN_ADD] = kc_add,
	[VH_KCSAN_SUB] = kc_sub,
	[VH_KCSAN_AND] = kc_and,
	[VH_KCSAN_OR] = kc_or,
	[VH_KCSAN_XOR] = kc_xor,
};

/* Do @a; returns the old value (a load: the value), *@ok its success. */
static uint64_t kc_perform(const struct kc_atomic_op *a, bool *ok)
{
	const struct kc_width *w = kc_width(a->size);
	uint64_t old;

	*ok = true;
	switch (a->aop) {
	case KC_LOAD:
		return w->load(a->p);
	case KC_STORE:
		w->store(a->p, a->v);
		return 0;
	case KC_CMPXCHG:
		*ok = w->cmpxchg(a->p, a->expected, a->v);
		return *a->expected;
	case KC_RMW:
		break;
	}
	old = w->load(a->p);
	while (!w->cmpxchg(a->p, &old, kc_rmw_ops[a->op](old, a->v)))
		;
	return old;
}

/*
 * An atomic operation of kernel code: check it as an atomic access,
 * perform it under the page lock, and apply its memory order.
 */
uint64_t kc_atomic(const struct kc_atomic_op *a, bool *okp)
{
	struct kc_thread *t = kc_thread_self();
	uintptr_t addr = (uintptr_t)a->p;
	unsigned int flags = KC_A | KC_MARKED;
	struct kc_page *pg = kc_page(addr, true);
	enum kc_aop aop = a->aop;
	int mo = a->mo;
	struct kc_race race;
	struct kc_sync *s;
	uint64_t old;
	bool raced = false, ok;

	flags |= aop == KC_LOAD ? KC_R : aop == KC_STORE ? KC_W : KC_R | KC_W;
	kc_page_lock(pg);
	if (!t->disabled && (addr & 7) + a->size <= 8 && !kc_on_stack(t, addr))
		raced = kc_check_locked(t, pg, addr & ~7UL, addr & 7, a->size,
					flags, a->pc, a->pc1, &race);
	s = kc_sync(pg, addr, aop != KC_LOAD);
	old = kc_perform(a, &ok);
	if (aop == KC_LOAD)
		kc_model_load(t, s, mo);
	else if (aop == KC_STORE)
		kc_model_store(t, s, mo, false);
	else if (!ok)
		kc_model_load(t, s, a->fail_mo);
	else {
		kc_model_load(t, s, mo);
		kc_model_store(t, s, mo, true);
	}
	kc_page_unlock(pg);

	if (kc_releases(aop == KC_CMPXCHG && !ok ? a->fail_mo : mo) &&
	    aop != KC_LOAD)
		kc_tick(t);
	/*
	 * A fully ordered RMW (that succeeded) is smp_mb() on both sides:
	 * its release published what came before, and the fence after it
	 * orders what follows.
	 */
	if (mo == __ATOMIC_SEQ_CST && ok && aop != KC_LOAD &&
	    aop != KC_STORE)
		kc_fence(t, VH_KCSAN_MB);
	if (raced)
		kc_race_found(t, &race);
	if (okp)
		*okp = ok;
	return old;
}

/*
 * Whether @addr is the counter of an open nestable region of @t: the
 * first location the region touched, which becomes its counter now if
 * it has none.  seqlock.h opens a region to make its own sequence++
 * atomic for KCSAN (do_raw_write_seqcount_begin(), _end(), _barrier(),
 * _invalidate()), and the kernel's KCSAN_STRICT keeps it so: readers
 * race with that counter by design.  What else the section does is
 * checked as plain in strict mode.
 */
static bool kc_nest_counter(struct kc_thread *t, uintptr_t addr)
{
	int i, n = t->nest < KC_MAX_NEST ? t->nest : KC_MAX_NEST;

	for (i = 0; i < n; i++)
		if (t->nest_ctr[i] == addr)
			return true;
	if (t->nest <= KC_MAX_NEST && !t->nest_ctr[t->nest - 1]) {
		t->nest_ctr[t->nest - 1] = addr;
		return true;
	}
	return false;
}

/*
 * A plain or volatile access of kernel code: check it, and let a marked
 * one take part in the memory model as a relaxed atomic of its size.
 */
void kc_plain(uintptr_t addr, size_t size, unsigned int ktype,
		     void *pc, void *pc1)
{
	struct kc_thread *t = kc_thread_self();
	bool write = ktype & KCSAN_ACCESS_WRITE;
	unsigned int flags = write ? KC_W : KC_R;
	bool marked;

	if (ktype & KCSAN_ACCESS_COMPOUND)
		flags |= KC_R | KC_W;
	/*
	 * KCSAN's is_atomic(), in its order.  KCSAN_STRICT here also drops
	 * the seqcount write sections' relaxation (mmap_write_lock() opens
	 * one for its whole section): a plain access there is checked as
	 * plain, except against a seqcount reader's speculative reads, which
	 * its read_seqcount_retry() discards (KC_WSEC).
	 */
	marked = (ktype & KCSAN_ACCESS_ATOMIC) || t->flat ||
		 (t->nest && (!IS_ENABLED(CONFIG_KCSAN_STRICT) ||
			      kc_nest_counter(t, addr)));
	if (t->nest && !marked)
		flags |= KC_WSEC;
	if (marked) {
		flags |= KC_A;
		if (ktype & KCSAN_ACCESS_ATOMIC)
			flags |= KC_MARKED;
	} else if (!IS_ENABLED(CONFIG_KCSAN_STRICT) && write &&
		   !(ktype & KCSAN_ACCESS_COMPOUND) &&
		   size <= sizeof(long) && !(addr & (size - 1))) {
		/*
		 * KCSAN_ASSUME_PLAIN_WRITES_ATOMIC, the kernel's default;
		 * KCSAN_STRICT turns it off.
		 */
		flags |= KC_A;
	} else if (t->atomic_next > 0) {
		t->atomic_next--;
		flags |= KC_A | KC_SPEC;
	}

	if (!t->disabled && !kc_on_stack(t, addr)) {
		kc_check(t, addr, size, flags, pc, pc1);
		kc_point(t, addr);
	}
	if (marked && size <= 8) {
		struct kc_page *pg = kc_page(addr, write);
		struct kc_sync *s;

		if (!pg)
			return;
		kc_page_lock(pg);
		s = kc_sync(pg, addr, write && t->has_rel);
		if (write && s)
			kc_model_store(t, s, __ATOMIC_RELAXED, false);
		else if (!write)
			kc_model_load(t, s, __ATOMIC_RELAXED);
		kc_page_unlock(pg);
	}
}

/* The interface of kcsan.h. */


uint64_t vh_kcsan_load(const volatile void *p, int size, int mo)
{
	return kc_atomic(&(struct kc_atomic_op){ .aop = KC_LOAD,
			 .p = (volatile void *)p, .size = size, .mo = mo,
			 .fail_mo = mo, .pc = KC_PC, .pc1 = KC_PC1 }, NULL);
}

void vh_kcsan_store(volatile void *p, int size, uint64_t v, int mo)
{
	kc_atomic(&(struct kc_atomic_op){ .aop = KC_STORE, .p = p, .size = size,
		  .v = v, .mo = mo, .fail_mo = mo, .pc = KC_PC,
		  .pc1 = KC_PC1 }, NULL);
}

uint64_t vh_kcsan_rmw(volatile void *p, int size, enum vh_kcsan_op op,
		      uint64_t v, int mo)
{
	return kc_atomic(&(struct kc_atomic_op){ .aop = KC_RMW, .p = p,
			 .size = size, .op = op, .v = v, .mo = mo,
			 .fail_mo = mo, .pc = KC_PC, .pc1 = KC_PC1 }, NULL);
}

bool vh_kcsan_cmpxchg(volatile void *p, int size, uint64_t *old,
		      uint64_t new, int mo, int fail_mo)
{
	bool ok;

	kc_atomic(&(struct kc_atomic_op){ .aop = KC_CMPXCHG, .p = p,
		  .size = size, .v = new, .expected = old, .mo = mo,
		  .fail_mo = fail_mo, .pc = KC_PC, .pc1 = KC_PC1 }, &ok);
	return ok;
}

void vh_kcsan_fence(enum vh_kcsan_fence kind)
{
	kc_fence(kc_thread_self(), kind);
}

/* Sync objects of the environment: a lock word, as the kernel's. */
void vh_kcsan_release(const void *obj)
{
	struct kc_thread *t = kc_thread_self();
	uintptr_t key = (uintptr_t)obj | KC_ENV_TAG;
	struct kc_page *pg = kc_page(key, true);

	kc_page_lock(pg);
	kc_model_store(t, kc_sync(pg, key, true), __ATOMIC_RELEASE, true);
	kc_page_unlock(pg);
	kc_tick(t);
}

void vh_kcsan_acquire(const void *obj)
{
	struct kc_thread *t = kc_thread_self();
	uintptr_t key = (uintptr_t)obj | KC_ENV_TAG;
	struct kc_page *pg = kc_page(key, false);

	if (!pg)
		return;
	kc_page_lock(pg);
	kc_model_load(t, kc_sync(pg, key, false), __ATOMIC_ACQUIRE);
	kc_page_unlock(pg);
}

/*
 * RCU.  kc_rcu_done joins the clocks of every read-side critical section
 * that ended; a grace period registers with the readers inside one when
 * it begins and collects each one's clock when it leaves.
 */
struct kc_gp {
	struct kc_clock clk;
	uint64_t waiting;		/* slots still in their section */
	struct kc_gp *next;
};

static struct kc_clock kc_rcu_done;
static struct kc_gp *kc_gps;
static uint64_t kc_in_reader;		/* slots in a read-side section */

void vh_kcsan_rcu_read_lock(void)
{
	struct kc_thread *t = kc_thread_self();

	if (t->rcu_depth++)
		return;
	pthread_mutex_lock(&kc_lock);
	kc_in_reader |= 1ULL << t->slot;
	pthread_mutex_unlock(&kc_lock);
}

void vh_kcsan_rcu_read_unlock(void)
{
	struct kc_thread *t = kc_thread_self();
	struct kc_gp *gp;

	if (t->rcu_depth <= 0 || --t->rcu_depth)
		return;
	pthread_mutex_lock(&kc_lock);
	kc_in_reader &= ~(1ULL << t->slot);
	kc_join(&kc_rcu_done, &t->r);
	kc_join(&kc_rcu_done, &t->w);
	for (gp = kc_gps; gp; gp = gp->next) {
		if (!(gp->waiting & (1ULL << t->slot)))
			continue;
		gp->waiting &= ~(1ULL << t->slot);
		kc_join(&gp->clk, &t->r);
		kc_join(&gp->clk, &t->w);
	}
	pthread_mutex_unlock(&kc_lock);
	kc_tick(t);
}

void vh_kcsan_gp_begin(struct vh_kcsan_gp *g)
{
	struct kc_thread *t = kc_thread_self();
	struct kc_gp *gp = kc_zalloc(sizeof(*gp));

	pthread_mutex_lock(&kc_lock);
	gp->clk = kc_rcu_done;
	gp->waiting = kc_in_reader & ~(1ULL << t->slot);
	gp->next = kc_gps;
	kc_gps = gp;
	pthread_mutex_unlock(&kc_lock);
	g->state = gp;
}

void vh_kcsan_gp_end(struct vh_kcsan_gp *g)
{
	struct kc_thread *t = kc_thread_self();
	struct kc_gp *gp = g->state, **pp;

	if (!gp)
		return;
	pthread_mutex_lock(&kc_lock);
	for (pp = &kc_gps; *pp; pp = &(*pp)->next) {
		if (*pp == gp) {
			*pp = gp->next;
			break;
		}
	}
	pthread_mutex_unlock(&kc_lock);
	kc_join(&t->r, &gp->clk);
	kc_join(&t->w, &gp->clk);
	__real_free(gp);
	g->state = NULL;
}

/*
 * fork() from a process with other threads (the runner's workers): the
 * child has only the forking thread.  Its runtime state is a copy, taken
 * with kc_lock held so that slots and grace periods are consistent; the
 * slots of the threads that did not come along are freed, and the page
 * locks they may have held are released (a page another thread was
 * changing at that instant may keep a torn cell: a missed report at
 * worst).
 */
static void kc_atfork_prepare(void)
{
	pthread_mutex_lock(&kc_lock);
}

static void kc_atfork_parent(void)
{
	pthread_mutex_unlock(&kc_lock);
}

static void kc_atfork_child(void)
{
	struct kc_page **table = kc_table;
	uint64_t mine = kc_self ? 1ULL << kc_self->slot : 0;
	size_t i;

	kc_slot_used &= mine;
	kc_in_reader &= mine;
	kc_gps = NULL;
	pthread_mutex_unlock(&kc_lock);
	for (i = 0; table && i < (1UL << KC_TABLE_SHIFT); i++)
		if (table[i])
			table[i]->lock = 0;
}

static void __attribute__((constructor)) kc_init(void)
{
	void *p = mmap(NULL, sizeof(*kc_stats), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		kc_stats = p;
	pthread_atfork(kc_atfork_prepare, kc_atfork_parent, kc_atfork_child);
}

/*
 * Threads.  The token carries the parent's clock to the child, and the
 * child's final clock to the joiner, which frees it and the child's slot.
 */
struct kc_token {
	struct kc_clock clk;
	int slot;
	bool ended;
};

void *vh_kcsan_thread_fork(void)
{
	struct kc_thread *t = kc_thread_self();
	struct kc_token *tok = kc_zalloc(sizeof(*tok));

	tok->clk = t->r;
	kc_join(&tok->clk, &t->w);
	tok->slot = -1;
	kc_tick(t);
	return tok;
}

void vh_kcsan_thread_begin(void *token)
{
	struct kc_token *tok = token;

	kc_thread_new(tok ? &tok->clk : NULL);
}

void vh_kcsan_thread_end(void *token)
{
	struct kc_token *tok = token;
	struct kc_thread *t = kc_self;

	if (!t)
		return;
	kc_flush_deferred(t);
	pthread_mutex_lock(&kc_lock);
	kc_slot_epoch[t->slot] = t->epoch;
	/* Unwound inside a read-side section (an aborted explorer run). */
	kc_in_reader &= ~(1ULL << t->slot);
	pthread_mutex_unlock(&kc_lock);
	if (tok) {
		tok->clk = t->r;
		kc_join(&tok->clk, &t->w);
		tok->slot = t->slot;
		tok->ended = true;
	}
	kc_self = NULL;
	__real_free(t);
}

void vh_kcsan_thread_join(void *token)
{
	struct kc_token *tok = token;
	struct kc_thread *me;

	if (!tok)
		return;
	me = kc_thread_self();
	if (tok->ended) {
		kc_join(&me->r, &tok->clk);
		kc_join(&me->w, &tok->clk);
		pthread_mutex_lock(&kc_lock);
		kc_slot_used &= ~(1ULL << tok->slot);
		pthread_mutex_unlock(&kc_lock);
	}
	__real_free(tok);
}

void vh_kcsan_forget(const void *p, size_t size)
{
	kc_forget((uintptr_t)p, (uintptr_t)p + size);
}

void vh_kcsan_set_access_points(unsigned long n)
{
	kc_access_points = n;
}

unsigned long vh_kcsan_reports(void)
{
	return __atomic_load_n(&kc_stats->reports, __ATOMIC_RELAXED);
}

void vh_kcsan_summary(char *buf, size_t size)
{
	snprintf(buf, size,
		 "KCSAN: %lu data race(s) reported; %lu plain accesses checked, %lu shadow pages, %lu cells evicted",
		 __atomic_load_n(&kc_stats->reports, __ATOMIC_RELAXED),
		 __atomic_load_n(&kc_stats->checks, __ATOMIC_RELAXED),
		 __atomic_load_n(&kc_stats->pages, __ATOMIC_RELAXED),
		 __atomic_load_n(&kc_stats->evictions, __ATOMIC_RELAXED));
	if (kc_filter[0] && strlen(buf) + 1 < size)
		snprintf(buf + strlen(buf), size - strlen(buf),
			 "; %lu filtered (%s)",
			 __atomic_load_n(&kc_stats->filtered, __ATOMIC_RELAXED),
			 kc_filter);
}

/* Annotations. */

void kcsan_disable_current(void)
{
	kc_thread_self()->disabled++;
}

void kcsan_enable_current(void)
{
	kc_thread_self()->disabled--;
}

void kcsan_nestable_atomic_begin(void)
{
	struct kc_thread *t = kc_thread_self();

	if (t->nest < KC_MAX_NEST)
		t->nest_ctr[t->nest] = 0;
	t->nest++;
}

void kcsan_nestable_atomic_end(void)
{
	struct kc_thread *t = kc_thread_self();

	if (--t->nest < 0) {
		t->nest = 0;
		vh_report("WARN", __FILE__, __LINE__, "unbalanced %s()",
			  __func__);
	}
}

void kcsan_flat_atomic_begin(void)
{
	kc_thread_self()->flat = true;
}

void kcsan_flat_atomic_end(void)
{
	kc_thread_self()->flat = false;
}

void kcsan_atomic_next(int n)
{
	struct kc_thread *t = kc_thread_self();

	t->atomic_next = n;
	/* read_seqcount_retry(): the section's reads are validated. */
	if (!n)
		t->nr_deferred = 0;
}

void __kcsan_check_access(const volatile void *ptr, size_t size, int ktype)
{
	unsigned int flags;
	struct kc_thread *t = kc_thread_self();

	if (t->disabled)
		return;
	if (ktype & KCSAN_ACCESS_ASSERT)
		flags = ktype & KCSAN_ACCESS_WRITE ? KC_AA : KC_AW;
	else
		flags = ktype & KCSAN_ACCESS_WRITE ? KC_W : KC_R;
	if (ktype & KCSAN_ACCESS_ATOMIC)
		flags |= KC_A | KC_MARKED;
	kc_check(t, (uintptr_t)ptr, size, flags, KC_PC, KC_PC1);
}

/*
 * The harness units' instrumentation, renamed to vh_h__tsan_*() by the
 * build.  Their own accesses are not checked; the kernel's marked accesses
 * inlined there (a seqcount write side, READ_ONCE()) still take part in
 * the memory model, and atomics the harness performs by itself do not.
 */
void kc_harness_access(uintptr_t addr, size_t size, bool write, bool marked)
{
	struct kc_thread *t = kc_self;
	struct kc_page *pg;
	struct kc_sync *s;

	/* A thread that never ran kernel code has nothing to order. */
	if (!t || size > 8 || !(marked || t->nest || t->flat))
		return;
	pg = kc_page(addr, write && t->has_rel);
	if (!pg)
		return;
	kc_page_lock(pg);
	s = kc_sync(pg, addr, write && t->has_rel);
	if (write && s)
		kc_model_store(t, s, __ATOMIC_RELAXED, false);
	else if (!write)
		kc_model_load(t, s, __ATOMIC_RELAXED);
	kc_page_unlock(pg);
}

#endif /* VH_KCSAN */
