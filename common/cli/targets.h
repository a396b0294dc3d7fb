/* cli/targets.h — the list of targets of a multi-target run, from the
 * command line and from a --targets file, shared by nutq, pductl and
 * wattctl.
 *
 * A targets file holds one target a line, in the syntax of the command
 * line, optionally followed by per-target settings:
 *
 *     # comment
 *     ups1@nas                       # a NUT target
 *     pdu3:1161 community=rack3 proto=ssh
 *
 * Blank lines and '#' comments (at the start of a line or after a blank)
 * are skipped.  The parser only splits: each tool checks which keys it
 * knows (pk_targets_check_keys), so an unknown key is a usage error that
 * names file:line.  A file holding a secret (pk_targets_secret_key) must
 * not be readable or writable by group or others (mode 0600 or
 * stricter); else it is refused before anything is sent. */
#ifndef PK_TARGETS_H
#define PK_TARGETS_H

#include <stddef.h>

#include "core/err.h"

/* One key=value setting of a target line. */
struct pk_target_kv {
	char *key, *value;
};

/* One target: its spec ("ups@host", "host:port") and its settings. */
struct pk_target_entry {
	char *spec;
	struct pk_target_kv *kv;
	size_t nkv;
	char where[300];     /* "FILE:LINE" for messages, "" from the command line */
};

struct pk_target_list {
	struct pk_target_entry *v;
	size_t n, cap;
};

/* Appends a target given on the command line (no settings).  0, or
 * PK_ECOMM "memory". */
int pk_targets_add(struct pk_target_list *l, const char *spec, struct pk_err *err);

/* Parses the text of a targets file (len bytes; need not be
 * NUL-terminated) and appends its targets; name is the file's name for
 * messages.  *secret is set to the line number of the first setting
 * whose key is a secret (0: none).  Returns 0, or PK_EUSAGE ("FILE:LINE:
 * ...") for a setting that is not key=value, or PK_ECOMM "memory". */
int pk_targets_parse(struct pk_target_list *l, const char *text, size_t len,
                     const char *name, size_t *secret, struct pk_err *err);

/* Reads the targets file path ("-": stdin) and appends its targets.  A
 * file holding a secret whose mode gives any permission to group or
 * others is refused (PK_EUSAGE, the message says which chmod).  Returns
 * 0, or PK_EUSAGE (unreadable, bad line, too open), PK_ECOMM "memory". */
int pk_targets_read(struct pk_target_list *l, const char *path, struct pk_err *err);

/* 1 when key names a secret (password=, community=, ...): one table for
 * every tool. */
int pk_targets_secret_key(const char *key);

/* Refuses (PK_EUSAGE, naming FILE:LINE and the key) a setting whose key
 * is not one of known (a NULL-terminated list). */
int pk_targets_check_keys(const struct pk_target_list *l, const char *const *known,
                          struct pk_err *err);

/* The value of key for target e, or NULL when not set (the last one wins
 * when a line repeats a key). */
const char *pk_target_setting(const struct pk_target_entry *e, const char *key);

void pk_targets_free(struct pk_target_list *l);

#endif
