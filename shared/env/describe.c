// SPDX-License-Identifier: GPL-2.0
/*
 * The address spaces alive (vh_mm_track()), and the names of the fields
 * of their VMAs and of themselves, with which the race detector's reports
 * name an address (vh_env_describe(): "vm_area_struct.vm_mm").
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include "env.h"

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

void vh_mm_untrack(struct mm_struct *mm)
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

