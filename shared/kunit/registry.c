// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of tests: tables registered as rows (VH_TABLE()), the run
 * modes and the rooms' summaries, the selection (-t) and the rooms listed
 * by --list -v.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu.h>
#include <linux/sched.h>
#include "../env/report.h"
#include "test.h"
#include "ktap.h"
#include "mode.h"
#include "runner.h"
#include "../env/env.h"
#include "../env/deadlock.h"
#include "parallel.h"
#include "../env/room.h"
#include "../env/lockdep.h"

struct vh_test *vh_tests;
size_t vh_nr_tests;
static size_t vh_cap_tests;

static void vh_apply_needs(struct vh_test *t);

void vh_register_table(const char *file, const char *name, const char *rule,
		       const void *rows, size_t nr_rows, size_t row_size,
		       size_t desc_offset, size_t why_offset, vh_body_t body,
		       const char *skip)
{
	size_t i;

	for (i = 0; i < nr_rows; i++) {
		const char *row = (const char *)rows + i * row_size;
		const char *desc = *(const char * const *)(row + desc_offset);
		struct vh_test *t;

		if (vh_nr_tests == vh_cap_tests) {
			vh_cap_tests = vh_cap_tests ? 2 * vh_cap_tests : 64;
			vh_tests = realloc(vh_tests,
					   vh_cap_tests * sizeof(*vh_tests));
			if (!vh_tests)
				abort();
		}
		t = &vh_tests[vh_nr_tests++];
		if (asprintf(&t->name, "%s.%s", name, desc) < 0)
			abort();
		t->table = name;
		t->file = file;
		t->desc = desc;
		t->rule = rule;
		t->why = why_offset == VH_NO_WHY ? NULL :
			 *(const char * const *)(row + why_offset);
		t->row = row;
		t->body = body;
		t->skip = skip;
		t->selected = false;
		vh_apply_needs(t);
	}
}

/*
 * What tests need of the configuration (VH_NEEDS_CONFIG()): a test whose
 * name matches a need's glob is skipped, with the reason, when the build
 * lacks the symbol.  Needs and tables register in any order.
 */
struct vh_need {
	const char *glob;
	const char *sym;
};
static struct vh_need *vh_needs;
static size_t vh_nr_needs;

static void vh_apply_needs(struct vh_test *t)
{
	size_t i;

	for (i = 0; i < vh_nr_needs && !t->skip; i++)
		if (!fnmatch(vh_needs[i].glob, t->name, 0))
			t->skip = vh_config_needs(vh_needs[i].sym);
}

void vh_register_need(const char *glob, const char *sym)
{
	size_t i;

	vh_needs = realloc(vh_needs, (vh_nr_needs + 1) * sizeof(*vh_needs));
	if (!vh_needs)
		abort();
	vh_needs[vh_nr_needs++] = (struct vh_need){ glob, sym };
	for (i = 0; i < vh_nr_tests; i++)
		vh_apply_needs(&vh_tests[i]);
}

/* Run modes (shared/kunit/mode.h), in the order they registered. */
const struct vh_mode *vh_modes[VH_MAX_MODES];
int vh_nr_modes;

void vh_register_mode(const struct vh_mode *mode)
{
	if (vh_nr_modes == VH_MAX_MODES)
		abort();
	vh_modes[vh_nr_modes++] = mode;
}

/* Tables of the rooms above: with --list -v, and after a run. */
void (*vh_summary_list)(void);
void (*vh_summary_after)(void);

void vh_register_summary(void (*list)(void), void (*after)(void))
{
	vh_summary_list = list;
	vh_summary_after = after;
}

bool vh_select(const char *patterns)
{
	char *list = strdup(patterns), *save = NULL, *p;
	bool any = false;
	size_t i;

	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		bool hit = false;

		for (i = 0; i < vh_nr_tests; i++) {
			if (!fnmatch(p, vh_tests[i].name, 0)) {
				vh_tests[i].selected = true;
				hit = true;
			}
		}
		if (!hit) {
			fprintf(stderr, "vma: no test matches '%s' (see ./vma --list)\n",
				p);
			exit(2);
		}
		any = true;
	}
	free(list);
	return any;
}

/* The file @path names, from its room's directory on (tests/x.c). */
static const char *vh_repo_path(const char *path)
{
	const char *p = strstr(path, "/tests/");

	if (!p)
		p = strstr(path, "/shared/");
	return p ? p + 1 : path;
}

/*
 * The tree files a rule names first ("mm/mremap.c, mm/vma.c: ..."): the
 * length of that part, without its ": ", or 0 if the rule does not start
 * with paths.
 */
static size_t vh_rule_files(const char *rule)
{
	const char *end = strstr(rule, ": "), *p;
	bool slash = false;

	if (!end || end == rule)
		return 0;
	for (p = rule; p < end; p++) {
		if (*p == ',' && p[1] == ' ' && slash && p + 2 < end) {
			slash = false;
			p++;
		} else if (*p == '/' && p > rule && p[-1] != ' ') {
			slash = true;
		} else if (!isalnum((unsigned char)*p) && !strchr("_.-+", *p)) {
			return 0;
		}
	}
	return slash ? (size_t)(end - rule) : 0;
}

/*
 * ./vma --list -v: the rooms of the harness, top down, as they declared
 * themselves (VH_ROOM()), each with the rooms it may use, then the tests
 * room: the tables and their files, and the tree files each exercises.
 */
void vh_list_rooms(void)
{
	const struct vh_room *rooms[16];
	size_t n = vh_rooms(rooms, sizeof(rooms) / sizeof(rooms[0])), i, t;
	const char *prev = NULL;

	printf("# rooms, top down; each uses only the rooms it names:\n");
	printf("#   tests/ (uses every room of shared/ but modes): the tables:");
	for (t = 0; t < vh_nr_tests; t++) {
		if (prev && !strcmp(prev, vh_tests[t].table))
			continue;
		prev = vh_tests[t].table;
		printf(" %s (%s)", prev, vh_repo_path(vh_tests[t].file));
	}
	printf("\n");
	for (i = 0; i < n; i++)
		printf("#   shared/%s/ (uses %s): %s\n", rooms[i]->name,
		       *rooms[i]->uses ? rooms[i]->uses : "nothing",
		       rooms[i]->what);
	printf("# the tables and the tree files they exercise (the first part of their rules):\n");
	for (t = 0, prev = NULL; t < vh_nr_tests; t++) {
		size_t len;

		if (prev && !strcmp(prev, vh_tests[t].table))
			continue;
		prev = vh_tests[t].table;
		len = vh_rule_files(vh_tests[t].rule);
		if (len)
			printf("#   %s (%s): %.*s\n", prev,
			       vh_repo_path(vh_tests[t].file), (int)len,
			       vh_tests[t].rule);
		else
			printf("#   %s (%s): its rule names no tree file\n",
			       prev, vh_repo_path(vh_tests[t].file));
	}
}

