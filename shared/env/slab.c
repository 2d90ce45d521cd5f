// SPDX-License-Identifier: GPL-2.0
/*
 * Slab caches for the code under test (see include/linux/slab.h).  A
 * SLAB_TYPESAFE_BY_RCU cache keeps freed objects on a LIFO free list, so the
 * next allocation reuses the object just freed, exactly the case RCU readers
 * of such a cache must survive.  Its memory is returned to libc only when the
 * cache is destroyed, after a grace period.  For the race detector, freeing
 * an object is a release that its next allocation acquires, as SLUB's
 * free lists are; the accesses of the object's past life are not
 * forgotten (an RCU reader may still be at them).
 *
 * SLUB_RCU_DEBUG: a freed object stays type-stable (and its memory valid)
 * while any RCU reader that could have found it runs; once a grace period
 * that began after the free has ended (the grace-period hooks this file
 * gives RCU, shared/env/rcu.h), nobody may touch it until it is allocated
 * again, and it is poisoned: with ASan, by manual poisoning, so that any
 * access is a report at once; otherwise its contents are set aside and
 * replaced by a pattern, which is checked (and the contents put back) when
 * the object is reused, and the memory is also marked inaccessible for
 * Valgrind.  The free pointer word stays readable: the allocator's own.
 * A double free is reported too.
 *
 * Fault injection, as CONFIG_FAILSLAB's should_failslab(): vh_failslab()
 * makes the nth allocation from a cache from now fail (NULL), so that the
 * error paths of the code under test run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/bug.h>
#include "env.h"
#include "kcsan.h"
#include "report.h"
#include "rcu.h"

#if defined(__SANITIZE_ADDRESS__)
#define VH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VH_ASAN 1
#endif
#endif
#ifdef VH_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif
#if !defined(VH_ASAN) && defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define VH_VALGRIND 1
#endif
#endif

#define VH_POISON_FREE	0x6b	/* SLUB's POISON_FREE */

enum vh_obj_state { VH_OBJ_LIVE, VH_OBJ_FREE, VH_OBJ_POISONED };

/* In front of every object of a TYPESAFE_BY_RCU cache. */
struct vh_obj_hdr {
	unsigned long free_gp;	/* grace periods begun before the free */
	int state;		/* enum vh_obj_state */
	void *saved;		/* POISONED without ASan: the contents */
} __attribute__((aligned(16)));

struct vh_kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	unsigned int flags;
	unsigned int freeptr_offset;
	void (*ctor)(void *);
	pthread_mutex_t lock;
	void *free_list;		/* TYPESAFE_BY_RCU only */
	unsigned int hdr;		/* bytes in front of each object */
	void **chunks;			/* every object ever allocated */
	unsigned long nr_chunks, chunks_cap;
	unsigned long live;
	unsigned long reused;
	unsigned int fail_nth;		/* vh_failslab(): 0, or the nth alloc */
	struct vh_kmem_cache *next;
};

static struct vh_kmem_cache *vh_caches;
static pthread_mutex_t vh_caches_lock = PTHREAD_MUTEX_INITIALIZER;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     struct kmem_cache_args *args,
				     unsigned int flags)
{
	struct vh_kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->name = name;
	s->size = size;
	s->flags = flags;
	s->align = args && args->align ? args->align : sizeof(void *);
	if (flags & SLAB_HWCACHE_ALIGN && s->align < 64)
		s->align = 64;
	s->size = (size + s->align - 1) / s->align * s->align;
	if (args && args->use_freeptr_offset)
		s->freeptr_offset = args->freeptr_offset;
	if (flags & SLAB_TYPESAFE_BY_RCU)
		s->hdr = (sizeof(struct vh_obj_hdr) + s->align - 1) /
			 s->align * s->align;
	s->ctor = args ? args->ctor : NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_lock(&vh_caches_lock);
	s->next = vh_caches;
	vh_caches = s;
	pthread_mutex_unlock(&vh_caches_lock);
	return s;
}

static void **vh_freeptr(struct vh_kmem_cache *s, void *obj)
{
	return (void **)((char *)obj + s->freeptr_offset);
}

static struct vh_obj_hdr *vh_hdr(struct vh_kmem_cache *s __always_unused,
				 void *obj)
{
	return (struct vh_obj_hdr *)((char *)obj - sizeof(struct vh_obj_hdr));
}

/* Grace periods begun so far. */
static unsigned long vh_gp_begun;

/* Poison @obj but its free pointer (cache lock held). */
static void vh_obj_poison(struct vh_kmem_cache *s, void *obj)
{
	size_t fp = s->freeptr_offset, fpe = fp + sizeof(void *);
	struct vh_obj_hdr *h = vh_hdr(s, obj);

	h->state = VH_OBJ_POISONED;
#ifdef VH_ASAN
	__asan_poison_memory_region(obj, fp);
	__asan_poison_memory_region((char *)obj + fpe, s->size - fpe);
#else
	h->saved = malloc(s->size);
	if (!h->saved)
		abort();
	memcpy(h->saved, obj, s->size);
	memset(obj, VH_POISON_FREE, fp);
	memset((char *)obj + fpe, VH_POISON_FREE, s->size - fpe);
#ifdef VH_VALGRIND
	VALGRIND_MAKE_MEM_NOACCESS(obj, fp);
	VALGRIND_MAKE_MEM_NOACCESS((char *)obj + fpe, s->size - fpe);
#endif
#endif
}

/* @obj is being reused: check and lift its poison (cache lock held). */
static void vh_obj_unpoison(struct vh_kmem_cache *s, void *obj)
{
	struct vh_obj_hdr *h = vh_hdr(s, obj);
#ifndef VH_ASAN
	size_t fp = s->freeptr_offset, fpe = fp + sizeof(void *), i;
	unsigned char *p = obj;
	char msg[512];
#endif

	if (h->state != VH_OBJ_POISONED)
		return;
	h->state = VH_OBJ_FREE;
#ifdef VH_ASAN
	__asan_unpoison_memory_region(obj, s->size);
#else
#ifdef VH_VALGRIND
	VALGRIND_MAKE_MEM_DEFINED(obj, s->size);
#endif
	for (i = 0; i < s->size; i++) {
		if ((i < fp || i >= fpe) && p[i] != VH_POISON_FREE) {
			snprintf(msg, sizeof(msg),
				 "BUG %s: Poison overwritten\nINFO: %p-%p @offset=%zu. First byte 0x%x instead of 0x%x\nINFO: the object was written after a grace period ended since it was freed (SLUB_RCU_DEBUG): a use after free outside RCU and without a reference\n",
				 s->name, (void *)(p + i),
				 (void *)(p + s->size - 1), i, p[i],
				 VH_POISON_FREE);
			vh_splat(msg);
			break;
		}
	}
	memcpy((char *)obj, h->saved, fp);
	memcpy((char *)obj + fpe, (char *)h->saved + fpe, s->size - fpe);
	free(h->saved);
	h->saved = NULL;
#endif
}

static void vh_slab_gp_begin(void)
{
	__atomic_fetch_add(&vh_gp_begun, 1, __ATOMIC_SEQ_CST);
}

void vh_failslab(struct kmem_cache *s, unsigned int nth)
{
	pthread_mutex_lock(&s->lock);
	s->fail_nth = nth;
	pthread_mutex_unlock(&s->lock);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *obj = NULL;

	pthread_mutex_lock(&s->lock);
	if (s->fail_nth && !--s->fail_nth) {
		pthread_mutex_unlock(&s->lock);
		return NULL;
	}
	if (s->free_list) {
		obj = s->free_list;
		vh_obj_unpoison(s, obj);
		vh_hdr(s, obj)->state = VH_OBJ_LIVE;
		s->free_list = *vh_freeptr(s, obj);
		*vh_freeptr(s, obj) = NULL;
		s->reused++;
		vh_kcsan_acquire(obj);
	}
	pthread_mutex_unlock(&s->lock);

	if (!obj) {
		char *base = aligned_alloc(s->align, s->hdr + s->size);

		if (!base)
			return NULL;
		memset(base, 0, s->hdr + s->size);
		obj = base + s->hdr;
		if (s->ctor)
			s->ctor(obj);
		if (s->flags & SLAB_TYPESAFE_BY_RCU) {
			pthread_mutex_lock(&s->lock);
			if (s->nr_chunks == s->chunks_cap) {
				s->chunks_cap = s->chunks_cap ?
					2 * s->chunks_cap : 64;
				s->chunks = realloc(s->chunks, s->chunks_cap *
						    sizeof(*s->chunks));
				if (!s->chunks)
					abort();
			}
			s->chunks[s->nr_chunks++] = base;
			pthread_mutex_unlock(&s->lock);
		}
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->size);
	__atomic_fetch_add(&s->live, 1, __ATOMIC_RELAXED);
	return obj;
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (!obj)
		return;
	__atomic_fetch_sub(&s->live, 1, __ATOMIC_RELAXED);
	if (!(s->flags & SLAB_TYPESAFE_BY_RCU)) {
		free(obj);
		return;
	}
	/* Type-safe: reusable at once, memory valid for RCU readers. */
	pthread_mutex_lock(&s->lock);
	if (vh_hdr(s, obj)->state != VH_OBJ_LIVE) {
		char msg[256];

		pthread_mutex_unlock(&s->lock);
		snprintf(msg, sizeof(msg),
			 "BUG %s: Object already free\nINFO: double free of %p\n",
			 s->name, obj);
		vh_splat(msg);
		return;
	}
	vh_kcsan_release(obj);
	vh_hdr(s, obj)->state = VH_OBJ_FREE;
	vh_hdr(s, obj)->free_gp = __atomic_load_n(&vh_gp_begun,
						  __ATOMIC_SEQ_CST);
	*vh_freeptr(s, obj) = s->free_list;
	s->free_list = obj;
	pthread_mutex_unlock(&s->lock);
}

/*
 * A grace period begun after vh_slab_gp_begin() made @gp its number has
 * ended: poison the objects freed before it began.
 */
static void vh_slab_gp_end(void)
{
	unsigned long gp = __atomic_load_n(&vh_gp_begun, __ATOMIC_SEQ_CST);
	struct vh_kmem_cache *s;
	void *obj;

	pthread_mutex_lock(&vh_caches_lock);
	for (s = vh_caches; s; s = s->next) {
		if (!(s->flags & SLAB_TYPESAFE_BY_RCU))
			continue;
		pthread_mutex_lock(&s->lock);
		for (obj = s->free_list; obj; obj = *vh_freeptr(s, obj)) {
			struct vh_obj_hdr *h = vh_hdr(s, obj);

			if (h->state == VH_OBJ_FREE && h->free_gp < gp)
				vh_obj_poison(s, obj);
		}
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&vh_caches_lock);
}

static const struct vh_rcu_gp_ops vh_slab_gp_ops = {
	.begin = vh_slab_gp_begin,
	.end = vh_slab_gp_end,
};

static void __attribute__((constructor)) vh_slab_init(void)
{
	vh_rcu_gp_register(&vh_slab_gp_ops);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct vh_kmem_cache **pp;
	unsigned long i;

	if (!s)
		return;
	WARN(s->live, "cache %s destroyed with %lu live objects",
	     s->name, s->live);
	synchronize_rcu();
	for (i = 0; i < s->nr_chunks; i++) {
		void *obj = (char *)s->chunks[i] + s->hdr;

		pthread_mutex_lock(&s->lock);
		vh_obj_unpoison(s, obj);
		pthread_mutex_unlock(&s->lock);
		free(s->chunks[i]);
	}
	free(s->chunks);
	pthread_mutex_lock(&vh_caches_lock);
	for (pp = &vh_caches; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&vh_caches_lock);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct kmem_cache *vh_kmem_cache_find(const char *name)
{
	struct vh_kmem_cache *s;

	pthread_mutex_lock(&vh_caches_lock);
	for (s = vh_caches; s; s = s->next)
		if (!strcmp(s->name, name))
			break;
	pthread_mutex_unlock(&vh_caches_lock);
	return s;
}

bool vh_kmem_cache_object(const void *addr, const char **name,
			  const void **base)
{
	struct vh_kmem_cache *s;
	unsigned long i;
	bool found = false;

	pthread_mutex_lock(&vh_caches_lock);
	for (s = vh_caches; s && !found; s = s->next) {
		pthread_mutex_lock(&s->lock);
		for (i = 0; i < s->nr_chunks && !found; i++) {
			const char *o = s->chunks[i];

			if ((const char *)addr >= o &&
			    (const char *)addr < o + s->size) {
				*name = s->name;
				*base = o;
				found = true;
			}
		}
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&vh_caches_lock);
	return found;
}

unsigned long vh_kmem_cache_reused(struct kmem_cache *s)
{
	return __atomic_load_n(&s->reused, __ATOMIC_RELAXED);
}

/* At exit: every cache goes, so that Valgrind sees no leak of ours. */
void vh_slab_teardown(void)
{
	while (vh_caches)
		kmem_cache_destroy(vh_caches);
}
