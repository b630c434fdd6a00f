/* The bytes a program has on the heap, for checks that measure what a call
 * allocates and what freeing its result gives back.
 *
 * heap.c REPLACES malloc(), calloc(), realloc() and free() FOR THE WHOLE
 * PROGRAM that links it, the runner's own allocations included: it is kept
 * out of the check layer's archive, and the Makefile links it by name
 * (HEAP_COUNTER) into netconform and netconform-musl only, the programs
 * whose checks call nc_heap_in_use().  Counted by malloc(),
 * calloc(), realloc() and free() interposed over the C library's own
 * __libc_malloc() and friends, which glibc and musl both have (a static musl
 * program and a dynamic glibc one alike take the program's malloc); under
 * AddressSanitizer, which owns malloc, by its own count. */
#ifndef NC_HEAP_H
#define NC_HEAP_H

/* Usable bytes allocated and not yet freed, since the program started. */
long nc_heap_in_use(void);

#endif
