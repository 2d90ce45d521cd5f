// SPDX-License-Identifier: GPL-2.0
/*
 * Deadlock detection for real threads: the task registry, the waits of its
 * tasks, and the check the runner makes while it waits for a test (see
 * deadlock.h for why a check under the global lock is exact).
 *
 * The report gives, for each task of the test, what it waits for and its
 * stack.  Stacks are taken by the tasks themselves, in a signal handler
 * (SIGUSR2, harmless to a thread blocked in a futex: every wait here
 * re-checks its condition), and symbolized by the sanitizer runtime when
 * one is linked in, else printed as module+offset (addr2line -e ./vma).
 */
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/sched.h>
#include "deadlock.h"

#define VH_DL_STACK	32	/* frames taken */
#define VH_DL_SHOWN	12	/* frames shown */

struct vh_dl_task {
	unsigned long id;
	unsigned long gen;		/* the test it belongs to */
	struct task_struct *task;
	pthread_t tid;
	void *fn;			/* what the thread runs */
	struct vh_wait *wait;		/* NULL while it runs */
	void *stack[VH_DL_STACK];
	int depth;
	int stack_taken;
	struct vh_dl_task *next;
};

static pthread_mutex_t vh_dl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vh_dl_task *vh_dl_tasks;
static unsigned long vh_dl_gen, vh_dl_next_id;
/* Tasks of the current test, and how many of them wait. */
static unsigned int vh_dl_live, vh_dl_blocked;
static __thread struct vh_dl_task *vh_dl_self;
static pthread_once_t vh_dl_once = PTHREAD_ONCE_INIT;

static void vh_dl_stack_handler(int sig __always_unused)
{
	struct vh_dl_task *self = vh_dl_self;
	int saved_errno = errno;

	if (self) {
		self->depth = backtrace(self->stack, VH_DL_STACK);
		__atomic_store_n(&self->stack_taken, 1, __ATOMIC_RELEASE);
	}
	errno = saved_errno;
}

static void vh_dl_init(void)
{
	struct sigaction sa;
	void *pc[2];

	/* The first backtrace() loads libgcc_s: not in a signal handler. */
	backtrace(pc, 2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vh_dl_stack_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
}

void vh_dl_task_start(void *fn)
{
	struct vh_dl_task *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	pthread_once(&vh_dl_once, vh_dl_init);
	t->task = current;
	t->tid = pthread_self();
	t->fn = fn;
	pthread_mutex_lock(&vh_dl_lock);
	t->id = ++vh_dl_next_id;
	t->gen = vh_dl_gen;
	t->next = vh_dl_tasks;
	vh_dl_tasks = t;
	__atomic_store_n(&vh_dl_live, vh_dl_live + 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&vh_dl_lock);
	vh_dl_self = t;
}

void vh_dl_task_exit(void)
{
	struct vh_dl_task *t = vh_dl_self, **pp;

	if (!t)
		return;
	pthread_mutex_lock(&vh_dl_lock);
	for (pp = &vh_dl_tasks; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	if (t->gen == vh_dl_gen)
		__atomic_store_n(&vh_dl_live, vh_dl_live - 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&vh_dl_lock);
	vh_dl_self = NULL;
	free(t);
}

void vh_deadlock_new_test(void)
{
	pthread_mutex_lock(&vh_dl_lock);
	vh_dl_gen++;
	__atomic_store_n(&vh_dl_live, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&vh_dl_blocked, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&vh_dl_lock);
}

static void vh_dl_set_wait(struct vh_dl_task *self, struct vh_wait *w)
{
	if (self->gen == vh_dl_gen)
		__atomic_store_n(&vh_dl_blocked, vh_dl_blocked + (w ? 1 : -1),
				 __ATOMIC_RELAXED);
	self->wait = w;
}

void vh_wait_begin(struct vh_wait *w)
{
	struct vh_dl_task *self = vh_dl_self;

	w->give_up = false;
	if (!self)
		return;
	pthread_mutex_lock(&vh_dl_lock);
	vh_dl_set_wait(self, w);
	pthread_mutex_unlock(&vh_dl_lock);
}

void vh_wait_end(void)
{
	struct vh_dl_task *self = vh_dl_self;

	if (!self)
		return;
	pthread_mutex_lock(&vh_dl_lock);
	if (self->wait)
		vh_dl_set_wait(self, NULL);
	pthread_mutex_unlock(&vh_dl_lock);
}

/*
 * The read-side critical sections open now, other than the caller's own.
 * Racy by nature (the readers run): a section entered or left at this very
 * moment may be counted or not, as a grace period starting now may wait for
 * it or not.
 */
__attribute__((no_sanitize_thread))
static void vh_dl_rcu_snapshot(struct vh_dl_task *self, struct vh_wait *w)
{
	struct vh_dl_task *t;

	w->nr_readers = 0;
	for (t = vh_dl_tasks; t; t = t->next) {
		int depth = __atomic_load_n(&t->task->rcu_depth,
					    __ATOMIC_RELAXED);

		if (t == self || depth <= 0 ||
		    w->nr_readers == VH_WAIT_MAX_READERS)
			continue;
		w->readers[w->nr_readers].id = t->id;
		w->readers[w->nr_readers].section =
			__atomic_load_n(&t->task->rcu_sections,
					__ATOMIC_RELAXED);
		w->nr_readers++;
	}
}

static struct vh_dl_task *vh_dl_find_id(unsigned long id)
{
	struct vh_dl_task *t;

	for (t = vh_dl_tasks; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* Is a reader noted by synchronize_rcu() still in that same section? */
static struct vh_dl_task *vh_dl_rcu_blocker(const struct vh_wait *w)
{
	int i;

	for (i = 0; i < w->nr_readers; i++) {
		struct vh_dl_task *t = vh_dl_find_id(w->readers[i].id);

		/* An exited task left liburcu's registry: not waited for. */
		if (t && t->task->rcu_depth > 0 &&
		    t->task->rcu_sections == w->readers[i].section)
			return t;
	}
	return NULL;
}

static bool vh_dl_rcu_ready(const struct vh_wait *w)
{
	return !vh_dl_rcu_blocker(w);
}

static void vh_dl_rcu_describe(const struct vh_wait *w, char *buf,
			       size_t size)
{
	size_t n = 0;
	int i;

	for (i = 0; i < w->nr_readers && n < size; i++) {
		struct vh_dl_task *t = vh_dl_find_id(w->readers[i].id);
		char name[96];

		if (!t || t->task->rcu_depth <= 0 ||
		    t->task->rcu_sections != w->readers[i].section)
			continue;
		vh_dl_task_name(t->task, name, sizeof(name));
		n += snprintf(buf + n, size - n,
			      "%s %s, which holds the RCU read lock (rcu_read_lock() depth %d)",
			      n ? "and" : " for", name, t->task->rcu_depth);
	}
}

void vh_wait_rcu_begin(struct vh_wait *w)
{
	struct vh_dl_task *self = vh_dl_self;

	w->give_up = false;
	w->nr_readers = 0;
	w->ready = vh_dl_rcu_ready;
	w->describe = vh_dl_rcu_describe;
	if (!self)
		return;
	pthread_mutex_lock(&vh_dl_lock);
	vh_dl_rcu_snapshot(self, w);
	vh_dl_set_wait(self, w);
	pthread_mutex_unlock(&vh_dl_lock);
}

/* Naming, for the reports (called with vh_dl_lock held). */

void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out,
			      size_t size) __weak;

static void vh_dl_fn_name(void *fn, char *buf, size_t size)
{
	buf[0] = 0;
	if (__sanitizer_symbolize_pc) {
		/* Symbolizers look up the byte before a return address. */
		__sanitizer_symbolize_pc((char *)fn + 1, "%f", buf, size);
		if (!strcmp(buf, "??"))
			buf[0] = 0;
	}
}

void vh_dl_task_name(const struct task_struct *task, char *buf, size_t size)
{
	struct vh_dl_task *t;
	char fn[64] = "";

	for (t = vh_dl_tasks; t; t = t->next)
		if (t->task == task)
			break;
	if (t)
		vh_dl_fn_name(t->fn, fn, sizeof(fn));
	if (fn[0])
		snprintf(buf, size, "task %d (%s)", task->pid, fn);
	else
		snprintf(buf, size, "task %d%s", task->pid,
			 t ? "" : " (not a harness thread)");
}

void vh_dl_rwsem_readers(const void *sem, char *buf, size_t size)
{
	struct vh_dl_task *t;
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (t = vh_dl_tasks; t && n < size; t = t->next) {
		for (i = 0; i < t->task->nr_read_held; i++) {
			char name[96];

			if (t->task->read_held[i] != sem)
				continue;
			vh_dl_task_name(t->task, name, sizeof(name));
			n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
				      name);
		}
	}
}

/* The report. */

struct vh_buf {
	char *s;
	size_t len, cap;
};

static void vh_buf_printf(struct vh_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && b->len + n < b->cap)
			break;
		b->cap = 2 * (b->cap + n + 64);
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	b->len += n;
}

/* The last two components of a path: "mm/mmap_lock.c". */
static const char *vh_dl_short(const char *path)
{
	const char *p = path + strlen(path);
	int slashes = 0;

	while (p > path) {
		if (p[-1] == '/' && ++slashes == 2)
			break;
		p--;
	}
	return p;
}

/* Frames of the C library, the sanitizer runtime and this file. */
static bool vh_dl_boring(const char *frame)
{
	static const char * const skip[] = {
		"vh_dl_stack_handler", "nptl/", "sysdeps/", "libsanitizer",
		"sanitizer_common", "??", "<null>", "futex", "__restore_rt",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strstr(frame, skip[i]))
			return true;
	return false;
}

static void vh_dl_print_stack(struct vh_buf *b, struct vh_dl_task *t)
{
	int i, shown = 0;
	bool started = false;

	if (!__atomic_load_n(&t->stack_taken, __ATOMIC_ACQUIRE)) {
		vh_buf_printf(b, "      (no stack: the task did not answer; under TSan, a task blocked in liburcu does not)\n");
		return;
	}
	if (!__sanitizer_symbolize_pc) {
		char **sym = backtrace_symbols(t->stack, t->depth);

		/* Skip the handler and the signal frame. */
		for (i = 2; sym && i < t->depth && shown < VH_DL_SHOWN; i++)
			vh_buf_printf(b, "      #%d %s\n", shown++, sym[i]);
		vh_buf_printf(b, "      (no symbolizer in this build: addr2line -fie PROGRAM +OFFSET)\n");
		free(sym);
		return;
	}
	for (i = 0; i < t->depth && shown < VH_DL_SHOWN; i++) {
		char frames[1024], *f, *next;

		memset(frames, 0, sizeof(frames));
		__sanitizer_symbolize_pc((char *)t->stack[i] - 1,
					 "%f %s:%l", frames,
					 sizeof(frames) - 1);
		/* One string per (inlined) frame, then an empty one. */
		for (f = frames; *f && shown < VH_DL_SHOWN; f = next) {
			char *file = strchr(f, ' ');

			next = f + strlen(f) + 1;
			if (!started && vh_dl_boring(f))
				continue;
			started = true;
			if (file)
				*file++ = 0;
			vh_buf_printf(b, "      #%d %s %s\n", shown++, f,
				      file ? vh_dl_short(file) : "");
			/* Below: the thread pool (shared/kunit/thread.c). */
			if (!strcmp(f, "vh_thread_run"))
				return;
		}
	}
}

static void vh_dl_take_stacks(void)
{
	struct vh_dl_task *t;
	struct timespec pause = { 0, 1000000 };
	int tries;
	bool all;

	for (t = vh_dl_tasks; t; t = t->next) {
		if (t->gen != vh_dl_gen)
			continue;
		__atomic_store_n(&t->stack_taken, 0, __ATOMIC_RELAXED);
		pthread_kill(t->tid, SIGUSR2);
	}
	for (tries = 0; tries < 500; tries++) {
		all = true;
		for (t = vh_dl_tasks; t; t = t->next)
			if (t->gen == vh_dl_gen &&
			    !__atomic_load_n(&t->stack_taken, __ATOMIC_ACQUIRE))
				all = false;
		if (all)
			return;
		nanosleep(&pause, NULL);
	}
}

enum vh_deadlock vh_deadlock_check(char **report)
{
	struct vh_buf b = { 0 };
	struct vh_dl_task *t;
	bool gave_up = false;

	*report = NULL;
	if (__atomic_load_n(&vh_dl_blocked, __ATOMIC_RELAXED) !=
	    __atomic_load_n(&vh_dl_live, __ATOMIC_RELAXED))
		return VH_DL_NONE;
	pthread_mutex_lock(&vh_dl_lock);
	if (!vh_dl_live || vh_dl_blocked != vh_dl_live)
		goto none;
	for (t = vh_dl_tasks; t; t = t->next) {
		if (t->gen != vh_dl_gen)
			continue;
		if (!t->wait || t->wait->ready(t->wait))
			goto none;
	}

	/* Every task of the test waits, and no wait can end. */
	vh_dl_take_stacks();
	for (t = vh_dl_tasks; t; t = t->next) {
		struct vh_wait *w = t->wait;
		char name[96], detail[512] = "";

		if (t->gen != vh_dl_gen)
			continue;
		vh_dl_task_name(t->task, name, sizeof(name));
		if (w->describe)
			w->describe(w, detail, sizeof(detail));
		vh_buf_printf(&b, "%s waits in %s%s\n", name, w->what, detail);
		vh_dl_print_stack(&b, t);
		if (w->can_give_up) {
			__atomic_store_n(&w->give_up, true, __ATOMIC_RELEASE);
			gave_up = true;
		}
	}
	pthread_mutex_unlock(&vh_dl_lock);
	*report = b.s;
	return gave_up ? VH_DL_GAVE_UP : VH_DL_STUCK;
none:
	pthread_mutex_unlock(&vh_dl_lock);
	return VH_DL_NONE;
}
