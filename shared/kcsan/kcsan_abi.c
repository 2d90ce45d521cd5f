// SPDX-License-Identifier: GPL-2.0
/*
 * The race detector's entry points for the compiler's ThreadSanitizer
 * instrumentation (shared/kcsan/kcsan.c says how it works): the kernel
 * units' __tsan_*(), the harness units' vh_h__tsan_*() (the build renames
 * them), and the free()/realloc() wrappers.
 */
#ifdef VH_KCSAN

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include "kcsan_int.h"

/* The compiler's instrumentation of the kernel units. */

void __tsan_init(void)
{
}

void __tsan_func_entry(void *pc)
{
}

void __tsan_func_exit(void)
{
}

#define KC_PLAIN(size)							\
void __tsan_read##size(void *p)						\
{									\
	kc_plain((uintptr_t)p, size, 0, KC_PC, KC_PC1);			\
}									\
void __tsan_write##size(void *p)					\
{									\
	kc_plain((uintptr_t)p, size, KCSAN_ACCESS_WRITE, KC_PC, KC_PC1); \
}									\
void __tsan_read_write##size(void *p)					\
{									\
	kc_plain((uintptr_t)p, size,					\
		 KCSAN_ACCESS_WRITE | KCSAN_ACCESS_COMPOUND, KC_PC, KC_PC1); \
}									\
void __tsan_unaligned_read##size(void *p)				\
{									\
	kc_plain((uintptr_t)p, size, 0, KC_PC, KC_PC1);			\
}									\
void __tsan_unaligned_write##size(void *p)				\
{									\
	kc_plain((uintptr_t)p, size, KCSAN_ACCESS_WRITE, KC_PC, KC_PC1); \
}									\
void __tsan_volatile_read##size(void *p)				\
{									\
	kc_plain((uintptr_t)p, size, KCSAN_ACCESS_ATOMIC, KC_PC, KC_PC1); \
}									\
void __tsan_volatile_write##size(void *p)				\
{									\
	kc_plain((uintptr_t)p, size,					\
		 KCSAN_ACCESS_WRITE | KCSAN_ACCESS_ATOMIC, KC_PC, KC_PC1); \
}									\
void __tsan_unaligned_volatile_read##size(void *p)			\
{									\
	kc_plain((uintptr_t)p, size, KCSAN_ACCESS_ATOMIC, KC_PC, KC_PC1); \
}									\
void __tsan_unaligned_volatile_write##size(void *p)			\
{									\
	kc_plain((uintptr_t)p, size,					\
		 KCSAN_ACCESS_WRITE | KCSAN_ACCESS_ATOMIC, KC_PC, KC_PC1); \
}

KC_PLAIN(1)
KC_PLAIN(2)
KC_PLAIN(4)
KC_PLAIN(8)
KC_PLAIN(16)

void __tsan_read_range(void *p, unsigned long size)
{
	kc_plain((uintptr_t)p, size, 0, KC_PC, KC_PC1);
}

void __tsan_write_range(void *p, unsigned long size)
{
	kc_plain((uintptr_t)p, size, KCSAN_ACCESS_WRITE, KC_PC, KC_PC1);
}

/*
 * Atomic builtins in instrumented code.  The stubs call vh_kcsan_*()
 * directly; these are for __atomic_*() the kernel code itself uses.
 */
#define KC_ATOMIC(bits, type)						\
type __tsan_atomic##bits##_load(const volatile type *p, int mo)		\
{									\
	return kc_atomic(&(struct kc_atomic_op){ .aop = KC_LOAD,		\
			 .p = (volatile void *)p, .size = sizeof(type),	\
			 .mo = mo, .fail_mo = mo, .pc = KC_PC,		\
			 .pc1 = KC_PC1 }, NULL);			\
}									\
void __tsan_atomic##bits##_store(volatile type *p, type v, int mo)	\
{									\
	kc_atomic(&(struct kc_atomic_op){ .aop = KC_STORE, .p = p,		\
		  .size = sizeof(type), .v = v, .mo = mo, .fail_mo = mo, \
		  .pc = KC_PC, .pc1 = KC_PC1 }, NULL);			\
}									\
KC_ATOMIC_RMW(bits, type, exchange, VH_KCSAN_XCHG)			\
KC_ATOMIC_RMW(bits, type, fetch_add, VH_KCSAN_ADD)			\
KC_ATOMIC_RMW(bits, type, fetch_sub, VH_KCSAN_SUB)			\
KC_ATOMIC_RMW(bits, type, fetch_and, VH_KCSAN_AND)			\
KC_ATOMIC_RMW(bits, type, fetch_or, VH_KCSAN_OR)			\
KC_ATOMIC_RMW(bits, type, fetch_xor, VH_KCSAN_XOR)			\
int __tsan_atomic##bits##_compare_exchange_strong(volatile type *p,	\
		type *exp, type new, int mo, int fail_mo);		\
int __tsan_atomic##bits##_compare_exchange_strong(volatile type *p,	\
		type *exp, type new, int mo, int fail_mo)		\
{									\
	uint64_t e = *exp;						\
	bool ok;							\
									\
	kc_atomic(&(struct kc_atomic_op){ .aop = KC_CMPXCHG, .p = p,	\
		  .size = sizeof(type), .v = new, .expected = &e,	\
		  .mo = mo, .fail_mo = fail_mo, .pc = KC_PC,		\
		  .pc1 = KC_PC1 }, &ok);				\
	*exp = e;							\
	return ok;							\
}									\
int __tsan_atomic##bits##_compare_exchange_weak(volatile type *p,	\
		type *exp, type new, int mo, int fail_mo);		\
int __tsan_atomic##bits##_compare_exchange_weak(volatile type *p,	\
		type *exp, type new, int mo, int fail_mo)		\
{									\
	uint64_t e = *exp;						\
	bool ok;							\
									\
	kc_atomic(&(struct kc_atomic_op){ .aop = KC_CMPXCHG, .p = p,	\
		  .size = sizeof(type), .v = new, .expected = &e,	\
		  .mo = mo, .fail_mo = fail_mo, .pc = KC_PC,		\
		  .pc1 = KC_PC1 }, &ok);				\
	*exp = e;							\
	return ok;							\
}									\
type __tsan_atomic##bits##_compare_exchange_val(volatile type *p,	\
		type exp, type new, int mo, int fail_mo);		\
type __tsan_atomic##bits##_compare_exchange_val(volatile type *p,	\
		type exp, type new, int mo, int fail_mo)		\
{									\
	uint64_t e = exp;						\
									\
	kc_atomic(&(struct kc_atomic_op){ .aop = KC_CMPXCHG, .p = p,	\
		  .size = sizeof(type), .v = new, .expected = &e,	\
		  .mo = mo, .fail_mo = fail_mo, .pc = KC_PC,		\
		  .pc1 = KC_PC1 }, NULL);				\
	return e;							\
}

#define KC_ATOMIC_RMW(bits, type, name, _op)				\
type __tsan_atomic##bits##_##name(volatile type *p, type v, int mo)	\
{									\
	return kc_atomic(&(struct kc_atomic_op){ .aop = KC_RMW, .p = p,	\
			 .size = sizeof(type), .op = _op, .v = v,	\
			 .mo = mo, .fail_mo = mo, .pc = KC_PC,		\
			 .pc1 = KC_PC1 }, NULL);			\
}

KC_ATOMIC(8, uint8_t)
KC_ATOMIC(16, uint16_t)
KC_ATOMIC(32, uint32_t)
KC_ATOMIC(64, uint64_t)

void __tsan_atomic_thread_fence(int mo)
{
	struct kc_thread *t = kc_thread_self();

	if (mo == __ATOMIC_SEQ_CST || mo == __ATOMIC_ACQ_REL)
		kc_fence(t, VH_KCSAN_MB);
	else if (kc_acquires(mo))
		kc_fence(t, VH_KCSAN_ACQUIRE);
	else if (kc_releases(mo))
		kc_fence(t, VH_KCSAN_RELEASE);
}

void __tsan_atomic_signal_fence(int mo)
{
}


#define KC_HARNESS(size)						\
void vh_h__tsan_read##size(void *p)					\
{									\
	kc_harness_access((uintptr_t)p, size, false, false);		\
}									\
void vh_h__tsan_write##size(void *p)					\
{									\
	kc_harness_access((uintptr_t)p, size, true, false);		\
}									\
void vh_h__tsan_read_write##size(void *p)				\
{									\
	kc_harness_access((uintptr_t)p, size, false, false);		\
	kc_harness_access((uintptr_t)p, size, true, false);		\
}									\
void vh_h__tsan_unaligned_read##size(void *p)				\
{									\
}									\
void vh_h__tsan_unaligned_write##size(void *p)				\
{									\
}									\
void vh_h__tsan_volatile_read##size(void *p)				\
{									\
	kc_harness_access((uintptr_t)p, size, false, true);		\
}									\
void vh_h__tsan_volatile_write##size(void *p)				\
{									\
	kc_harness_access((uintptr_t)p, size, true, true);		\
}									\
void vh_h__tsan_unaligned_volatile_read##size(void *p)			\
{									\
}									\
void vh_h__tsan_unaligned_volatile_write##size(void *p)		\
{									\
}

KC_HARNESS(1)
KC_HARNESS(2)
KC_HARNESS(4)
KC_HARNESS(8)
KC_HARNESS(16)

void vh_h__tsan_read_range(void *p, unsigned long size)
{
}

void vh_h__tsan_write_range(void *p, unsigned long size)
{
}

void vh_h__tsan_init(void)
{
}

void vh_h__tsan_func_entry(void *pc)
{
}

void vh_h__tsan_func_exit(void)
{
}

#define KC_H_ATOMIC(bits, type)						\
type vh_h__tsan_atomic##bits##_load(const volatile type *p, int mo)	\
{									\
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);			\
}									\
void vh_h__tsan_atomic##bits##_store(volatile type *p, type v, int mo)	\
{									\
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);			\
}									\
KC_H_RMW(bits, type, exchange, __atomic_exchange_n)			\
KC_H_RMW(bits, type, fetch_add, __atomic_fetch_add)			\
KC_H_RMW(bits, type, fetch_sub, __atomic_fetch_sub)			\
KC_H_RMW(bits, type, fetch_and, __atomic_fetch_and)			\
KC_H_RMW(bits, type, fetch_or, __atomic_fetch_or)			\
KC_H_RMW(bits, type, fetch_xor, __atomic_fetch_xor)			\
int vh_h__tsan_atomic##bits##_compare_exchange_strong(volatile type *p, \
		type *exp, type new, int mo, int fail_mo);		\
int vh_h__tsan_atomic##bits##_compare_exchange_strong(volatile type *p, \
		type *exp, type new, int mo, int fail_mo)		\
{									\
	return __atomic_compare_exchange_n(p, exp, new, false,		\
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);		\
}									\
int vh_h__tsan_atomic##bits##_compare_exchange_weak(volatile type *p,	\
		type *exp, type new, int mo, int fail_mo);		\
int vh_h__tsan_atomic##bits##_compare_exchange_weak(volatile type *p,	\
		type *exp, type new, int mo, int fail_mo)		\
{									\
	return __atomic_compare_exchange_n(p, exp, new, true,		\
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);		\
}									\
type vh_h__tsan_atomic##bits##_compare_exchange_val(volatile type *p,	\
		type exp, type new, int mo, int fail_mo);		\
type vh_h__tsan_atomic##bits##_compare_exchange_val(volatile type *p,	\
		type exp, type new, int mo, int fail_mo)		\
{									\
	__atomic_compare_exchange_n(p, &exp, new, false,		\
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);		\
	return exp;							\
}

#define KC_H_RMW(bits, type, name, fn)					\
type vh_h__tsan_atomic##bits##_##name(volatile type *p, type v, int mo)	\
{									\
	return fn(p, v, __ATOMIC_SEQ_CST);				\
}

KC_H_ATOMIC(8, uint8_t)
KC_H_ATOMIC(16, uint16_t)
KC_H_ATOMIC(32, uint32_t)
KC_H_ATOMIC(64, uint64_t)

void vh_h__tsan_atomic_thread_fence(int mo)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void vh_h__tsan_atomic_signal_fence(int mo)
{
}

/* free() and realloc(), wrapped at link time: freed memory is forgotten. */
void __wrap_free(void *p)
{
	if (p)
		vh_kcsan_forget(p, malloc_usable_size(p));
	__real_free(p);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (p)
		vh_kcsan_forget(p, malloc_usable_size(p));
	return __real_realloc(p, n);
}

#endif /* VH_KCSAN */
