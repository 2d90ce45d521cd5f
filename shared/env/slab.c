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
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/bug.h>
#include "env.h"
#include "kcsan.h"
#include "report.h"

struct vh_kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	unsigned int flags;
	unsigned int freeptr_offset;
	void (*ctor)(void *);
	pthread_mutex_t lock;
	void *free_list;		/* TYPESAFE_BY_RCU only */
	void **chunks;			/* every object ever allocated */
	unsigned long nr_chunks, chunks_cap;
	unsigned long live;
	unsigned long reused;
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

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *obj = NULL;

	pthread_mutex_lock(&s->lock);
	if (s->free_list) {
		obj = s->free_list;
		s->free_list = *vh_freeptr(s, obj);
		*vh_freeptr(s, obj) = NULL;
		s->reused++;
		vh_kcsan_acquire(obj);
	}
	pthread_mutex_unlock(&s->lock);

	if (!obj) {
		obj = aligned_alloc(s->align, s->size);
		if (!obj)
			return NULL;
		memset(obj, 0, s->size);
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
			s->chunks[s->nr_chunks++] = obj;
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
	vh_kcsan_release(obj);
	*vh_freeptr(s, obj) = s->free_list;
	s->free_list = obj;
	pthread_mutex_unlock(&s->lock);
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
	for (i = 0; i < s->nr_chunks; i++)
		free(s->chunks[i]);
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
