/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rooms of the harness: each directory of shared/ declares itself once
 * with VH_ROOM(), naming the rooms it may use.  ./vma --list -v prints
 * them; scripts/check-layout.py checks every include arrow against them
 * and that the file tree and the declarations name the same rooms.
 */
#ifndef _VH_ROOM_H
#define _VH_ROOM_H

#include <stddef.h>

/**
 * struct vh_room - one room of the harness, a directory shared/@name/
 * @name:	the room, named after its directory
 * @uses:	the rooms its files may include, separated by spaces
 * @what:	what lives there, in one line
 * @next:	the registry's list
 */
struct vh_room {
	const char *name;
	const char *uses;
	const char *what;
	const struct vh_room *next;
};

void vh_room_register(struct vh_room *room);
/**
 * vh_rooms() - the rooms, top down
 * @out:	filled with up to @max rooms, each before the rooms it uses
 * @max:	the size of @out
 *
 * Return: the number of rooms put in @out.
 */
size_t vh_rooms(const struct vh_room **out, size_t max);

/**
 * VH_ROOM() - declare the room of the file it is in
 * @_name:	the room's directory under shared/
 * @_uses:	a string: the rooms it may use, separated by spaces
 * @_what:	a string: what lives there
 */
#define VH_ROOM(_name, _uses, _what)					\
static struct vh_room vh_room_##_name = {				\
	.name = #_name, .uses = _uses, .what = _what,			\
};									\
static void __attribute__((constructor)) vh_room_register_##_name(void) \
{									\
	vh_room_register(&vh_room_##_name);				\
}

#endif /* _VH_ROOM_H */
