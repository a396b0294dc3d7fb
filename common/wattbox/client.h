/* client.h — what a tool asks a SnapAV WattBox for (info, status, power,
 * ups, outlet actions, auto-reboot, reboot), and the drivers that do it:
 * the Integration Protocol over an open session (telnet, SSH; see
 * session.h) or the legacy HTTP API (http.c).
 * Nothing here prints; every failure is a struct pk_err whose status is
 * the exit code. */
#ifndef PK_WATTBOX_CLIENT_H
#define PK_WATTBOX_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/session.h"
#include "core/trace.h"
#include "wattbox/session.h"

/* ---- what a tool asks for -------------------------------------------- */

enum wb_proto { WB_TELNET, WB_SSH, WB_HTTP };
enum wb_action { WB_OFF, WB_ON, WB_TOGGLE, WB_RESET };

struct wb_info {
	char model[WB_NAME_MAX], firmware[WB_NAME_MAX], hostname[WB_NAME_MAX];
	char service_tag[WB_NAME_MAX];
	int outlets;
	char missing[256];     /* queries that got no reply in time ("" = none) */
};

struct wb_outlet {
	char name[WB_NAME_MAX];
	int on;
	double watts, amps, volts;
};

struct wb_status {
	int count;
	int metered;           /* per-outlet watts/amps/volts present */
	struct wb_outlet o[WB_MAX_OUTLETS];
};

struct wb_power {
	int supported;
	double amps, watts, volts;
	char safe_voltage[16]; /* raw flag, not guessed into a boolean */
};

struct wb_ups {
	int supported;
	int connected;
	int have_status;
	double charge, load, runtime_min;
	char health[16], power_lost[16], alarm_enabled[16], alarm_muted[16];
};

struct wb_config {
	enum wb_proto proto;
	const char *host, *port, *user, *password;
	int accept_new_hostkey;    /* ssh: record an unknown key */
	int insecure_hostkey;      /* ssh: no host key check at all */
	const char *known_hosts;   /* ssh: the known_hosts file (the tool picks it) */
	int dry_run;               /* state changes are written to dry, not sent */
};

struct wb_client;
struct wb_reading;
struct wb_ip_read;

struct wb_driver {
	int (*info)(struct wb_client *c, struct wb_info *info, struct pk_err *err);
	/* metering = 0 skips the per-outlet power queries. */
	int (*status)(struct wb_client *c, struct wb_status *st, int metering, struct pk_err *err);
	int (*power)(struct wb_client *c, struct wb_power *p, struct pk_err *err);
	int (*ups)(struct wb_client *c, struct wb_ups *u, struct pk_err *err);
	/* One action on outlet n (0 = all, RESET only); delay_s 0 = none. */
	int (*outlet)(struct wb_client *c, int n, enum wb_action a, int delay_s, struct pk_err *err);
	int (*autoreboot_get)(struct wb_client *c, int *on, struct pk_err *err);
	int (*autoreboot_set)(struct wb_client *c, int on, struct pk_err *err);
	int (*reboot)(struct wb_client *c, struct pk_err *err);
	void (*close)(struct wb_client *c);
	/* Power of outlet n (1-based) into o's watts, amps and volts;
	 * *metered 0 when the model does not meter outlets.  NULL where the
	 * protocol has no per-outlet metering (the legacy HTTP API). */
	int (*outlet_power)(struct wb_client *c, int n, struct wb_outlet *o, int *metered,
	                    struct pk_err *err);
	/* wb_read (actions.h) in the driver's own way; NULL: one driver call
	 * per part. */
	int (*read)(struct wb_client *c, unsigned parts, const char *spec, struct wb_reading *r,
	            struct pk_err *err);
	/* The same read as steps on the poll loop, for many units at once
	 * (wattbox/fleet.h): read_begin starts the read set up by
	 * wb_ip_read_init (reader.h), read_next runs after each poll and
	 * ends it (rd->running 0) once its last request ended; task is the
	 * client as a task of the loop (its session, or its HTTP transfer). */
	void (*read_begin)(struct wb_ip_read *rd);
	void (*read_next)(struct wb_ip_read *rd);
	struct pk_task (*task)(struct wb_client *c);
};

struct wb_client {
	struct pk_session_opts opts;  /* deadline, trace, warn: from wb_open */
	const struct wb_driver *drv;
	const struct wb_config *cfg;
	struct wb_session s;       /* telnet / ssh */
	void *transport;           /* the transport's own state */
	struct pk_buf dry;         /* dry run: the lines that would be sent */
	unsigned http_requests;    /* http: requests made */
};

/* Connects and logs in with the configured transport, before opts'
 * deadline; the client keeps its deadline, trace and warning callback
 * (copied from opts, as every protocol handle does: core/session.h).  On
 * failure everything is closed again. */
int wb_open(struct wb_client *c, const struct wb_config *cfg,
            const struct pk_session_opts *opts, struct pk_err *err);

/* wb_open without waiting where the transport runs on the poll loop:
 * telnet and SSH return with the connect and login in flight (c->s.op is
 * WB_OP_LOGIN for telnet, WB_OP_OPEN for SSH), for the session's task
 * (wb_session_task) to finish; HTTP returns with nothing sent, its check
 * that the port is no telnet port left to its first request.  On
 * failure everything is closed again. */
int wb_open_begin(struct wb_client *c, const struct wb_config *cfg,
                  const struct pk_session_opts *opts, struct pk_err *err);

/* Closes (with !Exit where a session is logged in); safe to call twice. */
void wb_close(struct wb_client *c);

/* Requests sent so far (round trips). */
unsigned wb_round_trips(const struct wb_client *c);

/* The Integration Protocol driver over an open session (telnet, SSH). */
extern const struct wb_driver wb_integration_driver;

/* Transports: each fills c->s / c->transport, connects and logs in
 * before c->opts.deadline; telnet and SSH only start both (the session's
 * machine finishes them). */
int wb_telnet_begin(struct wb_client *c, struct pk_err *err);
int wb_ssh_begin(struct wb_client *c, struct pk_err *err);
/* HTTP: wb_http_begin sets the client up without a byte sent; the
 * first request checks first that the peer does not speak first (the
 * telnet port), and wb_http_check_peer runs that check alone, blocking. */
int wb_http_begin(struct wb_client *c, struct pk_err *err);
int wb_http_check_peer(struct wb_client *c, struct pk_err *err);

/* A legacy /wattbox_info.xml body read as the HTTP driver's wb_read
 * reads it, every part (info, status of the outlets spec selects, NULL:
 * all, power, ups, ping) into r; r->have says which, up to the first
 * failure (PK_ECOMM, or PK_EUSAGE for a spec the unit cannot take).
 * Without a connection: for the unit tests and the fuzzing harness. */
int wb_http_parse_info(const char *xml, const char *spec, struct wb_reading *r,
                       const struct pk_session_opts *opts, struct pk_err *err);

/* A True/False flag as the device writes it (?UPSStatus: "True",
 * "False"; the HTTP driver's 1/0 become the same words): 1, 0, or -1 for
 * anything else, including "" (not reported). */
int wb_flag(const char *v);

/* "ON", "OFF", "TOGGLE", "RESET". */
const char *wb_action_word(enum wb_action a);

#endif
