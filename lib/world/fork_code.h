/* The code a forked check finds mapped.
 *
 * fork() copies a private mapping's page tables only when the mapping
 * holds a private page of its own (an anon_vma: mm/memory.c
 * vma_needs_copy()); code and constants never do, so every check, a fork
 * of the zygote, faulted in again each page of them it read.  Under this
 * machine's hypervisor a fault costs ~15 us, and they were 19 of a glibc
 * check's 77.
 *
 * nc_fork_code_share(), once in the process that forks the checks, gives
 * each read-only mapping of a file a private page (one byte written over
 * itself: that page becomes a private copy of the same bytes; a file's
 * neighbouring read-only mappings may then merge into one) and maps
 * the C library's and its loader's whole: each check then starts with
 * them mapped.  The program's own code and constants stay mapped only as
 * far as the zygote has read them: they hold ICU's 30 MB of data too, and
 * copying page tables that size at each fork cost more than the faults
 * it saved.  Best effort: a mapping that cannot be made writable (a
 * hardened kernel) or populated (before 5.14, gVisor) is left as it was.
 * 0, or -errno when the maps cannot be read or a mapping made read-only
 * again. */
#ifndef NC_FORK_CODE_H
#define NC_FORK_CODE_H

int nc_fork_code_share(void);

#endif
