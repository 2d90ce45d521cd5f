// SPDX-License-Identifier: GPL-2.0
/*
 * vmf_anon_prepare() (mm/internal.h, __vmf_anon_prepare() taken from
 * mm/memory.c): an anonymous fault in a private VMA that has no anon_vma
 * yet.  Under the per-VMA lock alone the anon_vma must not be prepared
 * (657b5146955e: lock_vma_under_rcu() must check vma->anon_vma under vma
 * lock): the fault takes mmap_lock for read if it can without waiting,
 * and otherwise gives up with VM_FAULT_RETRY, dropping the VMA lock, to be
 * retried under mmap_lock.  A faulting thread locks the VMA with
 * lock_vma_under_rcu() as the x86 fault path does, while the test holds
 * mmap_lock for write or not.
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

struct ap_row {
	const char *desc;
	const char *why;
	bool has_anon_vma;	/* the VMA has one before the fault */
	bool contended;		/* the test holds mmap_lock for write */
	bool vma_lock;		/* the fault runs under FAULT_FLAG_VMA_LOCK */
	vm_fault_t ret;		/* what vmf_anon_prepare() returns */
};

static const struct ap_row ap_rows[] = {
	{ .desc = "anon_vma_there", .has_anon_vma = true, .vma_lock = true,
	  .ret = 0 },
	{ .desc = "vma_lock_mmap_lock_free", .vma_lock = true, .ret = 0,
	  .why = "mmap_read_trylock() succeeds: prepared under mmap_lock, the VMA lock kept" },
	{ .desc = "vma_lock_mmap_lock_contended_retries", .vma_lock = true,
	  .contended = true, .ret = VM_FAULT_RETRY,
	  .why = "no anon_vma is prepared under the VMA lock alone: VM_FAULT_RETRY, VMA lock dropped, retried under mmap_lock" },
	{ .desc = "mmap_lock", .ret = 0 },
};

struct ap_ctx {
	const struct ap_row *row;
	struct mm_struct *mm;
	unsigned long addr;
	struct vh_event tried;
	vm_fault_t ret;
	bool got_vma;
	struct anon_vma *anon_after;
	unsigned int refcnt_after;
	bool retried;
	struct anon_vma *anon_retry;
};

/* A fault thread: what do_user_addr_fault() does before and after. */
static void ap_fault(void *arg)
{
	struct ap_ctx *c = arg;
	const struct ap_row *row = c->row;
	struct vm_area_struct *vma;

	current->mm = c->mm;
	if (row->vma_lock)
		vma = lock_vma_under_rcu(c->mm, c->addr);
	else {
		mmap_read_lock(c->mm);
		vma = vma_lookup(c->mm, c->addr);
	}
	c->got_vma = vma;
	if (vma) {
		struct vm_fault vmf = {
			.vma = vma, .address = c->addr,
			.flags = FAULT_FLAG_WRITE | FAULT_FLAG_USER |
				 (row->vma_lock ? FAULT_FLAG_VMA_LOCK : 0),
		};

		c->ret = vmf_anon_prepare(&vmf);
		c->anon_after = READ_ONCE(vma->anon_vma);
		c->refcnt_after = refcount_read(&vma->vm_refcnt);
		if (!(c->ret & VM_FAULT_RETRY)) {
			if (row->vma_lock)
				vma_end_read(vma);
		}
	}
	if (!row->vma_lock)
		mmap_read_unlock(c->mm);
	vh_event_signal(&c->tried);
	if (!(c->ret & VM_FAULT_RETRY))
		return;
	/* The retry, as the fault path's fallback takes it. */
	mmap_read_lock(c->mm);
	vma = vma_lookup(c->mm, c->addr);
	if (vma) {
		struct vm_fault vmf = {
			.vma = vma, .address = c->addr,
			.flags = FAULT_FLAG_WRITE | FAULT_FLAG_USER |
				 FAULT_FLAG_TRIED,
		};

		c->retried = !vmf_anon_prepare(&vmf);
		c->anon_retry = READ_ONCE(vma->anon_vma);
	}
	mmap_read_unlock(c->mm);
}

static void ap_body(const struct ap_row *row)
{
	struct ap_ctx c = { .row = row, .addr = VH_BASE + VH_PG(2) };
	struct vm_area_struct *vma;
	struct vh_thread *t;

	vh_why(row->why);
	c.mm = vh_test_mm();
	VH_ASSERT_EQ(vh_map_layout(c.mm, "AAAA"), 0);
	vma = vma_lookup(c.mm, c.addr);
	VH_ASSERT(vma && !vma->anon_vma);
	if (row->has_anon_vma) {
		mmap_read_lock(c.mm);
		VH_ASSERT_EQ(anon_vma_prepare(vma), 0);
		mmap_read_unlock(c.mm);
	}
	if (row->contended)
		mmap_write_lock(c.mm);
	t = vh_thread_start(ap_fault, &c);
	vh_event_wait(&c.tried);
	if (row->contended)
		mmap_write_unlock(c.mm);
	vh_thread_join(t);

	VH_ASSERT(c.got_vma);
	VH_CHECK_EQ(c.ret, row->ret);
	if (row->ret & VM_FAULT_RETRY) {
		if (c.anon_after)
			vh_fail(__FILE__, __LINE__,
				"an anon_vma was prepared under the VMA lock alone (mmap_lock held by another task)");
		VH_CHECK_EQ(c.refcnt_after, 1);	/* the VMA lock dropped */
		VH_CHECK(c.retried && c.anon_retry);
	} else {
		VH_CHECK(c.anon_after);
		if (row->vma_lock)	/* the VMA lock kept */
			VH_CHECK_EQ(c.refcnt_after, 2);
	}
	VH_CHECK(!rwsem_is_locked(&c.mm->mmap_lock));
}

VH_TABLE(vmf_anon_prepare,
	 "mm/memory.c: an anonymous fault under the VMA lock prepares the anon_vma only under mmap_lock, else returns VM_FAULT_RETRY with the VMA lock dropped",
	 ap_rows, ap_body);
