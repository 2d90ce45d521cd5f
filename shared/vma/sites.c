// SPDX-License-Identifier: GPL-2.0
/*
 * Which vma_start_write() call sites of mm/vma.c, mm/vma_exec.c, mm/mmap.c and mm/mremap.c each test
 * reaches.  The sites are read from the tree's source at start-up (a call
 * of vma_start_write() outside a comment; its function is the last
 * definition above it, its name "function(argument)"); vma_internal.h
 * routes every call of vma_start_write() in the code under test through
 * vh_write_site() (shared/env/write_site.c) with its file and line, which the
 * running test (vh_current_test()) is credited with.
 *
 * ./vma --list -v prints every site with the rows that declare they drive
 * it under a lockless reader (the rows of shared/vma/under_reader.h's
 * tables: tests/write_path.c, ...); a run with -v or
 * --sites prints every site with the tests that did reach it.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../env/env.h"
#include "../kunit/test.h"
#include "sites.h"

#ifndef VH_KTREE
#define VH_KTREE "?"
#endif

#define VH_MAX_SITES	64
#define VH_MAX_NAMES	128

struct vh_site {
	const char *file;		/* "mm/vma.c" */
	int line;
	char id[96];			/* "vma_expand(target)" */
	bool built_out;			/* in #ifdef CONFIG_STACK_GROWSUP */
	const char *declared[VH_MAX_NAMES];
	int nr_declared;
	const char *reached[VH_MAX_NAMES];
	int nr_reached;
	bool reached_now;		/* by the running test */
};

static struct vh_site vh_sites[VH_MAX_SITES];
static int vh_nr_sites;
static bool vh_sites_loaded;
static pthread_mutex_t vh_sites_lock = PTHREAD_MUTEX_INITIALIZER;
/* The test whose sites reached_now describes. */
static const char *vh_sites_test;

/* A new test runs: forget what the last one reached (lock held). */
static void vh_sites_follow(void)
{
	const char *t = vh_current_test();
	int i;

	if (t == vh_sites_test)
		return;
	vh_sites_test = t;
	for (i = 0; i < vh_nr_sites; i++)
		vh_sites[i].reached_now = false;
}

/* The identifier before the last '(' of a function header line. */
static bool vh_func_name(const char *l, char *out, size_t n)
{
	const char *p = strchr(l, '('), *e;

	if (!p || (!isalpha((unsigned char)l[0]) && l[0] != '_') ||
	    strchr(l, ';') ||
	    !strncmp(l, "EXPORT", 6))
		return false;
	e = p;
	while (e > l && (isalnum((unsigned char)e[-1]) || e[-1] == '_'))
		e--;
	if (e == p)
		return false;
	snprintf(out, n, "%.*s", (int)(p - e), e);
	return true;
}

static void vh_sites_parse(const char *rel)
{
	char path[4096], line[1024], func[64] = "?";
	bool in_comment = false;
	int depth_growsup = 0, depth = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", VH_KTREE, rel);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line, *c;

		n++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "#if", 3)) {
			depth++;
			if (strstr(p, "CONFIG_STACK_GROWSUP") &&
			    !strstr(p, "!defined") && !depth_growsup)
				depth_growsup = depth;
		} else if (!strncmp(p, "#endif", 6)) {
			if (depth == depth_growsup)
				depth_growsup = 0;
			depth--;
		} else if (!strncmp(p, "#else", 5) && depth == depth_growsup) {
			depth_growsup = 0;
		}
		if (in_comment) {
			if (strstr(p, "*/"))
				in_comment = false;
			continue;
		}
		if (!strncmp(p, "/*", 2) && !strstr(p, "*/")) {
			in_comment = true;
			continue;
		}
		if (p == line)
			vh_func_name(line, func, sizeof(func));
		c = strstr(p, "vma_start_write(");
		if (!c || !strncmp(p, "*", 1) || !strncmp(p, "//", 2) ||
		    vh_nr_sites == VH_MAX_SITES)
			continue;
		{
			struct vh_site *s = &vh_sites[vh_nr_sites++];
			const char *a = c + strlen("vma_start_write("), *z;

			z = strchr(a, ')');
			s->file = rel;
			s->line = n;
			s->built_out = depth_growsup > 0;
			snprintf(s->id, sizeof(s->id), "%s(%.*s)", func,
				 z ? (int)(z - a) : 0, a);
		}
	}
	fclose(f);
}

static void vh_sites_load(void)
{
	if (vh_sites_loaded)
		return;
	vh_sites_loaded = true;
	vh_sites_parse("mm/vma.c");
	vh_sites_parse("mm/vma_exec.c");
	vh_sites_parse("mm/mmap.c");
	vh_sites_parse("mm/mremap.c");
}

static struct vh_site *vh_site_at(const char *file, int line)
{
	size_t fl = strlen(file);
	int i;

	for (i = 0; i < vh_nr_sites; i++) {
		size_t sl = strlen(vh_sites[i].file);

		if (vh_sites[i].line == line && fl >= sl &&
		    !strcmp(file + fl - sl, vh_sites[i].file) &&
		    (fl == sl || file[fl - sl - 1] == '/'))
			return &vh_sites[i];
	}
	return NULL;
}

static struct vh_site *vh_site_named(const char *id)
{
	int i;

	for (i = 0; i < vh_nr_sites; i++)
		if (!strcmp(vh_sites[i].id, id))
			return &vh_sites[i];
	return NULL;
}

static void vh_add_name(const char **names, int *nr, const char *name)
{
	int i;

	for (i = 0; i < *nr; i++)
		if (names[i] == name || !strcmp(names[i], name))
			return;
	if (*nr < VH_MAX_NAMES)
		names[(*nr)++] = name;
}

static void vh_write_site_hit(const char *file, int line)
{
	struct vh_site *s;

	/* Only kernel files: the fast way out for the tests' own calls. */
	if (!strstr(file, "mm/vma") && !strstr(file, "mm/mmap.c") &&
	    !strstr(file, "mm/mremap.c"))
		return;
	pthread_mutex_lock(&vh_sites_lock);
	vh_sites_load();
	vh_sites_follow();
	s = vh_site_at(file, line);
	if (s) {
		s->reached_now = true;
		if (vh_sites_test)
			vh_add_name(s->reached, &s->nr_reached, vh_sites_test);
	}
	pthread_mutex_unlock(&vh_sites_lock);
}

bool vh_site_reached(const char *id)
{
	struct vh_site *s;
	bool r;

	pthread_mutex_lock(&vh_sites_lock);
	vh_sites_load();
	vh_sites_follow();
	s = vh_site_named(id);
	r = s && s->reached_now;
	pthread_mutex_unlock(&vh_sites_lock);
	return r;
}

bool vh_site_exists(const char *id)
{
	bool r;

	pthread_mutex_lock(&vh_sites_lock);
	vh_sites_load();
	r = vh_site_named(id) != NULL;
	pthread_mutex_unlock(&vh_sites_lock);
	return r;
}

void vh_site_declare(const char *id, const char *test)
{
	struct vh_site *s;

	pthread_mutex_lock(&vh_sites_lock);
	vh_sites_load();
	s = vh_site_named(id);
	if (s && s->nr_declared < VH_MAX_NAMES) {
		char *name = strdup(test);

		if (!name)
			abort();
		vh_add_name(s->declared, &s->nr_declared, name);
	}
	pthread_mutex_unlock(&vh_sites_lock);
}

static void vh_sites_print(bool declared)
{
	int i, j, missing = 0;

	vh_sites_load();
	printf("# vma_start_write() call sites of mm/vma.c, mm/vma_exec.c, mm/mmap.c, mm/mremap.c: %s\n",
	       declared ? "rows that drive each under a lockless reader" :
	       "tests that reached each in this run");
	for (i = 0; i < vh_nr_sites; i++) {
		struct vh_site *s = &vh_sites[i];
		const char **names = declared ? s->declared : s->reached;
		int nr = declared ? s->nr_declared : s->nr_reached;

		printf("#   %s:%d %s:", s->file, s->line, s->id);
		if (s->built_out)
			printf(" not built (CONFIG_STACK_GROWSUP: not x86)");
		else if (!nr)
			printf(" NONE");
		/* After a run, the first few of the tests that reached it. */
		for (j = 0; j < nr && (declared || j < 6); j++)
			printf(" %s", names[j]);
		if (j < nr)
			printf(" (and %d more)", nr - j);
		printf("\n");
		missing += !nr && !s->built_out;
	}
	if (!vh_nr_sites)
		printf("#   (%s/mm/vma.c could not be read)\n", VH_KTREE);
	else
		printf("# %d site(s), %d without a %s\n", vh_nr_sites, missing,
		       declared ? "row" : "test");
}

static void vh_sites_list(void)
{
	vh_sites_print(true);
}

static void vh_sites_report(void)
{
	pthread_mutex_lock(&vh_sites_lock);
	vh_sites_print(false);
	pthread_mutex_unlock(&vh_sites_lock);
}

static void __attribute__((constructor)) vh_sites_init(void)
{
	vh_write_site_register(vh_write_site_hit);
	vh_register_summary(vh_sites_list, vh_sites_report);
}
