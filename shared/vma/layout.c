// SPDX-License-Identifier: GPL-2.0
/*
 * Address-space layouts drawn as pictures, as the comments of the kernel's
 * tools/testing/vma/tests/merge.c draw them: one character per page from
 * VH_BASE, a letter per VMA, '-' (or ' ') where nothing is mapped.  An
 * upper-case letter is a read-write VMA (VH_RW), a lower-case one a
 * read-only VMA (VH_RO):
 *
 *	"AAAAbbbb"	[0, 4) read-write, [4, 8) read-only
 *	"AA--BB--CC"	three read-write VMAs with gaps between them
 *
 * A picture of a range ("   **   ") marks pages with one character.
 */
#include <errno.h>
#include <string.h>
#include <linux/mm.h>
#include "../env/report.h"
#include "../kunit/test.h"
#include "vma.h"

static bool vh_layout_gap(char c)
{
	return c == '-' || c == ' ';
}

static bool vh_layout_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static char vh_layout_upper(char c)
{
	return c >= 'a' ? c - 'a' + 'A' : c;
}

int vh_layout_parse(const char *layout, struct vh_layout_vma *vmas, int max)
{
	size_t len = strlen(layout), i;
	unsigned int seen = 0;
	int n = 0;

	if (len > VH_LAYOUT_MAX) {
		vh_diag("layout \"%s\": more than %d pages", layout,
			VH_LAYOUT_MAX);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		char c = layout[i], name = vh_layout_upper(c);
		vm_flags_t flags = c == name ? VH_RW : VH_RO;
		unsigned long addr = VH_BASE + VH_PG(i);

		if (vh_layout_gap(c))
			continue;
		if (!vh_layout_letter(c)) {
			vh_diag("layout \"%s\": '%c' is neither a letter nor a gap",
				layout, c);
			return -EINVAL;
		}
		if (n && vmas[n - 1].name == name &&
		    vmas[n - 1].end == addr) {
			if (vmas[n - 1].flags != flags) {
				vh_diag("layout \"%s\": VMA %c is both upper and lower case",
					layout, name);
				return -EINVAL;
			}
			vmas[n - 1].end += PAGE_SIZE;
			continue;
		}
		if (seen & (1U << (name - 'A'))) {
			vh_diag("layout \"%s\": VMA %c is not contiguous",
				layout, name);
			return -EINVAL;
		}
		if (n == max) {
			vh_diag("layout \"%s\": more than %d VMAs", layout,
				max);
			return -EINVAL;
		}
		seen |= 1U << (name - 'A');
		vmas[n++] = (struct vh_layout_vma){
			.start = addr,
			.end = addr + PAGE_SIZE,
			.flags = flags,
			.name = name,
		};
	}
	return n;
}

bool vh_layout_span(const char *picture, char mark, unsigned long *start,
		    unsigned long *end)
{
	const char *first = picture ? strchr(picture, mark) : NULL;
	const char *p = first;

	if (!first)
		return false;
	while (*p == mark)
		p++;
	if (strchr(p, mark))
		return false;
	*start = VH_BASE + VH_PG(first - picture);
	*end = VH_BASE + VH_PG(p - picture);
	return true;
}

int vh_map_layout(struct mm_struct *mm, const char *layout)
{
	struct vh_layout_vma v[VH_LAYOUT_MAX];
	int n = vh_layout_parse(layout, v, VH_LAYOUT_MAX), i, err = 0;

	if (n < 0)
		return n;
	for (i = 1; i < n; i++) {
		if (v[i - 1].end == v[i].start &&
		    v[i - 1].flags == v[i].flags) {
			vh_diag("layout \"%s\": %c and %c would merge (give one of them the other case)",
				layout, v[i - 1].name, v[i].name);
			return -EINVAL;
		}
	}
	mmap_write_lock(mm);
	for (i = 0; i < n && !err; i++)
		err = vh_map(mm, v[i].start, v[i].end, v[i].flags);
	mmap_write_unlock(mm);
	if (err)
		vh_diag("layout \"%s\": mapping VMA %c failed (%d)", layout,
			v[i - 1].name, err);
	return err;
}

int vh_map_layout_stack(struct mm_struct *mm, const char *layout)
{
	char rest[VH_LAYOUT_MAX + 1];
	unsigned long start, end;
	size_t i;
	int err;

	if (strlen(layout) > VH_LAYOUT_MAX)
		return -EINVAL;
	for (i = 0; layout[i]; i++)
		rest[i] = layout[i] == 'S' ? '-' : layout[i];
	rest[i] = 0;
	err = vh_map_layout(mm, rest);
	if (err || !vh_layout_span(layout, 'S', &start, &end))
		return err;
	mmap_write_lock(mm);
	err = vh_map(mm, start, end, VH_RW | VM_GROWSDOWN);
	mmap_write_unlock(mm);
	return err;
}

/*
 * Draw what @mm holds, with the letters A, B, C... in address order, in
 * @buf (VH_LAYOUT_MAX + 1 bytes); false if a VMA lies outside the picture.
 */
static bool vh_layout_draw(struct mm_struct *mm, char *buf)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	size_t len = 0, i;
	char name = 'A';
	bool inside = true;

	for_each_vma(vmi, vma) {
		unsigned long s = vma->vm_start, e = vma->vm_end;

		if (s < VH_BASE || e > VH_BASE + VH_PG(VH_LAYOUT_MAX)) {
			vh_diag("VMA [%#lx-%#lx) lies outside the picture",
				s, e);
			inside = false;
			continue;
		}
		for (i = len; i < (s - VH_BASE) / PAGE_SIZE; i++)
			buf[i] = '-';
		for (; i < (e - VH_BASE) / PAGE_SIZE; i++)
			buf[i] = vma->vm_flags & VM_WRITE ?
				 name : name - 'A' + 'a';
		len = i;
		name = name == 'Z' ? 'A' : name + 1;
	}
	buf[len] = 0;
	return inside;
}

bool vh_layout_is(struct mm_struct *mm, const char *layout)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vh_layout_vma v[VH_LAYOUT_MAX];
	int n = vh_layout_parse(layout, v, VH_LAYOUT_MAX), i = 0;
	struct vm_area_struct *vma;
	char found[VH_LAYOUT_MAX + 1];
	bool same = true;

	if (n < 0)
		return false;
	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (i == n || vma->vm_start != v[i].start ||
		    vma->vm_end != v[i].end ||
		    !(vma->vm_flags & VM_WRITE) != !(v[i].flags & VM_WRITE))
			same = false;
		i++;
	}
	same &= i == n;
	if (same && mm->map_count != n) {
		vh_diag("layout \"%s\" is there, but map_count is %d",
			layout, mm->map_count);
		same = false;
	}
	if (!same) {
		vh_layout_draw(mm, found);
		vh_diag("layout: expected \"%s\", found \"%s\"", layout,
			found);
	}
	mmap_read_unlock(mm);
	return same;
}

bool vh_fork_child_is(struct mm_struct *child, const char *layout)
{
	VMA_ITERATOR(vmi, child, 0);
	struct vm_area_struct *vma;
	bool ok = vh_layout_is(child, layout);

	mmap_read_lock(child);
	for_each_vma(vmi, vma) {
		if (vma_is_attached(vma))
			continue;
		vh_diag("the child's copy [%#lx-%#lx) is detached after fork",
			vma->vm_start, vma->vm_end);
		ok = false;
	}
	mmap_read_unlock(child);
	return ok;
}
