/* switching.h — the outlet engine every switching tool shares: given the
 * outlets selected (core/outlets.h), it applies the safety policy, sends
 * the action to each (or describes it for -n), and confirms by reading
 * the states back until every selected outlet is as wanted or the
 * deadline passes.  What a device sends, reads and counts as "done" comes
 * from a small vtable (struct pk_switch_ops) that pdu/ and wattbox/ fill
 * in with their own facts.  Nothing here prints. */
#ifndef PK_SWITCHING_H
#define PK_SWITCHING_H

#include <stdint.h>

#include "core/err.h"

/* The outlet number handed to send/describe for one command that acts on
 * every outlet at once (a WattBox's "reset all"). */
#define PK_SWITCH_EVERY 0

/* The safety policy, the same in every tool:
 *   - an action that can cut power (off, reboot, reset, toggle) to every
 *     outlet of a device needs yes.  What counts is the selection, not its
 *     spelling: "all", "1-8" on an 8-outlet PDU and a list of names that
 *     happens to name every outlet are the same request;
 *   - a reboot of the device itself (sel NULL) needs yes;
 *   - "on" never needs it: it cuts no power;
 *   - a dry run never needs it: it sends nothing.
 * Returns 0 when the action may go ahead, else PK_EUSAGE saying
 * "WHAT CUTS every outlet: add --yes" (what: the action as typed, e.g.
 * "off all"; cuts: e.g. "switches off", "cycles"). */
struct pk_switch_guard {
	const char *what;     /* the action as the user typed it */
	const char *cuts;     /* what it does to power; NULL: it cuts none (on) */
	int yes;              /* --yes given */
	int dry_run;          /* -n: nothing is sent */
};

int pk_switch_allowed(const struct pk_switch_guard *g, const unsigned char *sel,
                      int count, struct pk_err *err);

/* What the engine asks of a device.  Outlets are 1-based; dev is the
 * device's own context. */
struct pk_switch_ops {
	/* Reads the states of (at least) the outlets flagged in left[0..count). */
	int (*read)(void *dev, const unsigned char *left, int64_t deadline,
	            struct pk_err *err);
	/* 1 when outlet n shows its end state (it may keep progress, such as
	 * "seen off" during a reboot, from one read to the next). */
	int (*reached)(void *dev, int n);
	/* Sends the action to outlet n (PK_SWITCH_EVERY: to all at once);
	 * an error names the outlet. */
	int (*send)(void *dev, int n, int64_t deadline, struct pk_err *err);
	/* -n: records what send would send to outlet n, sends nothing. */
	int (*describe)(void *dev, int n, struct pk_err *err);
	/* Fills err (PK_EREFUSED) for outlet n, still not as wanted when time
	 * ran out, and returns its status. */
	int (*unconfirmed)(void *dev, int n, struct pk_err *err);
};

struct pk_switch_job {
	const unsigned char *sel;  /* sel[i]: outlet i+1 is selected */
	int count;                 /* outlets on the device */
	int as_one;                /* one PK_SWITCH_EVERY command instead of one per outlet */
	int dry_run;               /* describe instead of send; no read-back */
	int wait;                  /* confirm by reading back */
	int settle_ms;             /* before the first read-back */
	int poll_ms;               /* between read-backs */
	int64_t deadline;          /* for sending and confirming */
	int64_t confirm_extra_ms;  /* added to the deadline for confirming (a delay asked for) */
	struct pk_switch_guard guard;  /* its dry_run is implied by the job's */
};

/* Runs a switch: the policy (pk_switch_allowed: PK_EUSAGE before anything
 * is sent), then send (or describe) for each selected outlet in order,
 * stopping at the first failure, then with job->wait (and no dry run)
 * confirms: waits settle_ms, reads the states of the outlets not yet
 * done, and again every poll_ms while a whole interval is left before the
 * deadline.  A read cut off by the deadline is "not confirmed" too.
 * *sent (when not NULL) is 1 once every action went out (never in a dry
 * run).  Returns 0, the status of the failed exchange, or
 * ops->unconfirmed's for the first outlet still left. */
int pk_switch_run(const struct pk_switch_ops *ops, void *dev,
                  const struct pk_switch_job *job, int *sent, struct pk_err *err);

#endif
