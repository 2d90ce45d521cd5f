/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vma_start_write() call sites of the tree's mm/vma.c and
 * mm/vma_exec.c, and which tests reach each (shared/vma/sites.c).  A site
 * is named "function(argument)" as the tree spells the call, e.g.
 * "vma_expand(target)", so that names survive line changes between trees.
 */
#ifndef _VH_VMA_SITES_H
#define _VH_VMA_SITES_H

#include <stdbool.h>

/* Did the running test reach the site named @id (e.g. "vma_shrink(vma)")? */
bool vh_site_reached(const char *id);
/* Is there such a site in this tree (it may be built out, see below)? */
bool vh_site_exists(const char *id);
/*
 * A test declares the sites it drives under a reader (for --list -v);
 * @test: its name.  The table of sites and the tests that declare them is
 * part of ./vma --list -v; after a run with -v or --sites, that of the
 * sites and the tests that reached them.
 */
void vh_site_declare(const char *id, const char *test);

#endif /* _VH_VMA_SITES_H */
