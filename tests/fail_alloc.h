/* fail_alloc.h - an allocator that fails on request, for the tests of
 * allocation failure (test_alloc_fail.c).
 *
 * fail_alloc.c defines malloc, calloc, realloc, free and the aligned
 * allocators in the test program, which by ELF interposition replaces them
 * for every library the program loads (libquire, the plugins, libxml2,
 * libzip, jansson...); each passes to glibc's own (__libc_malloc and so
 * on).  It counts the blocks alive, and while armed it counts allocations
 * and fails the Nth.  Not for sanitizer builds, whose runtimes replace
 * malloc themselves. */
#ifndef QUIRE_TESTS_FAIL_ALLOC_H
#define QUIRE_TESTS_FAIL_ALLOC_H

#include <stddef.h>
#include <stdio.h>

/* Starts counting allocations from zero; the fail_at-th (from 1) returns
 * NULL; fail_at 0 fails none. */
void fail_alloc_arm(size_t fail_at);
/* Stops counting; returns the number of allocations since arming. */
size_t fail_alloc_disarm(void);
/* Non-zero when an allocation has failed since arming. */
int fail_alloc_failed(void);
/* The code address that asked for the first allocation that failed since
 * arming (to tell which library it was in), or NULL. */
void *fail_alloc_failed_caller(void);
/* The stack of that allocation (*frames, innermost first) and its depth;
 * 0 when none failed. */
int fail_alloc_failed_stack(void ***frames);
/* Calls fn once, just after the allocation it fails has been chosen and
 * before NULL is returned: while the heap is still whole, to judge the
 * failure before a library that mishandles it breaks the heap.  fn must
 * not allocate.  NULL: none. */
void fail_alloc_on_failure(void (*fn)(void));
/* Blocks allocated and not yet freed, since the program started. */
long fail_alloc_live(void);
/* Writes the numbers of the allocations made since arming that are not
 * yet freed (to find a leak: break on that allocation in a debugger). */
void fail_alloc_report(FILE *fp);

#endif
