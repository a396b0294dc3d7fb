#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
pk_err_set(struct pk_err *err, enum pk_status status, const char *kind,
           const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	snprintf(err->kind, sizeof err->kind, "%s", kind ? kind : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return status;
}

void
pk_err_prefix(struct pk_err *err, const char *fmt, ...)
{
	char prefix[PK_ERR_MSG_MAX], old[PK_ERR_MSG_MAX];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
}

void
pk_err_clear(struct pk_err *err)
{
	if (err == NULL)
		return;
	err->status = PK_OK;
	err->kind[0] = '\0';
	err->msg[0] = '\0';
}

const char *
pk_status_name(enum pk_status status)
{
	switch (status) {
	case PK_OK: return "ok";
	case PK_EREFUSED: return "refused";
	case PK_EUSAGE: return "usage";
	case PK_ECOMM: return "communication";
	case PK_EAUTH: return "auth";
	case PK_ENOTFOUND: return "not-found";
	}
	return "unknown";
}

/* Higher is worse. */
static int
status_severity(int status)
{
	switch (status) {
	case PK_OK: return 0;
	case PK_EREFUSED: return 1;
	case PK_EUSAGE: return 2;
	case PK_ENOTFOUND: return 3;
	case PK_EAUTH: return 4;
	case PK_ECOMM: return 5;
	default: return 6;
	}
}

int
pk_status_worse(int a, int b)
{
	return status_severity(b) > status_severity(a) ? b : a;
}
