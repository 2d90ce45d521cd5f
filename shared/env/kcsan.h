/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data-race detector of make KCSAN=1 (shared/kcsan/kcsan.c): what the
 * stub headers and the environment call.
 *
 * The kernel units are compiled as the kernel compiles them for KCSAN
 * (scripts/Makefile.kcsan: -fsanitize=thread with its parameters), and
 * their __tsan_*() calls land in shared/kcsan/kcsan.c instead of libtsan.
 * That runtime detects races by happens-before over the kernel's own
 * memory model: the edges come from what the code does (acquire and
 * release operations, fences, locks, RCU grace periods, wake-ups, thread
 * start and join), each through the calls declared here.  Outside a
 * KCSAN=1 build every call is an empty inline.
 *
 * Memory orders are the compiler's __ATOMIC_* constants; sizes are 1, 2,
 * 4 or 8 bytes.
 */
#ifndef _VH_KCSAN_H
#define _VH_KCSAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/compiler.h>

/* Access types, as include/linux/kcsan-checks.h numbers them. */
#define KCSAN_ACCESS_WRITE	(1 << 0)
#define KCSAN_ACCESS_COMPOUND	(1 << 1)
#define KCSAN_ACCESS_ATOMIC	(1 << 2)
#define KCSAN_ACCESS_ASSERT	(1 << 3)
#define KCSAN_ACCESS_SCOPED	(1 << 4)

/* Fences: smp_mb(), smp_rmb(), smp_wmb() and C11's acquire/release. */
enum vh_kcsan_fence {
	VH_KCSAN_MB,
	VH_KCSAN_RMB,
	VH_KCSAN_WMB,
	VH_KCSAN_ACQUIRE,
	VH_KCSAN_RELEASE,
};

/* Read-modify-write operations of vh_kcsan_rmw(). */
enum vh_kcsan_op {
	VH_KCSAN_XCHG,
	VH_KCSAN_ADD,
	VH_KCSAN_SUB,
	VH_KCSAN_AND,
	VH_KCSAN_OR,
	VH_KCSAN_XOR,
};

/* A grace period being waited for (vh_kcsan_gp_begin()/_end()). */
struct vh_kcsan_gp {
	void *state;
};

#ifdef VH_KCSAN

/*
 * Atomic operations with their memory order, performed by the runtime so
 * that the value and the synchronisation it carries stay together.  The
 * stubs (linux/atomic.h, asm/barrier.h, linux/rcupdate.h) use these in
 * every translation unit, instrumented or not: the lock code the harness
 * inlines (vma_end_read() in a test, say) synchronises as the kernel's.
 */
uint64_t vh_kcsan_load(const volatile void *p, int size, int mo);
void vh_kcsan_store(volatile void *p, int size, uint64_t v, int mo);
uint64_t vh_kcsan_rmw(volatile void *p, int size, enum vh_kcsan_op op,
		      uint64_t v, int mo);
bool vh_kcsan_cmpxchg(volatile void *p, int size, uint64_t *old,
		      uint64_t new, int mo, int fail_mo);
void vh_kcsan_fence(enum vh_kcsan_fence kind);

/*
 * Synchronisation objects of the environment, named by an address of the
 * environment's (an rwsem, a task, a slab object): release joins the
 * calling thread's clock into the object's, acquire joins the object's
 * into the thread's, as unlock and lock do.
 */
void vh_kcsan_release(const void *obj);
void vh_kcsan_acquire(const void *obj);

/*
 * RCU: read-side critical sections (outermost nesting only), and
 * synchronize_rcu(), which begins with vh_kcsan_gp_begin() and, once every
 * pre-existing reader is done, ends with vh_kcsan_gp_end(): the caller then
 * happens after the end of every read-side critical section that had
 * begun before the grace period did.
 */
void vh_kcsan_rcu_read_lock(void);
void vh_kcsan_rcu_read_unlock(void);
void vh_kcsan_gp_begin(struct vh_kcsan_gp *gp);
void vh_kcsan_gp_end(struct vh_kcsan_gp *gp);

/*
 * Threads: vh_kcsan_thread_fork() in the parent before the thread starts
 * returns a token, which the child passes to vh_kcsan_thread_begin() first
 * and to vh_kcsan_thread_end() last, and the joiner, after the thread
 * ended, to vh_kcsan_thread_join() (which frees it).
 */
void *vh_kcsan_thread_fork(void);
void vh_kcsan_thread_begin(void *token);
void vh_kcsan_thread_end(void *token);
void vh_kcsan_thread_join(void *token);

/* The memory [p, p + size) is free or new: forget its accesses. */
void vh_kcsan_forget(const void *p, size_t size);

/* The kernel's KCSAN annotations (linux/kcsan-checks.h, data_race()). */
void kcsan_disable_current(void);
void kcsan_enable_current(void);
void kcsan_nestable_atomic_begin(void);
void kcsan_nestable_atomic_end(void);
void kcsan_flat_atomic_begin(void);
void kcsan_flat_atomic_end(void);
void kcsan_atomic_next(int n);
void __kcsan_check_access(const volatile void *ptr, size_t size, int type);

/*
 * The explorer (shared/explore/core.c): with @n > 0, the first @n accesses of
 * each explored thread to memory outside its stack, in each run, are also
 * scheduling points.
 */
void vh_kcsan_set_access_points(unsigned long n);

/*
 * What names the object an address is in for a report (a field of a VMA
 * or an mm): set by mm.c, which knows them; false if it does not.
 */
void vh_kcsan_set_describe(bool (*describe)(const void *addr, char *buf,
					    size_t size));

/* Races reported so far, and a one-line summary of the run. */
unsigned long vh_kcsan_reports(void);
void vh_kcsan_summary(char *buf, size_t size);

/*
 * free() and realloc() are wrapped at link time (-Wl,--wrap): freed memory
 * is forgotten.  The runtime's own memory goes through the real ones.
 */
void __real_free(void *p);
void *__real_realloc(void *p, size_t n);

#else /* !VH_KCSAN */

static inline void vh_kcsan_set_describe(bool (*describe)(const void *addr,
							 char *buf,
							 size_t size))
{
	(void)describe;
}
static inline void vh_kcsan_release(const void *obj __always_unused) { }
static inline void vh_kcsan_acquire(const void *obj __always_unused) { }
static inline void vh_kcsan_rcu_read_lock(void) { }
static inline void vh_kcsan_rcu_read_unlock(void) { }
static inline void vh_kcsan_gp_begin(struct vh_kcsan_gp *gp __always_unused) { }
static inline void vh_kcsan_gp_end(struct vh_kcsan_gp *gp __always_unused) { }
static inline void *vh_kcsan_thread_fork(void) { return NULL; }
static inline void vh_kcsan_thread_begin(void *token __always_unused) { }
static inline void vh_kcsan_thread_end(void *token __always_unused) { }
static inline void vh_kcsan_thread_join(void *token __always_unused) { }
static inline void vh_kcsan_forget(const void *p __always_unused,
				   size_t size __always_unused) { }
static inline void vh_kcsan_set_access_points(unsigned long n __always_unused)
{
}
static inline unsigned long vh_kcsan_reports(void) { return 0; }
static inline void vh_kcsan_summary(char *buf __always_unused,
				    size_t size __always_unused) { }

#endif /* VH_KCSAN */

#endif /* _VH_KCSAN_H */
