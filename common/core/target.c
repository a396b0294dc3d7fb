#include "core/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_port(const char *s, char *out, size_t outlen)
{
	char *end;
	long v;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return -1;
	snprintf(out, outlen, "%ld", v);
	return 0;
}

static int
bad_target(struct pk_err *err, const char *spec, enum pk_target_kind kind,
           const char *why)
{
	return pk_err_set(err, PK_EUSAGE, "usage", "invalid target '%s': %s (expected %s)",
	                  spec, why,
	                  kind == PK_TARGET_NAMED ? "UPS[@HOST[:PORT]]" : "HOST[:PORT]");
}

/* Splits "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6
 * address into t->host / t->port. */
static int
parse_hostport(const char *hp, const char *spec, enum pk_target_kind kind,
               const char *default_port, struct pk_target *t, struct pk_err *err)
{
	const char *port = NULL;
	size_t hostlen;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');
		if (close == NULL)
			return bad_target(err, spec, kind, "missing ']'");
		hostlen = (size_t)(close - hp - 1);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return bad_target(err, spec, kind, "junk after ']'");
		hp++;
	} else {
		const char *colon = strchr(hp, ':');
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			hostlen = (size_t)(colon - hp);
			port = colon + 1;
		} else {
			hostlen = strlen(hp);  /* no colon, or a bare IPv6 address */
		}
	}
	if (hostlen == 0)
		return bad_target(err, spec, kind, "empty host");
	if (hostlen >= sizeof t->host)
		return bad_target(err, spec, kind, "host name too long");
	memcpy(t->host, hp, hostlen);
	t->host[hostlen] = '\0';
	if (strpbrk(t->host, " \t/@[]") != NULL)
		return bad_target(err, spec, kind, "bad character in host");
	if (port == NULL)
		port = default_port;
	if (parse_port(port, t->port, sizeof t->port) != 0)
		return bad_target(err, spec, kind, "port must be a number from 1 to 65535");
	return 0;
}

int
pk_target_parse(const char *spec, enum pk_target_kind kind,
                const char *default_port, struct pk_target *t, struct pk_err *err)
{
	const char *at = strchr(spec, '@');

	memset(t, 0, sizeof *t);
	if (spec[0] == '\0')
		return bad_target(err, spec, kind, "empty");
	if (kind == PK_TARGET_HOST) {
		if (at != NULL)
			return bad_target(err, spec, kind, "no '@' expected");
		return parse_hostport(spec, spec, kind, default_port, t, err);
	}
	if (at == NULL) {
		if (strlen(spec) >= sizeof t->name)
			return bad_target(err, spec, kind, "UPS name too long");
		if (strpbrk(spec, " \t:[]\"\\#") != NULL)
			return bad_target(err, spec, kind, "bad character in UPS name");
		snprintf(t->name, sizeof t->name, "%s", spec);
		t->has_name = 1;
		snprintf(t->host, sizeof t->host, "localhost");
		return parse_hostport("localhost", spec, kind, default_port, t, err);
	}
	if ((size_t)(at - spec) >= sizeof t->name)
		return bad_target(err, spec, kind, "UPS name too long");
	memcpy(t->name, spec, (size_t)(at - spec));
	t->name[at - spec] = '\0';
	if (strpbrk(t->name, " \t:[]\"\\#") != NULL)
		return bad_target(err, spec, kind, "bad character in UPS name");
	t->has_name = t->name[0] != '\0';
	return parse_hostport(at + 1, spec, kind, default_port, t, err);
}

void
pk_target_hostport(const struct pk_target *t, char *out, size_t outlen)
{
	if (strchr(t->host, ':') != NULL)
		snprintf(out, outlen, "[%s]:%s", t->host, t->port);
	else
		snprintf(out, outlen, "%s:%s", t->host, t->port);
}

void
pk_target_label(const struct pk_target *t, char *out, size_t outlen)
{
	char hp[300];

	pk_target_hostport(t, hp, sizeof hp);
	snprintf(out, outlen, "%s%s%s", t->name, t->name[0] ? "@" : "", hp);
}
