/* SPDX-License-Identifier: GPL-2.0 */
/*
 * binder's VMA users for the tests: drivers/android/binder_alloc.c's own
 * binder_page_insert() and binder_alloc_free_page(), as the unit
 * build/gen/kx/binder_alloc.c takes them from the tree
 * (scripts/build/units/binder_alloc.names).  A tree without
 * drivers/android builds without the unit: every function here is weak
 * (NULL), and VH_BINDER_SKIP says why the tests are skipped.
 */
#ifndef _VH_ENV_BINDER_H
#define _VH_ENV_BINDER_H

#include <stdbool.h>

struct mm_struct;
struct vm_area_struct;
struct vh_binder;

/* Defined by the unit: whether the tree has it. */
extern const bool vh_binder_unit __attribute__((weak));
#define VH_BINDER_SKIP	(&vh_binder_unit ? NULL : \
	"the tree has no drivers/android/binder_alloc.c")

/**
 * vh_binder_new() - a binder_alloc mapped at @vm_start of @mm
 * @mm:		the address space (binder_alloc->mm)
 * @vm_start:	where its VMA starts (binder_alloc->vm_start)
 * @pages:	its size in pages (binder_alloc->pages[])
 *
 * Return: the alloc, marked mapped (binder_alloc_set_mapped()), freed
 * by vh_binder_release() with the pages still installed.
 */
struct vh_binder *vh_binder_new(struct mm_struct *mm, unsigned long vm_start,
				int pages) __attribute__((weak));
void vh_binder_release(struct vh_binder *b) __attribute__((weak));

/** vh_binder_vma_close() - binder_alloc_vma_close(): no longer mapped */
void vh_binder_vma_close(struct vh_binder *b) __attribute__((weak));

/** vh_binder_lock() - hold (or release) binder_alloc->mutex */
void vh_binder_lock(struct vh_binder *b, bool lock) __attribute__((weak));

/**
 * vh_binder_page_insert() - binder_page_insert() of a new page at @addr
 * Return: what it returns (0, -ESRCH, -EFAULT).
 */
int vh_binder_page_insert(struct vh_binder *b, unsigned long addr)
	__attribute__((weak));

/**
 * vh_binder_free_page() - the shrinker's binder_alloc_free_page() on page
 * @index, installed for it first, called as list_lru_walk() calls it
 * (holding the list's lock)
 * @b:		the alloc
 * @index:	the page
 * @lru_locked: set to whether the list's lock is still held after it
 *
 * Return: 1 for LRU_REMOVED_RETRY (the page freed), 0 for LRU_SKIP, -1
 * for anything else.
 */
int vh_binder_free_page(struct vh_binder *b, int index, bool *lru_locked)
	__attribute__((weak));

/** vh_binder_page_installed() - whether alloc->pages[@index] is set */
bool vh_binder_page_installed(struct vh_binder *b, int index)
	__attribute__((weak));

/* What vm_insert_page(), zap_vma_range() and __free_page() saw. */
struct vh_binder_seen {
	int inserts, zaps, freed;
	struct vm_area_struct *vma;
	unsigned long addr;
};

void vh_binder_seen(struct vh_binder_seen *s) __attribute__((weak));

#endif /* _VH_ENV_BINDER_H */
