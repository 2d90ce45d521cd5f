// SPDX-License-Identifier: GPL-2.0
/* The word every barrier touches under ThreadSanitizer (linux/atomic.h). */
int vh_tsan_fence_word;
