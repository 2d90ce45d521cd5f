// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel entry points the tests call, checked at their return against
 * their locking contract, as a debug kernel would notice a broken one
 * later (lockdep's held-lock record, RCU nesting): shared/vma/vma.h
 * routes the tests' calls of lock_vma_under_rcu(), lock_next_vma(),
 * vma_start_read_unlocked(), vma_start_read_locked() and vma_end_read()
 * here, and the mm/vma.c operations of shared/vma/address_space.c check themselves.
 *
 * The contract: RCU nesting as at the call (lock_vma_under_rcu() and
 * vma_start_read_unlocked() need no RCU, lock_next_vma() is called inside
 * a read-side section and returns inside one, even if it left it to fall
 * back to mmap_lock); the same locks held as at the call, plus the read
 * lock of the VMA returned, if any (minus that of the VMA released, for
 * vma_end_read()).  A breach fails the test with, for example,
 * "BUG: lock_vma_under_rcu() returned with RCU read lock held (nesting 1)".
 */
#include <stdio.h>
#include <string.h>
#include "../env/report.h"
#include "vma.h"
#include "../env/lockdep.h"
#include "entry.h"

void vh_entry_begin(struct vh_entry *e, const char *fn, const char *file,
		    int line)
{
	struct task_struct *t = current;

	e->fn = fn;
	e->file = file;
	e->line = line;
	e->rcu = t->rcu_depth;
	e->depth = t->lockdep_depth;
	memcpy(e->held, t->held_locks, t->lockdep_depth * sizeof(e->held[0]));
}

static const char *vh_base(const char *file)
{
	const char *p = strstr(file, "/tests/");

	if (!p)
		p = strstr(file, "/shared/");
	return p ? p + 1 : file;
}

/*
 * @vma: a VMA the call read-locked (+1) or released (-1) for the caller,
 * according to @delta; NULL or 0: none.
 */
void vh_entry_end(struct vh_entry *e, struct vm_area_struct *vma, int delta)
{
	struct task_struct *t = current;
	const struct lockdep_map *want = vma ? __vma_lockdep_map(vma) : NULL;
	bool used[VH_MAX_LOCK_DEPTH] = { false };
	bool found_want = false;
	char buf[2048];
	size_t len = 0;
	int i, j;

	if (t->rcu_depth > e->rcu)
		len += snprintf(buf + len, sizeof(buf) - len,
				"BUG: %s() returned with RCU read lock held (nesting %d, caller's %d)\n",
				e->fn, t->rcu_depth, e->rcu);
	else if (t->rcu_depth < e->rcu)
		len += snprintf(buf + len, sizeof(buf) - len,
				"BUG: %s() returned outside the caller's RCU read-side critical section (nesting %d, caller's %d)\n",
				e->fn, t->rcu_depth, e->rcu);

	/* Every lock held now was held before, or is the one returned. */
	for (i = 0; i < t->lockdep_depth && len < sizeof(buf); i++) {
		const struct vh_held_lock *h = &t->held_locks[i];

		for (j = 0; j < e->depth; j++) {
			if (!used[j] && e->held[j].map == h->map &&
			    e->held[j].read == h->read) {
				used[j] = true;
				break;
			}
		}
		if (j < e->depth)
			continue;
		if (delta > 0 && h->map == want && h->read && !found_want) {
			found_want = true;
			continue;
		}
		len += snprintf(buf + len, sizeof(buf) - len,
				"BUG: %s() returned with a lock held that the caller did not hold: %s (%s) %p\n",
				e->fn, h->map->name ? h->map->name :
				vma && h->map == want ? "vm_lock" : "a lock",
				h->read ? "read" : "write", (void *)h->map);
	}
	/* Every lock held before is held still, but the one released. */
	for (j = 0; j < e->depth && len < sizeof(buf); j++) {
		if (used[j])
			continue;
		if (delta < 0 && e->held[j].map == want && !found_want) {
			found_want = true;
			continue;
		}
		len += snprintf(buf + len, sizeof(buf) - len,
				"BUG: %s() returned having released a lock of the caller: %s %p\n",
				e->fn, e->held[j].map->name ?
				e->held[j].map->name : "vm_lock",
				(void *)e->held[j].map);
	}
	if (delta && want && !found_want && len < sizeof(buf))
		len += snprintf(buf + len, sizeof(buf) - len,
				delta > 0 ?
				"BUG: %s() returned VMA [%#lx-%#lx) without holding its read lock\n" :
				"BUG: %s() did not release the read lock of VMA [%#lx-%#lx)\n",
				e->fn, vma->vm_start, vma->vm_end);
	if (!len)
		return;
	if (len < sizeof(buf))
		len += snprintf(buf + len, sizeof(buf) - len,
				"called at %s:%d\n", vh_base(e->file),
				e->line);
	if (len < sizeof(buf))
		vh_lockdep_describe(t, buf, sizeof(buf), len);
	buf[sizeof(buf) - 1] = 0;
	vh_splat(buf);
}

struct vm_area_struct *vh_lock_vma_under_rcu(struct mm_struct *mm,
					     unsigned long address,
					     const char *file, int line)
{
	struct vm_area_struct *vma;
	struct vh_entry e;

	vh_entry_begin(&e, "lock_vma_under_rcu", file, line);
	vma = (lock_vma_under_rcu)(mm, address);
	vh_entry_end(&e, vma, 1);
	return vma;
}

struct vm_area_struct *vh_lock_next_vma(struct mm_struct *mm,
					struct vma_iterator *vmi,
					unsigned long from_addr,
					const char *file, int line)
{
	struct vm_area_struct *vma;
	struct vh_entry e;

	vh_entry_begin(&e, "lock_next_vma", file, line);
	vma = (lock_next_vma)(mm, vmi, from_addr);
	vh_entry_end(&e, IS_ERR_OR_NULL(vma) ? NULL : vma, 1);
	return vma;
}

#ifdef VH_HAVE_START_READ_UNLOCKED
struct vm_area_struct *vh_vma_start_read_unlocked(struct mm_struct *mm,
						  unsigned long address,
						  const char *file, int line)
{
	struct vm_area_struct *vma;
	struct vh_entry e;

	vh_entry_begin(&e, "vma_start_read_unlocked", file, line);
	vma = (vma_start_read_unlocked)(mm, address);
	vh_entry_end(&e, vma, 1);
	return vma;
}
#endif

bool vh_vma_start_read_locked(struct vm_area_struct *vma, const char *file,
			      int line)
{
	struct vh_entry e;
	bool ok;

	vh_entry_begin(&e, "vma_start_read_locked", file, line);
	ok = (vma_start_read_locked)(vma);
	vh_entry_end(&e, ok ? vma : NULL, 1);
	return ok;
}

void vh_vma_end_read(struct vm_area_struct *vma, const char *file, int line)
{
	struct vh_entry e;

	vh_entry_begin(&e, "vma_end_read", file, line);
	(vma_end_read)(vma);
	vh_entry_end(&e, vma, -1);
}
