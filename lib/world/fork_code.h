/* The code a forked check finds mapped.
 *
 * fork() copies a private mapping's page tables only when the mapping
 * holds a private page of its own (an anon_vma: mm/memory.c
 * vma_needs_copy()); code and constants never do, so every check, a fork
 * of the zygote, faulted in again each page of them it read: 34 of a
 * glibc check's 77 faults, each ~15 us under a hypervisor that shadows
 * page tables (this project's CI machine).
 *
 * nc_fork_code_share(), once in the process that forks the checks, gives
 * each read-only mapping of a file a private page (its first byte written
 * over itself through /proc/self/mem: that page becomes a private copy of
 * the same bytes; no permission changes) and maps the C library's and its
 * loader's whole: each check then starts with them mapped.  The program's
 * own code and constants stay mapped only as far as the zygote has read
 * them: they hold ICU's 30 MB of data too, and copying page tables that
 * size at each fork cost more than the faults it saved.  A core dump of a
 * check holds these mappings whole (the kernel dumps a private mapping
 * with private pages in full); a check's read-only mounts leave it nowhere
 * to write one but a core_pattern pipe.
 *
 * Best effort: 0, or -errno where /proc/self/mem or the maps cannot be
 * read or written (gVisor, proc_mem.force_override=never); a mapping
 * whose first page is past its file's end is left as it was, and so is
 * all of it before 5.14 (no MADV_POPULATE_READ). */
#ifndef NC_FORK_CODE_H
#define NC_FORK_CODE_H

int nc_fork_code_share(void);

#endif
