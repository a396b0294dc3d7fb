/* cli/discover.h — what nutq --scan, pductl discover and wattctl
 * discover share: the options (--port, --rate, --max-hosts; -t and
 * --parallel get discovery's defaults, 1 s and 128), the RANGE operands
 * (core/addr_range.h), the run of the probes (core/probe.h) with a
 * progress line on stderr when it is a terminal, the output lines that
 * --targets files take back, and the exit status: 0 when something was
 * found, 5 when nothing was, 3 when nothing could be sent at all. */
#ifndef PK_CLI_DISCOVER_H
#define PK_CLI_DISCOVER_H

#include <stddef.h>

#include "cli/options.h"
#include "core/addr_range.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/probe.h"

extern const struct pk_opt pk_opts_discover[];

struct pk_discover_opts {
	const char *port;      /* --port, or NULL: the protocol's own */
	long rate;             /* --rate: probes a second */
	long max_hosts;        /* --max-hosts */
	int timeout_given;     /* -t was given: it bounds each probe */
	int parallel_given;    /* --parallel was given */
};

void pk_discover_defaults(struct pk_discover_opts *o);

/* Handles --port, --rate, --max-hosts (1: applied, -1: bad value, err
 * filled, PK_EUSAGE) and notes -t and --parallel (0: still to be
 * applied by their own handlers, as for any other option). */
int pk_discover_opt(struct pk_discover_opts *o, int ch, const char *arg, struct pk_err *err);

/* One scan: its addresses, probe settings and counts. */
struct pk_discover {
	const char *tool;
	const char *port;          /* --port, else the protocol's default */
	struct pk_addrs addrs;
	struct pk_probe_opts probe;
	struct pk_probe_count count;
	int tty;                   /* stderr is a terminal: show progress */
};

/* Sets up a scan of the RANGE operands (at least one), each probe
 * bounded by -t (default 1 s), at most --parallel (default 128) in
 * flight.  PK_EUSAGE for a bad range or too many addresses. */
int pk_discover_init(struct pk_discover *d, const char *tool, const char *default_port,
                     char *const *ranges, size_t nranges, const struct pk_discover_opts *o,
                     const struct pk_common_opts *co, const struct pk_fleet_opts *fo,
                     struct pk_err *err);

/* The i-th address of the scan (ctx: the struct pk_discover) into out;
 * the shape of the protocol scanners' addr callback, given to them as is. */
void pk_discover_addr(void *ctx, size_t i, char *out, size_t outlen);

/* Runs every probe (progress on stderr when it is a terminal).  0, or
 * PK_ECOMM "memory". */
int pk_discover_run(struct pk_discover *d, const struct pk_probe_ops *ops, struct pk_err *err);

/* The exit status of a run that found `found` devices: 0, 5 (none), 3
 * (nothing could be sent; err says so). */
int pk_discover_status(const struct pk_discover *d, size_t found, struct pk_err *err);

/* One fact of a device found: a setting the targets file takes back
 * (key=value on the line) or a fact for the comment and JSON. */
struct pk_found_fact {
	const char *key;
	const char *value;     /* NULL: left out */
	int setting;
	int raw;               /* JSON: written verbatim (a number, true, false) */
};

/* Text: "TARGET key=value...  # note" (the note escaped); JSON (j not
 * NULL): one object {"target":...,key:value,...} in the array j is
 * writing. */
void pk_discover_emit(struct pk_buf *out, struct pk_json *j, const char *target,
                      const struct pk_found_fact *facts, size_t n, const char *note);

/* Starts a run's output in out: with json, j is set up to write the
 * array and returned; else NULL (text lines). */
struct pk_json *pk_discover_begin(struct pk_buf *out, int json, struct pk_json *j);

/* Ends a run that found `found` of what (e.g. "PDU"): closes the JSON
 * array, then writes out when something was found.  Returns the exit
 * status (pk_discover_status), err saying "no WHAT found in N
 * addresses" for a 5, or why out could not be written. */
int pk_discover_end(const struct pk_discover *d, struct pk_buf *out, struct pk_json *j,
                    size_t found, const char *what, struct pk_err *err);

void pk_discover_free(struct pk_discover *d);

#endif
