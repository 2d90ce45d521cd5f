/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race detector's runtime, inside (shared/kcsan/kcsan.c says how it
 * works): what its core (kcsan.c), its reports (kcsan_report.c) and the
 * compiler's entry points (kcsan_abi.c) share.
 */
#ifndef _VH_KCSAN_INT_H
#define _VH_KCSAN_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../env/kcsan.h"

#define KC_MAX_THREADS	64		/* threads alive at once */
#define KC_MAX_DEFERRED	8		/* held-back races per thread */
#define KC_MAX_NEST		8	/* open nestable atomic regions tracked */

/* Vector clocks. */

struct kc_clock {
	uint32_t c[KC_MAX_THREADS];
};

/* A race held for reporting: this thread's access and the other one. */
struct kc_access {
	uintptr_t addr;
	unsigned int size;
	unsigned int flags;		/* KC_R, KC_W, ... below */
	void *pc, *pc1;			/* where, and the caller */
	uint32_t pid;
};

struct kc_race {
	struct kc_access a;		/* this thread's access */
	struct kc_access c;		/* the one it races with */
};

struct kc_thread {
	int slot;
	uint32_t epoch;			/* == r.c[slot] == w.c[slot] */
	uint32_t pid;
	struct kc_clock r;		/* what the thread's later reads follow */
	struct kc_clock w;		/* ... and its later writes */
	struct kc_clock rel;		/* the clock at the last release fence */
	/* What marked loads read since the last acquire fence. */
	struct kc_clock pend;
	bool has_rel, has_pend;
	/* Annotations (kcsan-checks.h). */
	int disabled;			/* kcsan_disable_current() */
	int nest;			/* kcsan_nestable_atomic_begin() */
	/*
	 * The counter each open nestable region was opened for: the first
	 * location the region touches (seqlock.h's write side increments
	 * its seqcount right after kcsan_nestable_atomic_begin()), 0 until
	 * then.  KCSAN_STRICT keeps accesses to it atomic.
	 */
	uintptr_t nest_ctr[KC_MAX_NEST];
	bool flat;			/* kcsan_flat_atomic_begin() */
	int atomic_next;		/* kcsan_atomic_next() */
	/* Seqlock read sections: races held back until a retry. */
	int nr_deferred;
	struct kc_race deferred[KC_MAX_DEFERRED];
	/* RCU: read-side nesting, and the grace periods waiting for us. */
	int rcu_depth;
	/* The thread's stack, whose accesses are its own. */
	uintptr_t stack_lo, stack_hi;
	/* Explorer: accesses left that are scheduling points in this run. */
	unsigned long points;
	bool reporting;
	/* Races this thread reported (its test failed): not again. */
	int nr_reported;
	void *reported[8][2];
};

extern __thread struct kc_thread *kc_self;
extern pthread_mutex_t kc_lock;

/* Counted over the whole run, the runner's worker processes included. */
struct kc_stats {
	unsigned long reports, checks, pages, evictions, filtered;
};
extern struct kc_stats *kc_stats;
/* The functions whose races are not reported (kcsan_report.c). */
extern const char *const kc_filter;

/* What a shadow cell and an access record: */
#define KC_R	0x01	/* reads */
#define KC_W	0x02	/* writes */
#define KC_A	0x04	/* atomic for the race rule */
#define KC_MARKED 0x08	/* marked in the source (for reports) */
#define KC_AW	0x10	/* ASSERT_EXCLUSIVE_WRITER() */
#define KC_AA	0x20	/* ASSERT_EXCLUSIVE_ACCESS() */
#define KC_SPEC	0x40	/* in a seqlock read section */
#define KC_WSEC	0x80	/* plain, in a seqcount write section (KCSAN_STRICT) */
#define KC_ASSERT (KC_AW | KC_AA)

/* calloc() that does not fail; free with __real_free(). */
void *kc_zalloc(size_t n);
__attribute__((noreturn)) void kc_die(const char *msg);
/* The calling thread's state (made on first use). */
struct kc_thread *kc_thread_self(void);
void kc_forget(uintptr_t lo, uintptr_t hi);
/* Check and record an access of any size and alignment. */
void kc_check(struct kc_thread *t, uintptr_t addr, size_t size,
	      unsigned int flags, void *pc, void *pc1);
/* A plain or volatile access of kernel code (KCSAN_ACCESS_* @ktype). */
void kc_plain(uintptr_t addr, size_t size, unsigned int ktype, void *pc,
	      void *pc1);
/* A marked access of harness code, for the memory model only. */
void kc_harness_access(uintptr_t addr, size_t size, bool write, bool marked);
/* An atomic operation, performed and ordered. */
enum kc_aop { KC_LOAD, KC_STORE, KC_RMW, KC_CMPXCHG };
/**
 * struct kc_atomic_op - one atomic operation of kernel code
 * @aop:	what it is
 * @p:		where
 * @size:	1, 2, 4 or 8 bytes
 * @op:		KC_RMW: the operation (exchange, add, ...)
 * @v:		the value stored, exchanged, added, ... (KC_CMPXCHG: the new one)
 * @expected:	KC_CMPXCHG: the value expected; set to the value found
 * @mo:		its memory order (__ATOMIC_*)
 * @fail_mo:	KC_CMPXCHG: the memory order of a failed exchange
 * @pc:		the instrumented caller (KC_PC)
 * @pc1:	its caller (KC_PC1)
 */
struct kc_atomic_op {
	enum kc_aop aop;
	volatile void *p;
	int size;
	enum vh_kcsan_op op;
	uint64_t v;
	uint64_t *expected;
	int mo, fail_mo;
	void *pc, *pc1;
};
/* Check it, perform it, order it; *@okp: a KC_CMPXCHG succeeded. */
uint64_t kc_atomic(const struct kc_atomic_op *a, bool *okp);
void kc_fence(struct kc_thread *t, enum vh_kcsan_fence kind);
bool kc_acquires(int mo);
bool kc_releases(int mo);

/* Reports (kcsan_report.c). */
void kc_race_found(struct kc_thread *t, struct kc_race *race);
void kc_flush_deferred(struct kc_thread *t);

/*
 * Where an access is: the return address into the instrumented function,
 * and its caller's (walking the frame pointers the build keeps, within the
 * thread's stack).
 */
#define KC_PC	__builtin_return_address(0)
#define KC_PC1	kc_caller(__builtin_frame_address(0))

static inline void *kc_caller(void *fp)
{
	const struct kc_thread *t = kc_self;
	void **frame = fp, **up;

	if (!t || !frame)
		return NULL;
	up = frame[0];
	if ((uintptr_t)up <= (uintptr_t)frame ||
	    (uintptr_t)up + 2 * sizeof(void *) > t->stack_hi)
		return NULL;
	return up[1];
}

#endif /* _VH_KCSAN_INT_H */
