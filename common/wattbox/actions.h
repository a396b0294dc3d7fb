/* actions.h — WattBox operations a tool runs on an open wb_client, beyond
 * one request: outlet actions (select the outlets, send, read the states
 * back until they are as asked), auto-reboot (set, read back) and info
 * with every reply.  Re-entrant, never prints: the results hold what a
 * tool renders, and in a dry run the lines that would be sent are in
 * c->dry.  Every failure is a struct pk_err whose status is the exit code. */
#ifndef PK_WB_OPS_H
#define PK_WB_OPS_H

#include "wattbox/client.h"

#define WB_POLL_MS 300            /* read-back interval while confirming */

/* An outlet action as asked for. */
struct wb_outlet_job {
	enum wb_action action;
	const char *outlets;      /* as typed: 3, 1,4,7, 2-5, all, outlet names */
	int delay_s;              /* reset: seconds off (0 = the device's own) */
	int wait;                 /* read the states back until confirmed */
	int yes;                  /* --yes: the safety policy (core/switching.h) */
};

/* What an outlet action did. */
struct wb_outlet_result {
	struct wb_status st;          /* before the action; after it when read_back */
	int want[WB_MAX_OUTLETS];     /* end state of each selected outlet, -1: not selected */
	int sent;                     /* every action was sent (not a dry run) */
	int read_back;                /* st was read again after the action */
	int confirmed;                /* ... and every selected outlet is as wanted */
};

/* Resolves spec (OUTLETS) against st's count and names and fills want[]
 * with the state each selected outlet must end in (-1: not selected):
 * on for ON and RESET, off for OFF, the opposite of now for TOGGLE.
 * Returns 0, or PK_EUSAGE from pk_outlets_parse. */
int wb_outlets_select(const struct wb_status *st, const char *spec, enum wb_action a,
                      int *want, struct pk_err *err);

/* The index of the first selected outlet not in its wanted state, or -1
 * when all are.  Pure, for tests. */
int wb_outlets_pending(const struct wb_status *st, const int *want);

/* The safety policy (core/switching.h) for job: PK_EUSAGE when it would
 * cut power to every outlet without job->yes (and this is no dry run).
 * With sel NULL, before the outlets are known, only a spec with "all" in
 * it is judged; with sel, the selection of count outlets. */
int wb_outlets_allowed(const struct wb_outlet_job *job, int dry_run, const unsigned char *sel,
                       int count, struct pk_err *err);

/* The same policy for a reboot of the device: every outlet cycles. */
int wb_reboot_allowed(int yes, int dry_run, struct pk_err *err);

/* Runs an outlet action through the outlet engine (core/switching.h):
 * reads the states, selects, applies the safety policy (PK_EUSAGE, nothing
 * sent), warns (the client's warning callback) about each selected
 * outlet that is off before a reset,
 * sends the action to each selected outlet (one RESET to outlet 0 for
 * "reset all"), and when job->wait is set and this is no dry run,
 * confirms: after WB_SETTLE_MS, reads the states every WB_POLL_MS until
 * each selected outlet is as wanted (a reset's delay is added to the
 * client's deadline: it is done when the outlet is back on); PK_EREFUSED kind
 * "unconfirmed" names the first outlet still wrong when time runs out.
 * Returns 0 or the first failure; res says how far it got. */
int wb_outlets_run(struct wb_client *c, const struct wb_outlet_job *job,
                   struct wb_outlet_result *res, struct pk_err *err);

/* Auto-reboot: sets it when want >= 0 (want -1: only reads), then reads
 * it back into *on unless this is a dry run or (after a set) wait is 0.
 * *on is -1 when nothing was read.  Returns 0, a status from the device,
 * or PK_EREFUSED kind "unconfirmed" when it did not change. */
int wb_autoreboot_run(struct wb_client *c, int want, int wait, int *on, struct pk_err *err);

/* Status of the outlets spec selects (NULL: every outlet): sel[i] 1 for
 * each selected outlet i+1.  Reads names and states once, then the power
 * of the selected outlets only, where the model meters them.  A spec that
 * names an outlet the unit lacks is PK_EUSAGE after the read. */
int wb_status_of(struct wb_client *c, const char *spec, struct wb_status *st,
                 unsigned char *sel, struct pk_err *err);

/* What a ping measured. */
struct wb_ping {
	char firmware[WB_NAME_MAX];   /* "" where the protocol does not say */
	double round_trip_ms;         /* the one query, after the login */
};

/* A ping: with the session open (connected and logged in), one query
 * (?Firmware over the Integration Protocol, /wattbox_info.xml over HTTP)
 * timed; the close that follows sends !Exit. */
int wb_ping_run(struct wb_client *c, struct wb_ping *p, struct pk_err *err);

/* Everything a read of one unit can hold: the parts asked for (WB_PART_*)
 * and, in have, the parts that were read. */
enum {
	WB_PART_INFO = 1, WB_PART_STATUS = 2, WB_PART_POWER = 4, WB_PART_UPS = 8,
	WB_PART_PING = 16
};

struct wb_reading {
	unsigned have;                   /* WB_PART_* read */
	struct wb_info info;
	struct wb_status st;
	unsigned char sel[WB_MAX_OUTLETS];  /* the outlets asked for (status) */
	struct wb_power power;
	struct wb_ups ups;
	struct wb_ping ping;
};

/* Reads the parts asked for into r, in the order info, status (of the
 * outlets spec selects, NULL: all), power, ups, ping; stops at the first
 * failure, with what was read before it in r->have. */
int wb_read(struct wb_client *c, unsigned parts, const char *spec, struct wb_reading *r,
            struct pk_err *err);

/* PK_ECOMM kind "timeout" naming the queries in->missing lists; 0 when
 * none is. */
int wb_info_missing(const struct wb_info *in, struct pk_err *err);

/* Info with every reply: a query that got no reply in time (in->missing)
 * is PK_ECOMM kind "timeout", with what did arrive left in *in. */
int wb_info_full(struct wb_client *c, struct wb_info *in, struct pk_err *err);

#endif
