/* core/target.h — parsing of command-line targets:
 *   ups@host[:port], ups@[v6addr][:port], ups (= ups@localhost), @host,
 *   host[:port], [v6addr][:port], bare v6addr. */
#ifndef PK_TARGET_H
#define PK_TARGET_H

#include "core/err.h"

struct pk_target {
	char name[256];   /* the part before '@' ("" when none) */
	char host[256];   /* without brackets */
	char port[8];     /* decimal, 1..65535 */
	int has_name;     /* an '@' form or a bare UPS name was given */
};

enum pk_target_kind {
	PK_TARGET_NAMED,  /* "ups@host" or "ups"; a bare word is a UPS name */
	PK_TARGET_HOST    /* "host"; no '@' part allowed */
};

/* Parses spec.  default_port is used when none is given.  With
 * PK_TARGET_NAMED a name is required unless the spec starts with '@'.
 * Returns 0 or PK_EUSAGE with a message naming the accepted forms. */
int pk_target_parse(const char *spec, enum pk_target_kind kind,
                    const char *default_port, struct pk_target *t,
                    struct pk_err *err);

/* Formats "host:port" (brackets around IPv6) into out. */
void pk_target_hostport(const struct pk_target *t, char *out, size_t outlen);

/* Formats the target for messages and prefixes: "name@host:port", or
 * "host:port" when it has no name. */
void pk_target_label(const struct pk_target *t, char *out, size_t outlen);

#endif
