// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel code under test calls back into that belongs to no stub
 * header: mmdrop's __mmdrop(), the dump_vma()/dump_mm() that VM_WARN_*_VMA()
 * print, the TLB gather of mm_types.h; and the environment's start-up and
 * shut-down.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "kcsan.h"
#include "env.h"
#include "report.h"
#include "lockdep.h"

void maple_tree_init(void);
void vma_state_init(void);

/*
 * Globals of kernel files we do not compile (mm/util.c, mm/mmap.c,
 * mm/init-mm.c), at their boot-time values.
 */
int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
const struct vm_operations_struct vma_dummy_vm_ops;
/* security/min_addr.c, with Debian's CONFIG_DEFAULT_MMAP_MIN_ADDR. */
unsigned long mmap_min_addr = 65536;
unsigned long dac_mmap_min_addr = 65536;

/* A harness task has no resource limits (RLIM_INFINITY). */
unsigned long rlimit(unsigned int limit __always_unused)
{
	return ~0UL;
}

unsigned long rlimit_max(unsigned int limit __always_unused)
{
	return ~0UL;
}

/* The address spaces alive, for vh_env_describe(). */
static struct mm_struct **vh_mms;
static size_t vh_nr_mms, vh_cap_mms;
static pthread_mutex_t vh_mms_lock = PTHREAD_MUTEX_INITIALIZER;

void vh_mm_track(struct mm_struct *mm)
{
	pthread_mutex_lock(&vh_mms_lock);
	if (vh_nr_mms == vh_cap_mms) {
		vh_cap_mms = vh_cap_mms ? 2 * vh_cap_mms : 16;
		vh_mms = realloc(vh_mms, vh_cap_mms * sizeof(*vh_mms));
		if (!vh_mms)
			abort();
	}
	vh_mms[vh_nr_mms++] = mm;
	pthread_mutex_unlock(&vh_mms_lock);
}

static void vh_mm_untrack(struct mm_struct *mm)
{
	size_t i;

	pthread_mutex_lock(&vh_mms_lock);
	for (i = 0; i < vh_nr_mms; i++) {
		if (vh_mms[i] == mm) {
			vh_mms[i] = vh_mms[--vh_nr_mms];
			break;
		}
	}
	if (!vh_nr_mms) {
		free(vh_mms);
		vh_mms = NULL;
		vh_cap_mms = 0;
	}
	pthread_mutex_unlock(&vh_mms_lock);
}

void __mmdrop(struct mm_struct *mm)
{
	WARN_ON(!mtree_empty(&mm->mm_mt));
	/* As exit_mmap(): the tree's lock is mmap_lock (not its spinlock). */
	mmap_write_lock(mm);
	__mt_destroy(&mm->mm_mt);
	mmap_write_unlock(mm);
	vh_mm_untrack(mm);
	free(mm);
}

/*
 * The fields of the structures a race is most likely on, as every tree we
 * build (the per-VMA lock code needs CONFIG_PER_VMA_LOCK, or the series)
 * defines them.
 */
struct vh_field {
	const char *name;
	size_t off, size;
};

#define VH_FIELD(type, f)						\
	{ #type "." #f, offsetof(struct type, f),			\
	  sizeof(((struct type *)0)->f) }

static const struct vh_field vh_vma_fields[] = {
	VH_FIELD(vm_area_struct, vm_start),
	VH_FIELD(vm_area_struct, vm_end),
	VH_FIELD(vm_area_struct, vm_mm),
	VH_FIELD(vm_area_struct, vm_page_prot),
	VH_FIELD(vm_area_struct, vm_flags),
	VH_FIELD(vm_area_struct, vm_lock_seq),
	VH_FIELD(vm_area_struct, anon_vma_chain),
	VH_FIELD(vm_area_struct, anon_vma),
	VH_FIELD(vm_area_struct, vm_ops),
	VH_FIELD(vm_area_struct, vm_pgoff),
	VH_FIELD(vm_area_struct, vm_file),
	VH_FIELD(vm_area_struct, vm_private_data),
	VH_FIELD(vm_area_struct, vm_refcnt),
	VH_FIELD(vm_area_struct, shared),
};

static const struct vh_field vh_mm_fields[] = {
	VH_FIELD(mm_struct, mm_mt),
	VH_FIELD(mm_struct, mm_users),
	VH_FIELD(mm_struct, mm_count),
	VH_FIELD(mm_struct, map_count),
	VH_FIELD(mm_struct, mmap_lock),
	VH_FIELD(mm_struct, mm_lock_seq),
	VH_FIELD(mm_struct, vma_writer_wait),
	VH_FIELD(mm_struct, total_vm),
	VH_FIELD(mm_struct, locked_vm),
	VH_FIELD(mm_struct, data_vm),
	VH_FIELD(mm_struct, exec_vm),
	VH_FIELD(mm_struct, stack_vm),
};

static void vh_describe_in(const struct vh_field *f, size_t nr,
			   const char *type, const void *base,
			   const void *addr, const char *where, char *buf,
			   size_t size)
{
	size_t off = (const char *)addr - (const char *)base, i;

	for (i = 0; i < nr; i++) {
		if (off >= f[i].off && off < f[i].off + f[i].size) {
			snprintf(buf, size, "%s (+%#zx of the %s at %p%s)",
				 f[i].name, off, type, base, where);
			return;
		}
	}
	snprintf(buf, size, "%s+%#zx (the %s at %p%s)", type, off, type, base,
		 where);
}

bool vh_env_describe(const void *addr, char *buf, size_t size)
{
	const char *cache;
	const void *base;
	size_t i;
	bool found = false;

	if (vh_kmem_cache_object(addr, &cache, &base)) {
		if (!strcmp(cache, "vm_area_struct"))
			vh_describe_in(vh_vma_fields, ARRAY_SIZE(vh_vma_fields),
				       "vm_area_struct", base, addr,
				       ", slab cache vm_area_struct", buf,
				       size);
		else
			snprintf(buf, size, "+%#zx of an object of slab cache %s at %p",
				 (size_t)((const char *)addr -
					  (const char *)base), cache, base);
		return true;
	}
	pthread_mutex_lock(&vh_mms_lock);
	for (i = 0; i < vh_nr_mms && !found; i++) {
		const char *mm = (const char *)vh_mms[i];

		if ((const char *)addr >= mm &&
		    (const char *)addr < mm + sizeof(struct mm_struct)) {
			vh_describe_in(vh_mm_fields, ARRAY_SIZE(vh_mm_fields),
				       "mm_struct", mm, addr, "", buf, size);
			found = true;
		}
	}
	pthread_mutex_unlock(&vh_mms_lock);
	return found;
}

/* A task ends holding a VMA read lock: shared/env/lockdep.c releases it. */
static void vh_release_vma_lock(const struct lockdep_map *map, int read)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct vm_area_struct *vma = container_of(map, struct vm_area_struct,
						  vmlock_dep_map);

	if (read)
		vma_end_read(vma);
#endif
}

void dump_vma(const struct vm_area_struct *vma)
{
	vh_diag("vma %p [%#lx-%#lx) mm %p refcnt %u lock_seq %u", vma,
		vma->vm_start, vma->vm_end, vma->vm_mm,
		refcount_read(&vma->vm_refcnt), vma->vm_lock_seq);
}

/*
 * vma_assert_write_locked() is VM_WARN_ON_ONCE_VMA(!__is_vma_write_locked()).
 * The upstream suite never takes mmap_lock, hence never holds a VMA write
 * lock in the real sense either (its helpers reset vm_lock_seq to track
 * vma_start_write() calls); in its relaxed runs that one assertion is counted
 * as a lock-held assertion.  Every other warning fails the test.
 */
void vh_vm_warn_vma(const char *cond, const struct vm_area_struct *vma,
		    const char *file, int line)
{
	if (vh_relaxed_lock_asserts &&
	    !strcmp(cond, "!__is_vma_write_locked(vma)")) {
		vh_relaxed_lock_assert_count++;
		return;
	}
	vh_report("WARN", file, line, "%s", cond);
	if (vh_verbose || !vh_warn_expected())
		dump_vma(vma);
}

void dump_mm(const struct mm_struct *mm)
{
	vh_diag("mm %p map_count %d mm_lock_seq %u", mm, mm->map_count,
		mm->mm_lock_seq.sequence);
}

void vh_env_init(void)
{
	vh_lockdep_release_other = vh_release_vma_lock;
	vh_kcsan_set_describe(vh_env_describe);
	vh_rcu_init();
	maple_tree_init();
	vma_state_init();
	/* The boot-time set-up of the kernel files compiled (start_kernel()). */
	anon_vma_init();
	mmap_init();
}

void vh_env_exit(void)
{
	vh_rcu_exit();
	vh_slab_teardown();
	vh_task_free(vh_task_exit());
}

/* mm_types.h declares these out of line; there is no TLB to flush here. */
void tlb_gather_mmu(struct mmu_gather *tlb __always_unused,
		    struct mm_struct *mm __always_unused)
{
}

void tlb_finish_mmu(struct mmu_gather *tlb __always_unused)
{
}

void tlb_gather_mmu_fullmm(struct mmu_gather *tlb __always_unused,
			   struct mm_struct *mm __always_unused)
{
}
