/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the binder unit (build/gen/kx/binder_alloc.c): after the
 * functions taken from drivers/android/binder_alloc.c, the entry points of
 * shared/env/binder.h.  Only this unit includes it.
 */
#ifndef _VH_ENV_BINDER_ALLOC_OPS_H
#define _VH_ENV_BINDER_ALLOC_OPS_H

#include "binder.h"

const bool vh_binder_unit = true;

struct vh_binder {
	struct binder_alloc alloc;
	struct list_lru_one lru;
};

void vh_binder_release(struct vh_binder *b)
{
	unsigned long i;

	for (i = 0; i < b->alloc.buffer_size / PAGE_SIZE; i++)
		if (b->alloc.pages[i])
			binder_free_page(b->alloc.pages[i]);
	kfree(b->alloc.pages);
	kfree(b);
}

struct vh_binder *vh_binder_new(struct mm_struct *mm, unsigned long vm_start,
				int pages)
{
	struct vh_binder *b = kzalloc(sizeof(*b), GFP_KERNEL);

	BUG_ON(!b);
	b->alloc.pages = kzalloc(pages * sizeof(*b->alloc.pages), GFP_KERNEL);
	BUG_ON(!b->alloc.pages);
	mutex_init(&b->alloc.mutex);
	b->alloc.mm = mm;
	b->alloc.vm_start = vm_start;
	b->alloc.buffer_size = pages * PAGE_SIZE;
	INIT_LIST_HEAD(&b->lru.list);
	spin_lock_init(&b->lru.lock);
	binder_alloc_set_mapped(&b->alloc, true);
	memset(&vh_binder_calls, 0, sizeof(vh_binder_calls));
	return b;
}

void vh_binder_vma_close(struct vh_binder *b)
{
	binder_alloc_vma_close(&b->alloc);
}

void vh_binder_lock(struct vh_binder *b, bool lock)
{
	if (lock)
		mutex_lock(&b->alloc.mutex);
	else
		mutex_unlock(&b->alloc.mutex);
}

/* A page as binder_page_alloc() makes one: its shrinker data attached. */
static struct page *vh_binder_page(struct vh_binder *b, unsigned long index)
{
	struct binder_shrinker_mdata *mdata = kzalloc(sizeof(*mdata),
						      GFP_KERNEL);
	struct page *page = kzalloc(sizeof(*page), GFP_KERNEL);

	BUG_ON(!mdata || !page);
	mdata->alloc = &b->alloc;
	mdata->page_index = index;
	INIT_LIST_HEAD(&mdata->lru);
	set_page_private(page, (unsigned long)mdata);
	return page;
}

int vh_binder_page_insert(struct vh_binder *b, unsigned long addr)
{
	struct page *page = vh_binder_page(b, (addr - b->alloc.vm_start) /
					   PAGE_SIZE);
	int ret = binder_page_insert(&b->alloc, addr, page);

	binder_free_page(page);
	return ret;
}

int vh_binder_free_page(struct vh_binder *b, int index, bool *lru_locked)
{
	struct page *page = vh_binder_page(b, index);
	struct binder_shrinker_mdata *mdata;
	enum lru_status ret;

	mdata = (struct binder_shrinker_mdata *)page_private(page);
	binder_set_installed_page(&b->alloc, index, page);
	spin_lock(&b->lru.lock);
	list_add_tail(&mdata->lru, &b->lru.list);
	b->lru.nr_items++;
	ret = binder_alloc_free_page(&mdata->lru, &b->lru, NULL);
	*lru_locked = pthread_mutex_trylock(&b->lru.lock) != 0;
	spin_unlock(&b->lru.lock);
	if (ret == LRU_SKIP) {
		list_lru_isolate(&b->lru, &mdata->lru);
		return 0;
	}
	return ret == LRU_REMOVED_RETRY ? 1 : -1;
}

bool vh_binder_page_installed(struct vh_binder *b, int index)
{
	return READ_ONCE(b->alloc.pages[index]);
}

void vh_binder_seen(struct vh_binder_seen *s)
{
	s->inserts = vh_binder_calls.inserts;
	s->zaps = vh_binder_calls.zaps;
	s->freed = vh_binder_calls.freed;
	s->vma = vh_binder_calls.vma;
	s->addr = vh_binder_calls.addr;
}

#endif /* _VH_ENV_BINDER_ALLOC_OPS_H */
