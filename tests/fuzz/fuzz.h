/* fuzz.h — what the libFuzzer harnesses of tests/fuzz/ share: the entry
 * point libFuzzer calls, the input as C strings, and a check that
 * crashes (so libFuzzer keeps the input) when a property does not hold. */
#ifndef PK_FUZZ_H
#define PK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..size) (free it); a NUL inside ends
 * the string early, as it would on a command line or in a C API. */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Takes the next piece of *data up to sep (or all of it) as a string
 * (free it), and moves *data and *size past it and the separator. */
static inline char *
fuzz_take(const uint8_t **data, size_t *size, char sep)
{
	const uint8_t *end = memchr(*data, sep, *size);
	size_t n = end != NULL ? (size_t)(end - *data) : *size;
	char *s = fuzz_str(*data, n);

	*data += n < *size ? n + 1 : n;
	*size -= n < *size ? n + 1 : n;
	return s;
}

/* 1 when p[0..n) holds valid UTF-8 (what JSON and Prometheus output must be). */
static inline int
fuzz_utf8_valid(const char *p, size_t n)
{
	size_t i = 0, len;

	while (i < n && (len = pk_utf8_seq((const unsigned char *)p + i, n - i, NULL)) > 0)
		i += len;
	return i == n;
}

/* 1 when p[0..n) is text as the text renderers must write it: valid
 * UTF-8 without control characters (C0, DEL, C1) but the newline and
 * the TAB, so device strings never reach a terminal as control. */
static inline int
fuzz_text_clean(const char *p, size_t n)
{
	size_t i = 0, len;
	unsigned long cp;

	while (i < n && (len = pk_utf8_seq((const unsigned char *)p + i, n - i, &cp)) > 0) {
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
			return 0;
		i += len;
	}
	return i == n;
}

/* A property that must hold whatever the input: abort() shows libFuzzer
 * the input that broke it. */
#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: %s does not hold\n", __FILE__, \
			        __LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
