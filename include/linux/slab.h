/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/slab.h for the code under test (the maple tree keeps
 * tools/testing/shared's allocator).  A cache created with
 * SLAB_TYPESAFE_BY_RCU behaves as SLUB's does: a freed object goes back on
 * the cache's free list at once and may be handed out again by the very next
 * allocation, while its memory stays valid for RCU readers; the free pointer
 * lives at args->freeptr_offset so that the rest of the object (vm_refcnt,
 * vm_mm, ...) keeps its last contents.  Other caches free() their objects so
 * that ASan and Valgrind see any use after free.  Implementation:
 * shared/env/slab.c.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <stddef.h>

/* Our caches, distinct from tools/testing/shared's (which the maple tree uses). */
#define kmem_cache		vh_kmem_cache
/*
 * Both forms of the kernel's kmem_cache_create(): (name, size, args, flags)
 * and the older (name, size, align, flags, ctor) that mm/rmap.c uses.
 */
#define kmem_cache_create(...) \
	__VH_KCC(__VA_ARGS__, vh_kmem_cache_create_ctor, \
		 vh_kmem_cache_create)(__VA_ARGS__)
#define __VH_KCC(a, b, c, d, e, f, ...)	f
#define KMEM_CACHE(s, flags) \
	vh_kmem_cache_create(#s, sizeof(struct s), \
			     &(struct kmem_cache_args){ \
				.align = __alignof__(struct s) }, (flags))
#define kmem_cache_destroy	vh_kmem_cache_destroy
#define kmem_cache_alloc	vh_kmem_cache_alloc
#define kmem_cache_free		vh_kmem_cache_free

#define SLAB_HWCACHE_ALIGN	0x00002000U
#define SLAB_PANIC		0x00040000U
#define SLAB_TYPESAFE_BY_RCU	0x00080000U
#define SLAB_ACCOUNT		0x04000000U
#define SLAB_RECLAIM_ACCOUNT	0x00020000U


struct kmem_cache_args {
	unsigned int align;
	unsigned int sheaf_capacity;
	unsigned int useroffset;
	unsigned int usersize;
	unsigned int freeptr_offset;
	bool use_freeptr_offset;
	void (*ctor)(void *);
};

struct kmem_cache *vh_kmem_cache_create(const char *name, unsigned int size,
				     struct kmem_cache_args *args,
				     unsigned int flags);
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
static inline struct kmem_cache *
vh_kmem_cache_create_ctor(const char *name, unsigned int size,
			  unsigned int align, unsigned int flags,
			  void (*ctor)(void *))
{
	struct kmem_cache_args args = { .align = align, .ctor = ctor };

	return vh_kmem_cache_create(name, size, &args, flags);
}
#define kmem_cache_zalloc(s, gfp)	kmem_cache_alloc(s, (gfp) | __GFP_ZERO)

/* tools/lib/slab.c */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(void *p);
#define kzalloc(size, gfp)	kmalloc(size, (gfp) | __GFP_ZERO)

#endif /* _LINUX_SLAB_H */
