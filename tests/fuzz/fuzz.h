/* What the libFuzzer targets share (make fuzz, tests/fuzz.sh). */
#ifndef NC_FUZZ_H
#define NC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A broken invariant is a crash libFuzzer keeps the input of. */
#define NC_FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {								\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		abort();							\
	}									\
} while (0)

/* The input as a NUL-terminated string, malloc()ed. */
static inline char *nc_fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	NC_FUZZ_ASSERT(text);
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
