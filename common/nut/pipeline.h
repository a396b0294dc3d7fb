/* pipeline.h — multi-request operations on a nut_client, each pipelined
 * (all requests in one write, replies read in order): collecting LISTs,
 * the TYPE/ENUM/RANGE/DESC of many variables, GET VAR of many. */
#ifndef PK_NUTOPS_H
#define PK_NUTOPS_H

#include "nut/client.h"
#include "nut/vars.h"

/* One list item: name and value (value NULL when the list has none). */
struct nut_kv {
	char *name, *value;
};

struct nut_kvlist {
	struct nut_kv *v;
	size_t n, cap;
};

int nut_kvlist_add(struct nut_kvlist *l, const char *name, const char *value);
void nut_kvlist_free(struct nut_kvlist *l);

/* The value of name (compared case-insensitively, as NUT does), or NULL
 * when absent. */
const char *nut_kvlist_find(const struct nut_kvlist *l, const char *name);

/* Queues "LIST <what> [a1 [a2]]" (what e.g. "VAR"). */
int nut_list_send(struct nut_client *c, const char *what, const char *a1,
                  const char *a2, struct pk_err *err);

/* Reads one LIST reply, keeping word name_idx (and value_idx, or -1) of
 * each item.  An ERR is mapped (prefixed with label). */
int nut_list_read(struct nut_client *c, const char *label, size_t name_idx,
                  int value_idx, struct nut_kvlist *out, struct pk_err *err);

/* send + read. */
int nut_list_get(struct nut_client *c, const char *what, const char *a1, const char *a2,
                 size_t name_idx, int value_idx, struct nut_kvlist *out,
                 struct pk_err *err);

/* For vis[0..n) (names set), pipelines GET TYPE, LIST ENUM, LIST RANGE
 * (and GET DESC when want_desc) and fills them in.  A variable the UPS
 * lacks gets vis[i].err; requests the server does not know leave the
 * information empty (graceful degradation).  Returns 0 or a fatal
 * status (communication, or an ERR that concerns the whole UPS). */
int nut_fetch_info(struct nut_client *c, const char *ups, struct nut_varinfo *vis,
                   size_t n, int want_desc, struct pk_err *err);

/* Pipelines "GET <what> ups name" for each name ("VAR", "DESC",
 * "CMDDESC") and stores the reply's last word as value; failures per
 * item go to errs[i] (status 0 = found).  Returns 0 or a fatal status. */
int nut_get_many(struct nut_client *c, const char *what, const char *ups,
                 struct nut_kvlist *items, struct pk_err *errs, struct pk_err *err);

/* The two halves of nut_get_many, for a caller that drives the
 * connection itself (nut/batch.h): queue the requests; read the replies
 * (which must follow in order on the connection). */
int nut_get_many_send(struct nut_client *c, const char *what, const char *ups,
                      const struct nut_kvlist *items, struct pk_err *err);
int nut_get_many_read(struct nut_client *c, const char *what, const char *ups,
                      struct nut_kvlist *items, struct pk_err *errs, struct pk_err *err);

/* The status of the first failed item of errs[0..n) (nut_get_many), or 0. */
int nut_first_failure(const struct pk_err *errs, size_t n);


/* 0 when every name of l (what the server listed in LIST <what>) can be
 * sent back to it in a request (printable ASCII, as nut_append_word
 * takes); else PK_ECOMM ("malformed"): the server sent bad data, not a
 * usage error, and the message shows the name escaped (\xNN). */
int nut_names_sendable(const struct nut_kvlist *l, const char *what, struct pk_err *err);

/* "LIST <what> [ups]" (item word name_idx), then "GET <get> [get_ups]
 * <item>" for every item in one write (LIST CMD + CMDDESC).  Values
 * of items whose GET failed stay NULL. */
int nut_list_then_get(struct nut_client *c, const char *what, const char *ups,
                      size_t name_idx, const char *get, const char *get_ups,
                      struct nut_kvlist *out, struct pk_err *err);

/* LIST UPS, then GET NUMLOGINS for every UPS in one write; for the UPSes
 * where the server does not know NUMLOGINS (ERR UNKNOWN-COMMAND or
 * INVALID-ARGUMENT), GET NUMATTACH.  Values stay NULL when neither is
 * answered. */
int nut_fetch_logins(struct nut_client *c, struct nut_kvlist *out, struct pk_err *err);

/* LIST RW, then every variable's TYPE/ENUM/RANGE/DESC: what upsrw shows.
 * *vis is allocated (free with nut_varinfos_free). */
int nut_fetch_rw(struct nut_client *c, const char *ups, struct nut_varinfo **vis,
                 size_t *n, struct pk_err *err);

void nut_varinfos_free(struct nut_varinfo *vis, size_t n);

/* LIST CMD, then every CMDDESC in one write (upscmd -l).  Descriptions
 * the server does not give stay NULL. */
int nut_fetch_cmds(struct nut_client *c, const char *ups, struct nut_kvlist *out,
                   struct pk_err *err);

/* LIST CLIENT ups: the addresses logged in to the UPS (names only), or
 * those of ESPHome's LIST CLIENTS when the server refuses LIST CLIENT.  A
 * server with neither is PK_EREFUSED, kind its ERR word. */
int nut_fetch_clients(struct nut_client *c, const char *ups, struct nut_kvlist *out,
                      struct pk_err *err);

/* What a server says about itself (nutq --server); "" where it does not
 * know the request. */
struct nut_server_info {
	char version[512];         /* VER, VERSION or UPSDVER */
	char protocol[64];         /* NETVER or PROTVER */
	char help[512];            /* HELP */
	struct nut_kvlist logins;  /* UPS -> NUMLOGINS (or NUMATTACH); NULL unknown */
};

int nut_fetch_server(struct nut_client *c, struct nut_server_info *s, struct pk_err *err);
void nut_server_info_free(struct nut_server_info *s);

/* The dry-run check of an instant command: PK_ENOTFOUND unless cmd is in
 * LIST CMD; a server without LIST CMD cannot be asked, which is fine. */
int nut_check_cmd_listed(struct nut_client *c, const char *ups, const char *cmd,
                         struct pk_err *err);

/* A SET VAR or INSTCMD to send and track. */
struct nut_change {
	const char *name;      /* variable or command */
	const char *value;     /* new value or command parameter (NULL: none) */
	char id[64];           /* tracking id ("" when the server gave none) */
	char result[32];       /* "SUCCESS", "FAILED", ..., "OK" (untracked), "" */
	struct pk_err err;     /* failure of this change (status 0 = fine) */
};

/* Sends "<verb> ups name ["value"]" for every change in one write (the
 * value always quoted and escaped) and reads each OK / OK TRACKING id.
 * A refusal is kept in changes[i].err.  Returns 0 or a fatal status. */
int nut_send_changes(struct nut_client *c, const char *verb, const char *ups,
                     struct nut_change *ch, size_t n, struct pk_err *err);

/* Reads every variable's TYPE/ENUM/RANGE (pipelined) and checks each
 * new value against it (nut_validate): a failure goes to ch[i].err, and
 * the first one also to err, whose status is returned; 0 when every
 * value may be sent.  Nothing is set. */
int nut_check_changes(struct nut_client *c, const char *ups, struct nut_change *ch,
                      size_t n, struct pk_err *err);

/* Appends the request lines "<verb> ups name ["value"]\n" that
 * nut_send_changes would send (a dry run).  PK_EUSAGE for bytes upsd
 * cannot take. */
int nut_change_requests(struct pk_buf *b, const char *verb, const char *ups,
                        const struct nut_change *ch, size_t n, struct pk_err *err);

/* Waits for the outcome of every accepted change before the deadline:
 * polls GET TRACKING when there is an id; otherwise, when readback is
 * set, GET VAR until the variable holds the new value ("CONFIRMED").
 * Failures go to changes[i].err (PK_EREFUSED).  Returns 0 or a fatal
 * status. */
int nut_wait_changes(struct nut_client *c, const char *ups, struct nut_change *ch,
                     size_t n, int readback, struct pk_err *err);

/* The first failing change's status, or 0. */
int nut_changes_status(const struct nut_change *ch, size_t n);

#endif
