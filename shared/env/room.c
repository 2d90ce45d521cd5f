// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of rooms (room.h), and this room's own declaration.
 */
#include <stdbool.h>
#include <string.h>
#include "room.h"

VH_ROOM(env, "",
	"the kernel environment: locks, tasks, RCU, slab, lockdep, KASAN, the race detector's interface (kcsan.h), kernel stubs; uses nothing above it");

static const struct vh_room *vh_room_list;

/* Does @room name @other among its uses? */
static bool vh_room_uses(const struct vh_room *room, const char *other)
{
	size_t n = strlen(other);
	const char *p = room->uses;

	while ((p = strstr(p, other))) {
		if ((p == room->uses || p[-1] == ' ') &&
		    (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

void vh_room_register(struct vh_room *room)
{
	room->next = vh_room_list;
	vh_room_list = room;
}

/* How many layers lie below @room (0: it uses no room); -1 on a circle. */
static int vh_room_depth(const struct vh_room *room, int limit)
{
	const struct vh_room *r;
	int depth = 0;

	if (limit < 0)
		return -1;
	for (r = vh_room_list; r; r = r->next) {
		int d;

		if (r == room || !vh_room_uses(room, r->name))
			continue;
		d = vh_room_depth(r, limit - 1);
		if (d < 0)
			return -1;
		if (d + 1 > depth)
			depth = d + 1;
	}
	return depth;
}

size_t vh_rooms(const struct vh_room **out, size_t max)
{
	const struct vh_room *r;
	size_t n = 0, i, j;

	for (r = vh_room_list; r && n < max; r = r->next)
		out[n++] = r;
	/* Top down: deeper first, then by name (insertion sort: few rooms). */
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			int a = vh_room_depth(out[j - 1], (int)n);
			int b = vh_room_depth(out[j], (int)n);

			if (a > b || (a == b &&
				      strcmp(out[j - 1]->name, out[j]->name) <= 0))
				break;
			r = out[j - 1];
			out[j - 1] = out[j];
			out[j] = r;
		}
	}
	return n;
}
