// SPDX-License-Identifier: GPL-2.0
/*
 * The race detector's reports (shared/kcsan/kcsan.c says how it works): the
 * two accesses, symbolised by addr2line with their inline frames, the
 * field the race is on, once in full per race and then in one line.
 */
#ifdef VH_KCSAN

#include <dlfcn.h>
#include <elf.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <stdlib.h>
#include "kcsan_int.h"
#include "../env/env.h"
#include "../env/report.h"

static bool (*kc_describe)(const void *addr, char *buf, size_t size);

void vh_kcsan_set_describe(bool (*describe)(const void *addr, char *buf,
					    size_t size))
{
	kc_describe = describe;
}

/* Reports. */

/* A source position: function, file and line, innermost first. */
struct kc_frame {
	char fn[96];
	char file[160];
	int line;
	bool kernel;		/* the tree's kernel code */
	bool tools;		/* the tree's userspace shims (tools/) */
};

struct kc_sym {
	int nr;
	struct kc_frame f[12];
};

static char kc_exe[4096];
static uintptr_t kc_base;	/* load address to subtract, for PIE */

static void kc_sym_init(void)
{
	Dl_info info;
	ssize_t n;

	if (kc_exe[0])
		return;
	n = readlink("/proc/self/exe", kc_exe, sizeof(kc_exe) - 1);
	if (n <= 0) {
		snprintf(kc_exe, sizeof(kc_exe), "?");
		return;
	}
	kc_exe[n] = 0;
	if (dladdr((void *)kc_sym_init, &info) && info.dli_fbase &&
	    ((const Elf64_Ehdr *)info.dli_fbase)->e_type == ET_DYN)
		kc_base = (uintptr_t)info.dli_fbase;
}

/* Shorten a path the compiler recorded: relative to the tree or repo. */
static void kc_copy(char *out, size_t size, const char *in)
{
	size_t n = strlen(in);

	if (n >= size)
		n = size - 1;
	memcpy(out, in, n);
	out[n] = 0;
}

/*
 * Where @mark starts a component of @in (the build names every file through
 * the links of its gen/ directory, see the Makefile): just after it.
 */
static const char *kc_after(const char *in, const char *mark)
{
	const char *p;

	for (p = strstr(in, mark); p; p = strstr(p + 1, mark))
		if (p == in || p[-1] == '/')
			return p + strlen(mark);
	return NULL;
}

static void kc_short_path(const char *in, char *out, size_t size,
			  bool *kernel, bool *tools)
{
	const char *kinc = kc_after(in, "gen/kinc/");
	const char *ksrc = kc_after(in, "gen/ksrc/");
	const char *repo = kc_after(in, "gen/repo/");

	*kernel = *tools = false;
	if (kinc) {
		kc_copy(out, size, "include/");
		kc_copy(out + 8, size - 8, kinc);
		*kernel = true;
	} else if (ksrc) {
		kc_copy(out, size, ksrc);
		*tools = !strncmp(out, "tools/", 6);
		*kernel = !*tools;
	} else if (repo) {
		kc_copy(out, size, repo);
	} else {
		kc_copy(out, size, in);
	}
}

/*
 * Symbolise @n return addresses with addr2line (inline frames included).
 * Each address is looked up at address - 1, inside the call.
 */
static void kc_symbolize(void *const *pcs, int n, struct kc_sym *out)
{
	char cmd[8192], line[1024];
	size_t len;
	FILE *f;
	int i, cur = -1;

	memset(out, 0, n * sizeof(*out));
	kc_sym_init();
	len = snprintf(cmd, sizeof(cmd), "addr2line -a -f -i -C -e '%s'",
		       kc_exe);
	for (i = 0; i < n && len < sizeof(cmd) - 32; i++)
		len += snprintf(cmd + len, sizeof(cmd) - len, " %#lx",
				(unsigned long)((uintptr_t)pcs[i] - 1 -
						kc_base));
	len += snprintf(cmd + len, sizeof(cmd) - len, " 2>/dev/null");
	f = popen(cmd, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct kc_sym *s;
		struct kc_frame *fr;
		char *colon;

		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "0x", 2)) {
			cur++;
			continue;
		}
		if (cur < 0 || cur >= n)
			continue;
		s = &out[cur];
		if (s->nr == (int)ARRAY_SIZE(s->f))
			continue;
		fr = &s->f[s->nr];
		kc_copy(fr->fn, sizeof(fr->fn), line);
		if (!fgets(line, sizeof(line), f))
			break;
		line[strcspn(line, "\n")] = 0;
		line[strcspn(line, " ")] = 0;	/* " (discriminator N)" */
		colon = strrchr(line, ':');
		if (colon) {
			*colon = 0;
			fr->line = atoi(colon + 1);
		}
		kc_short_path(line, fr->file, sizeof(fr->file), &fr->kernel,
			      &fr->tools);
		s->nr++;
	}
	pclose(f);
}

/* The innermost kernel function of @s, else its innermost one. */
static const struct kc_frame *kc_kernel_frame(const struct kc_sym *s)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (s->f[i].kernel)
			return &s->f[i];
	return s->nr ? &s->f[0] : NULL;
}

/*
 * Print the frames of @s, innermost first, while @budget lasts; false once
 * the stack reaches the harness's own machinery (the runner, the explorer,
 * thread start-up), where the interesting part is over.
 */
static bool kc_print_frames(const struct kc_sym *s, int *budget)
{
	int i;

	for (i = 0; i < s->nr && *budget > 0; i++, (*budget)--) {
		const struct kc_frame *f = &s->f[i];

		if (!strncmp(f->file, "shared/kunit/", 13) ||
		    !strncmp(f->file, "shared/explore/", 15) ||
		    !strncmp(f->fn, "??", 2))
			return false;
		vh_diag(" %s %s:%d%s", f->fn, f->file, f->line,
			f->kernel ? "" : f->tools ? " [tools]" : " [harness]");
	}
	return true;
}

static const char *kc_kind(unsigned int flags)
{
	if (flags & KC_AA)
		return "assert no accesses";
	if (flags & KC_AW)
		return "assert no writes";
	if ((flags & KC_R) && (flags & KC_W))
		return flags & KC_MARKED ? "read-write (marked)" : "read-write";
	if (flags & KC_W)
		return flags & KC_MARKED ? "write (marked)" : "write";
	return flags & KC_MARKED ? "read (marked)" : "read";
}

/*
 * Races already reported.  The first report of a race (a pair of places)
 * is in full; after that it is one line, once per thread: a test's threads
 * are its own, so each test that meets the race fails, and a thread that
 * loops does not say it again.
 */
struct kc_seen {
	void *pc_a, *pc_c;
};

static struct kc_seen kc_seen[256];
static int kc_nr_seen;

static bool kc_same_pair(void *a1, void *c1, void *a2, void *c2)
{
	return (a1 == a2 && c1 == c2) || (a1 == c2 && c1 == a2);
}

/* Returns 0: new, 1: reported before, 2: reported by this thread. */
static int kc_seen_check(struct kc_thread *t, void *pc_a, void *pc_c)
{
	int i, ret = 0;

	for (i = 0; i < t->nr_reported; i++)
		if (kc_same_pair(t->reported[i][0], t->reported[i][1],
				 pc_a, pc_c))
			return 2;
	if (t->nr_reported < (int)ARRAY_SIZE(t->reported)) {
		t->reported[t->nr_reported][0] = pc_a;
		t->reported[t->nr_reported][1] = pc_c;
		t->nr_reported++;
	}
	pthread_mutex_lock(&kc_lock);
	for (i = 0; i < kc_nr_seen && !ret; i++)
		if (kc_same_pair(kc_seen[i].pc_a, kc_seen[i].pc_c, pc_a, pc_c))
			ret = 1;
	if (!ret && kc_nr_seen < (int)ARRAY_SIZE(kc_seen))
		kc_seen[kc_nr_seen++] = (struct kc_seen){ pc_a, pc_c };
	pthread_mutex_unlock(&kc_lock);
	return ret;
}

static void kc_report(struct kc_thread *t, const struct kc_race *race,
		      void *const *stack, int depth)
{
	void *pcs[2 + 64];
	struct kc_sym *sym;
	const struct kc_frame *fa, *fc;
	const char *na, *nc, *first, *second;
	char what[256] = "";
	bool assert = (race->a.flags | race->c.flags) & KC_ASSERT;
	int i, n = 0, budget, seen;

	seen = kc_seen_check(t, race->a.pc, race->c.pc);
	if (seen == 2)
		return;
	__atomic_fetch_add(&kc_stats->reports, 1, __ATOMIC_RELAXED);

	/* This access (its whole stack), then the other (where, caller). */
	for (i = 0; i < depth && n < 64; i++)
		pcs[n++] = stack[i];
	pcs[n++] = race->c.pc;
	pcs[n++] = race->c.pc1;
	sym = kc_zalloc(n * sizeof(*sym));
	kc_symbolize(pcs, n, sym);

	/* This access's stack starts at its own pc, inside its frame. */
	for (i = 0; i < depth; i++)
		if (stack[i] == race->a.pc)
			break;
	if (i == depth)
		i = 0;
	fa = kc_kernel_frame(&sym[i]);
	fc = kc_kernel_frame(&sym[n - 2]);
	na = fa ? fa->fn : "?";
	nc = fc ? fc->fn : "?";
	first = strcmp(na, nc) <= 0 ? na : nc;
	second = first == na ? nc : na;

	vh_report("KCSAN", fa ? fa->file : "?", fa ? fa->line : 0,
		  "%s in %s / %s%s", assert ? "assert: race" : "data-race",
		  first, second, seen ? " (as reported above)" : "");
	if (seen)
		goto out;
	if (!kc_describe ||
	    !kc_describe((const void *)race->a.addr, what, sizeof(what)))
		what[0] = 0;

	vh_diag("==================================================================");
	vh_diag("BUG: KCSAN: %s in %s / %s", assert ? "assert: race" :
		"data-race", first, second);
	vh_diag("%s", "");
	vh_diag("%s to %#lx of %u bytes by task %u:", kc_kind(race->a.flags),
		(unsigned long)race->a.addr, race->a.size, race->a.pid);
	budget = 16;
	for (; i < depth && budget > 0; i++)
		if (!kc_print_frames(&sym[i], &budget))
			break;
	vh_diag("%s", "");
	vh_diag("%s to %#lx of %u bytes by task %u:", kc_kind(race->c.flags),
		(unsigned long)race->c.addr, race->c.size, race->c.pid);
	budget = 8;
	kc_print_frames(&sym[n - 2], &budget);
	if (race->c.pc1)
		kc_print_frames(&sym[n - 1], &budget);
	vh_diag("%s", "");
	if (what[0])
		vh_diag("%s", what);
	vh_diag("no acquire, release, lock, grace period or thread start/join orders the two accesses");
	vh_diag("==================================================================");
out:
	__real_free(sym);
}

void kc_race_found(struct kc_thread *t, struct kc_race *race)
{
	void *stack[64];
	int depth;

	if (t->reporting)
		return;
	/* Seqlock read sections: wait for the retry (see the top). */
	if ((race->a.flags & KC_SPEC) && !(race->c.flags & KC_ASSERT)) {
		if (t->nr_deferred < KC_MAX_DEFERRED)
			t->deferred[t->nr_deferred++] = *race;
		return;
	}
	t->reporting = true;
	depth = backtrace(stack, 64);
	kc_report(t, race, stack, depth);
	t->reporting = false;
}

/* Races of a seqlock read section that no retry validated. */
void kc_flush_deferred(struct kc_thread *t)
{
	int i;

	for (i = 0; i < t->nr_deferred; i++) {
		struct kc_race *race = &t->deferred[i];
		void *stack[2] = { race->a.pc, race->a.pc1 };

		vh_diag("KCSAN: a race in a seqcount read section that no read_seqcount_retry() validated:");
		t->reporting = true;
		kc_report(t, race, stack, 2);
		t->reporting = false;
	}
	t->nr_deferred = 0;
}

#endif /* VH_KCSAN */
