/* watch.h — WattBoxes watched for change events (`wattctl --watch`):
 * one kept-alive Integration Protocol session per unit (telnet or SSH,
 * never two at once for a unit), all on one poll loop.  The outlet
 * states come from the unit's own `~OutletStatus=` pushes, sent on every
 * session whenever an outlet changes (this one's, another client's, the
 * front panel, a schedule), so an outlet event is as quick as the push;
 * ?PowerStatus and ?UPSStatus are polled every period, which also keeps
 * the session from going idle.  The keys, their states and what sets
 * them (wattctl(1), WATCH):
 *
 *   comm       COMMOK / COMMBAD         the unit was read / could not be
 *   outlet.N   OUTLET_ON / OUTLET_OFF   ?OutletStatus after each login,
 *                                       then each push
 *   power      POWER_LOST / POWER_RESTORED   the unit's voltage
 *                                       (?PowerStatus) under / back over
 *                                       WB_POWER_LOST_V (plus hysteresis)
 *   ups        UPS_ON_BATTERY / UPS_ONLINE   the UPS's "power lost" flag
 *                                       (?UPSStatus), with a UPS attached
 *
 * A dropped session is logged into again after a backoff (the caller's);
 * bad credentials never are: "Invalid Login" ends the unit's watch, and
 * a lockout is waited out (its remaining time, said by the device)
 * before the one next try.  Nothing here prints. */
#ifndef PK_WB_WATCH_H
#define PK_WB_WATCH_H

#include <stdint.h>
#include <time.h>

#include "core/watch.h"
#include "wattbox/reader.h"

/* Under this the unit's input is taken as lost: 120 V equipment drops
 * out well above it, and a unit without mains reads next to nothing. */
#define WB_POWER_LOST_V 90.0

/* A lockout whose remaining time the device did not say is waited out
 * this long (reports give 4 to 20 minutes). */
#define WB_LOCK_DEFAULT_S 600

enum wb_watch_phase {
	WBW_START,      /* not connected yet: the first try is due at `at` */
	WBW_LOGIN,      /* connect and login in flight */
	WBW_READ,       /* reading names, states, power, UPS after a login */
	WBW_LISTEN,     /* taking pushes until the next poll */
	WBW_POLL,       /* polling power and UPS */
	WBW_DOWN,       /* the session failed: the next try is due at `at` */
	WBW_ENDED       /* given up (bad credentials) or, with once, done */
};

struct wb_watcher {
	/* set by the caller */
	struct wb_config cfg;
	struct pk_session_opts opts;  /* trace, warning; each step gets its own deadline */
	const char *target;           /* the events' target: "host:port" */
	int64_t timeout_ms;           /* each login and each poll */
	int64_t period_ms;            /* between polls */
	int once;                     /* one read, then ended */
	/* owned while it runs */
	struct wb_client c;
	enum wb_watch_phase phase;
	int64_t at;                   /* WBW_START, WBW_DOWN: when to try; WBW_LISTEN: the poll */
	unsigned fails;               /* failures in a row */
	struct wb_ip_read rd;
	struct wb_reading r;          /* names and states, power, UPS as last known */
	int judged;                   /* the outlets were judged once since the login */
	int lock_told;                /* the lockout was said (once until a login works) */
	int rc;                       /* the last failure: a status, with err */
	struct pk_err err;
	/* the events of the step in progress */
	struct pk_watch *states;
	struct pk_events *evs;
	double hysteresis;
};

/* What happened to a unit in a step, for the caller to say: */
enum wb_watch_news {
	WBW_NEWS_NONE,
	WBW_NEWS_FAILED,   /* the first try failed (err): no state to change from */
	WBW_NEWS_LOCKED,   /* the API is locked: waited out (err, said once) */
	WBW_NEWS_GAVE_UP   /* bad credentials: this unit is ended (err) */
};

/* Sets w up for a run (cfg, opts, target, timeout_ms, period_ms, once
 * already filled in by the caller). */
void wb_watch_init(struct wb_watcher *w);

/* One pass: every unit whose time came starts its next step, one poll
 * of the loop (at most until max_wait, earlier when a unit is due),
 * then every unit moves on.  Events go to evs against states;
 * backoff(n) is the delay after the n-th failure in a row.  news[i]
 * says what happened to unit i (err in ws[i].err). */
void wb_watch_pass(struct wb_watcher *ws, size_t n, struct pk_watch *states,
                   double hysteresis, int64_t (*backoff)(unsigned), int64_t max_wait,
                   struct pk_events *evs, enum wb_watch_news *news);

/* 1 while some unit is not ended. */
int wb_watch_running(const struct wb_watcher *ws, size_t n);

/* Closes every session (with !Exit). */
void wb_watch_close(struct wb_watcher *ws, size_t n);

/* Judges a push's states "1,0,1" against w's outlets: OUTLET_ON /
 * OUTLET_OFF for each that changed (the first states only with
 * --initial), into evs against states.  A push whose outlet count is
 * not the unit's is ignored (0; 1 when taken).  Pure but for w's
 * states; for tests. */
int wb_watch_push(struct wb_watcher *w, const char *states_text, time_t when);

#endif
