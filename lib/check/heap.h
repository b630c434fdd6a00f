/* The bytes a program has on the heap, for checks that measure what a call
 * allocates and what freeing its result gives back.  Counted by malloc(),
 * calloc(), realloc() and free() interposed over the C library's own
 * __libc_malloc() and friends, which glibc and musl both have (a static musl
 * program and a dynamic glibc one alike take the program's malloc); under
 * AddressSanitizer, which owns malloc, by its own count. */
#ifndef NC_HEAP_H
#define NC_HEAP_H

/* Usable bytes allocated and not yet freed, since the program started. */
long nc_heap_in_use(void);

#endif
