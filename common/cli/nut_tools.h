/* nut_tools.h — what nutq, nutset and nutcmd share around the library:
 * the credential options, target parsing, connecting with the run's
 * deadline and trace, logging in, writing what nut/render.h rendered,
 * and the final reports.  This is the tools' layer: unlike nut/ below
 * it, it prints. */
#ifndef PK_NUTCLI_H
#define PK_NUTCLI_H

#include "cli/complete.h"
#include "nut/client.h"
#include "nut/render.h"
#include "cli/options.h"
#include "core/target.h"

/* The NUT tools' own long-only option ids start here. */
enum { NUT_OPT_TOOL = PK_OPT_FIRST_TOOL };

/* The credential options -u -p --password-file of nutset and nutcmd. */
extern const struct pk_opt nut_cli_cred_opts[];

/* The TLS options --tls[=try] --cafile --insecure-tls of every NUT tool. */
extern const struct pk_opt nut_cli_tls_opts[];

struct nut_cli {
	const char *tool;
	struct pk_common_opts o;
	const char *user, *pass, *pass_file;   /* -u, -p, --password-file */
	struct pk_target t;
	char label[300];                       /* "ups@host:port" for messages */
	struct pk_trace trace;
	struct nut_client c;
	int connected;
	struct pk_tls_opts tls;                /* --tls, --cafile, --insecure-tls */
	int tls_warned;                        /* the --insecure-tls note was given */
	char pass_store[1024];                 /* -p, copied before blanking; room past the
	                                          511-byte limit, so a longer one is refused */
};

void nut_cli_init(struct nut_cli *cli, const char *tool);

/* Handles -u, -p (blanking it in argv), --password-file; 1 when ch was
 * one of them. */
int nut_cli_cred_opt(struct nut_cli *cli, int ch, char *arg);

/* Handles --tls[=try], --cafile, --insecure-tls: 1 when ch was one of
 * them and was applied, 0 when it is none, -1 on a bad value (err
 * filled, PK_EUSAGE). */
int nut_cli_tls_opt(struct nut_cli *cli, int ch, const char *arg, struct pk_err *err);

/* After every option: --cafile and --insecure-tls need --tls, exclude
 * each other, and the CA file must be readable.  0 or PK_EUSAGE. */
int nut_cli_tls_check(const struct nut_cli *cli, struct pk_err *err);

/* The run's TLS settings, saying on stderr (once, unless -q) that
 * --insecure-tls checks no certificate. */
const struct pk_tls_opts *nut_cli_tls(struct nut_cli *cli);

/* Parses the target; a UPS name is required when need_ups. */
int nut_cli_target(struct nut_cli *cli, const char *spec, int need_ups, struct pk_err *err);

/* Completion of what every NUT tool's operands share: with no operand
 * before it, the target (UPS names from LIST UPS on the host typed after
 * '@', offered as NAME@HOST[:PORT]); after the target, the names of LIST
 * list ("VAR", "RW", "CMD") for that UPS, each followed by suffix.  Asked
 * with PK_COMPLETE_TIMEOUT_MS, quietly; nothing offered on any failure. */
void nut_cli_complete(struct nut_cli *cli, const struct pk_comp *c, const char *list,
                      const char *suffix);

/* Starts the run's deadline (-t) and connects, with -v tracing. */
int nut_cli_connect(struct nut_cli *cli, struct pk_err *err);

/* Finds user and password (cli > file > env > tty prompt); PK_EUSAGE
 * when either is missing.  Nothing is sent. */
int nut_cli_creds(struct nut_cli *cli, const char **user, char *pass, size_t passlen,
                  struct pk_err *err);

/* Sends USERNAME + PASSWORD (pipelined with whatever is queued next). */
int nut_cli_login(struct nut_cli *cli, const char *user, const char *pass, struct pk_err *err);

/* Closes the connection; on rc != 0 reports err (stderr, and the JSON
 * error document with -j) unless err is clear, which means the failure
 * was reported item by item.  Returns rc. */
int nut_cli_finish(struct nut_cli *cli, int rc, const struct pk_err *err);


/* The shared write path of nutset and nutcmd: SET TRACKING ON (unless
 * no_wait; a server without TRACKING is fine), send every change in one
 * write, then wait for the outcomes (readback: read variables back when
 * untracked).  Credentials must have been sent. */
int nut_cli_apply(struct nut_cli *cli, const char *verb, struct nut_change *ch, size_t n,
                  int no_wait, int readback, struct pk_err *err);

/* Prints the outcome: one stderr line per failed change, then
 * nut_render_changes() on stdout.  Returns the first failure's status
 * (0 when all went through). */
int nut_cli_report_changes(struct nut_cli *cli, const struct nut_change *ch, size_t n);

/* "-n": prints the request lines that would be sent (the caller has
 * done the reads and checks of a real run); nothing is sent. */
int nut_cli_dry_run(struct nut_cli *cli, const char *verb, const struct nut_change *ch,
                    size_t n, struct pk_err *err);

/* Prints a dry run's request lines on stdout: as they are, or with -j as
 * the one document of pk_render_dry_run().  PK_ECOMM on a write error. */
int nut_cli_print_dry(struct nut_cli *cli, const struct pk_buf *lines);

/* nut_check_changes() on the run's connection; in text mode each refused
 * value is reported on stderr and err cleared (see nut_cli_finish), with
 * -j the first refusal stays in err for the error document. */
int nut_cli_check_changes(struct nut_cli *cli, struct nut_change *ch, size_t n,
                          struct pk_err *err);

/* The renderer's view of this run: the chosen format and the target. */
void nut_cli_doc(const struct nut_cli *cli, struct nut_doc *d);

/* Writes b to stdout and empties it; PK_ECOMM ("output") on a write
 * error. */
int nut_cli_emit(struct pk_buf *b, struct pk_err *err);

/* LIST RW and every variable's details, rendered (nutq --rw, nutset -l). */
int nut_cli_show_rw(struct nut_cli *cli, struct pk_err *err);

/* The instant commands, rendered (nutq --cmds, nutcmd -l). */
int nut_cli_show_cmds(struct nut_cli *cli, enum nut_cmds_text layout, struct pk_err *err);

#endif
