/* tap.h — minimal TAP output for unit tests: each check prints
 * "ok N - what" or "not ok N - what"; tests/run.sh counts them. */
#ifndef PK_TAP_H
#define PK_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* cond is evaluated once: checks may have side effects (encoders). */
#define TAP_OK(cond, ...) do { \
	int tap_c = (cond) ? 1 : 0; \
	tap_n++; \
	if (tap_c) { printf("ok %d - ", tap_n); } \
	else { tap_failed++; printf("not ok %d - ", tap_n); } \
	printf(__VA_ARGS__); \
	if (!tap_c) printf("  (%s:%d: %s)", __FILE__, __LINE__, #cond); \
	putchar('\n'); \
} while (0)

#define TAP_STREQ(got, want, ...) do { \
	const char *tap_g = (got), *tap_w = (want); \
	int tap_eq = tap_g != NULL && strcmp(tap_g, tap_w) == 0; \
	TAP_OK(tap_eq, __VA_ARGS__); \
	if (!tap_eq) printf("#   got  '%s'\n#   want '%s'\n", tap_g ? tap_g : "(null)", tap_w); \
} while (0)

#define TAP_DONE() (printf("1..%d\n", tap_n), tap_failed ? 1 : 0)

#endif
