/* core/dl.h — a shared library loaded with dlopen() the first time a
 * feature needs it, and the functions (or objects) it is used through
 * looked up by name: a run that never needs the feature never maps the
 * library (nutq --tls: libssl; pductl's SNMPv3: libnettle).  Nothing
 * here prints. */
#ifndef PK_DL_H
#define PK_DL_H

#include <stddef.h>

#include "core/err.h"

/* One symbol: its name in the library and where its address goes. */
struct pk_dl_sym {
	const char *name;
	void **slot;
};

/* Loads soname once into *lib and fills every sym's slot.  0; or, when
 * the library cannot be loaded (why names the feature and the package
 * that ships it: "TLS needs OpenSSL's libssl.so.3 (Debian package
 * libssl3)") or lacks a symbol, PK_ECOMM with kind, and *lib stays NULL
 * (the next call tries again). */
int pk_dl_load(void **lib, const char *soname, const struct pk_dl_sym *syms, size_t nsyms,
               const char *kind, const char *why, struct pk_err *err);

#endif
