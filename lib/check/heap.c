/* The heap in use (heap.h). */
#include <malloc.h>
#include <stddef.h>

#include "heap.h"
#include "sanitizer.h"

#ifdef NC_ASAN
/* From sanitizer/allocator_interface.h, which not every compiler ships. */
size_t __sanitizer_get_current_allocated_bytes(void);

long nc_heap_in_use(void)
{
	return (long)__sanitizer_get_current_allocated_bytes();
}
#else
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void __libc_free(void *ptr);

static long in_use;

static void *counted(void *ptr)
{
	if (ptr)
		__atomic_add_fetch(&in_use, (long)malloc_usable_size(ptr), __ATOMIC_RELAXED);
	return ptr;
}

static void uncount(void *ptr)
{
	if (ptr)
		__atomic_sub_fetch(&in_use, (long)malloc_usable_size(ptr), __ATOMIC_RELAXED);
}

void *malloc(size_t size)
{
	return counted(__libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
	return counted(__libc_calloc(n, size));
}

void *realloc(void *ptr, size_t size)
{
	size_t before = ptr ? malloc_usable_size(ptr) : 0;
	void *moved = __libc_realloc(ptr, size);

	if (moved || size == 0)
		__atomic_sub_fetch(&in_use, (long)before, __ATOMIC_RELAXED);
	return counted(moved);
}

void free(void *ptr)
{
	uncount(ptr);
	__libc_free(ptr);
}

long nc_heap_in_use(void)
{
	return __atomic_load_n(&in_use, __ATOMIC_RELAXED);
}
#endif
