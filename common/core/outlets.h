/* core/outlets.h — outlet lists as users type them: "3", "1,4,7", "2-5",
 * "all", and outlet names wherever a number is accepted. */
#ifndef PK_OUTLETS_H
#define PK_OUTLETS_H

#include "core/err.h"

/* Parses spec for a device with count outlets (1-based).  names[i] is the
 * name of outlet i+1 (NULL entries or a NULL array: no names).  A whole
 * spec that equals a name exactly selects that outlet (names may hold
 * commas); otherwise the spec is split at commas and each part is a
 * number, a range A-B, "all" or a name.  Sets sel[i] = 1 for each
 * selected outlet i+1.  Returns 0, or PK_EUSAGE naming the valid range
 * (and the names, for an unknown or ambiguous name). */
int pk_outlets_parse(const char *spec, int count, const char *const *names,
                     unsigned char *sel, struct pk_err *err);

/* 1 when spec selects every outlet whatever the device (one of its
 * comma-separated parts is "all"), so a tool can tell before it reads the
 * device's outlets. */
int pk_outlets_spec_all(const char *spec);

/* Number of selected outlets. */
int pk_outlets_count(const unsigned char *sel, int count);

#endif
