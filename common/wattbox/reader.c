/* reader.c — reads over the Integration Protocol as a step machine
 * (wattbox/reader.h).  The queries: ?Model, ?Firmware, ?Hostname,
 * ?ServiceTag, ?OutletCount (info); ?OutletName, ?OutletStatus, then
 * ?OutletPowerStatus=N per selected outlet (status); ?PowerStatus;
 * ?UPSConnection, then ?UPSStatus; ?Firmware timed (ping).  One query is
 * in flight per session (the device does not pipeline). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "wattbox/reader.h"

enum ip_step {
	IP_INFO, IP_NAMES, IP_STATES, IP_OUTLET_POWER, IP_POWER, IP_UPS_CONNECTION,
	IP_UPS_STATUS, IP_PING, IP_END
};

static const char *const info_queries[] = {
	"?Model", "?Firmware", "?Hostname", "?ServiceTag", "?OutletCount"
};
#define N_INFO (int)(sizeof info_queries / sizeof info_queries[0])

static int
malformed(struct pk_err *err, const char *what, const char *v)
{
	return pk_err_set(err, PK_ECOMM, "protocol", "malformed %s reply: '%.80s'", what, v);
}

/* The next outlet from rd->i on whose power is asked; count if none. */
static int
next_metered(const struct wb_ip_read *rd)
{
	const struct wb_status *st = &rd->r->st;
	int i = rd->i;

	while (st->metered && i < st->count && !rd->r->sel[i])
		i++;
	return st->metered ? i : st->count;
}

/* The query of the step rd is at into cmd: 1, or 0 when the step has
 * nothing (more) to ask. */
static int
step_query(struct wb_ip_read *rd, char *cmd, size_t len)
{
	unsigned p = rd->parts;
	int once = rd->i == 0, n;

	switch (rd->step) {
	case IP_INFO:
		if (!(p & WB_PART_INFO) || rd->i >= N_INFO)
			return 0;
		snprintf(cmd, len, "%s", info_queries[rd->i]);
		return 1;
	case IP_NAMES:
	case IP_STATES:
		if (!(p & WB_PART_STATUS) || rd->one_outlet || !once)
			return 0;
		snprintf(cmd, len, "%s", rd->step == IP_NAMES ? "?OutletName" : "?OutletStatus");
		return 1;
	case IP_OUTLET_POWER:
		if (!(p & WB_PART_STATUS) || (n = next_metered(rd)) >= rd->r->st.count)
			return 0;
		rd->i = n;
		snprintf(cmd, len, "?OutletPowerStatus=%d", n + 1);
		return 1;
	case IP_POWER:
		snprintf(cmd, len, "?PowerStatus");
		return (p & WB_PART_POWER) && once;
	case IP_UPS_CONNECTION:
		snprintf(cmd, len, "?UPSConnection");
		return (p & WB_PART_UPS) && once;
	case IP_UPS_STATUS:
		snprintf(cmd, len, "?UPSStatus");
		return (p & WB_PART_UPS) && rd->r->ups.supported && once;
	case IP_PING:
		snprintf(cmd, len, "?Firmware");
		rd->t0 = pk_now_ms_fine();
		return (p & WB_PART_PING) && once;
	default:
		return 0;
	}
}

/* The part a step finishes, when it ends without failing. */
static unsigned
part_done(int step)
{
	switch (step) {
	case IP_OUTLET_POWER: return WB_PART_STATUS;
	case IP_POWER: return WB_PART_POWER;
	case IP_UPS_STATUS: return WB_PART_UPS;
	case IP_PING: return WB_PART_PING;
	default: return 0;
	}
}

/* info: a query whose late reply must not stop the others: #Error or a
 * per-command timeout is noted in missing and the next query goes out
 * (its reply is then matched by name, so the late one is dropped). */
static int
take_info(struct wb_ip_read *rd, int rc, const char *v, struct pk_err *err)
{
	struct wb_info *in = &rd->r->info;
	char *fields[] = { in->model, in->firmware, in->hostname, in->service_tag };

	if (rc == PK_EREFUSED || (rc == PK_ECOMM && strcmp(err->kind, "timeout") == 0 &&
	                          pk_ms_left(rd->c->opts.deadline) > 0)) {
		size_t used = strlen(in->missing);
		snprintf(in->missing + used, sizeof in->missing - used, "%s%s", used ? ", " : "",
		         info_queries[rd->i]);
		v = "";
		pk_err_clear(err);
		rc = 0;
	}
	if (rc != 0) {
		if (in->missing[0])
			rd->r->have |= WB_PART_INFO;
		return rc;
	}
	if (rd->i < N_INFO - 1) {
		snprintf(fields[rd->i], WB_NAME_MAX, "%s", v);
		return 0;
	}
	in->outlets = v[0] ? atoi(v) : -1;
	/* What arrived before a missing reply is still worth showing. */
	rd->r->have |= WB_PART_INFO;
	return rd->parts & WB_READ_RAW_INFO ? 0 : wb_info_missing(in, err);
}

/* ?OutletName and ?OutletStatus, then the outlets the spec selects. */
static int
take_outlets(struct wb_ip_read *rd, const char *v, struct pk_err *err)
{
	struct wb_status *st = &rd->r->st;
	char names[WB_MAX_OUTLETS][WB_NAME_MAX];
	int states[WB_MAX_OUTLETS], want[WB_MAX_OUTLETS], i, n = rd->names;

	if (rd->step == IP_NAMES) {
		n = wb_parse_names(v, names, WB_MAX_OUTLETS);
		if (n < 0)
			return malformed(err, "?OutletName", v);
		for (i = 0; i < n; i++)
			snprintf(st->o[i].name, WB_NAME_MAX, "%s", names[i]);
		rd->names = n;
		return 0;
	}
	if (wb_parse_states(v, states, WB_MAX_OUTLETS) != n)
		return pk_err_set(err, PK_ECOMM, "protocol",
		                  "?OutletStatus '%.80s' does not match %d outlet names", v, n);
	st->count = n;
	for (i = 0; i < n; i++)
		st->o[i].on = states[i];
	if (rd->spec == NULL) {
		st->metered = rd->metering;
		memset(rd->r->sel, 1, sizeof rd->r->sel);
		return 0;
	}
	/* Names and states first: the spec may name outlets. */
	if (wb_outlets_select(st, rd->spec, WB_ON, want, err) != 0)
		return PK_EUSAGE;
	for (i = 0; i < n; i++)
		rd->r->sel[i] = want[i] >= 0;
	st->metered = rd->metering;
	return 0;
}

/* ?OutletPowerStatus=N -> N,watts,amps,volts: the vendor document's order
 * (one client's notes say amps first, against its own parser); values
 * carry two decimals on real units, any precision is taken.  #Error:
 * this model does not meter outlets. */
static int
take_outlet_power(struct wb_ip_read *rd, int rc, const char *v, struct pk_err *err)
{
	struct wb_outlet *o = &rd->r->st.o[rd->i];
	double f[4];

	if (rc == PK_EREFUSED) {
		pk_err_clear(err);
		rd->r->st.metered = 0;
		return 0;
	}
	if (rc != 0)
		return rc;
	if (wb_parse_numbers(v, f, 4) != 4)
		return malformed(err, rd->c->s.cmd, v);
	o->watts = f[1];
	o->amps = f[2];
	o->volts = f[3];
	return 0;
}

/* ?PowerStatus: amps,watts,volts,flag: amps first here, unlike
 * ?OutletPowerStatus. */
static int
take_power(struct wb_ip_read *rd, const char *v, struct pk_err *err)
{
	struct wb_power *p = &rd->r->power;
	const char *last = strrchr(v, ',');
	double f[4];

	p->supported = 1;
	if (wb_parse_numbers(v, f, 4) != 4 || last == NULL)
		return malformed(err, "?PowerStatus", v);
	p->amps = f[0];
	p->watts = f[1];
	p->volts = f[2];
	snprintf(p->safe_voltage, sizeof p->safe_voltage, "%s", last + 1);
	return 0;
}

/* ?UPSStatus=100,8,Good,False,160,True,False: charge %, load %, battery
 * health Good|Bad, power lost, runtime in minutes, alarm enabled, alarm
 * muted. */
static int
parse_ups_status(const char *v, struct wb_ups *u)
{
	char f[7][16];
	int n = 0;
	const char *p = v;

	while (n < 7) {
		size_t len = strcspn(p, ",");
		if (len >= sizeof f[0])
			return -1;
		snprintf(f[n++], sizeof f[0], "%.*s", (int)len, p);
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (n != 7 || pk_reading_parse(f[0], &u->charge) != 0 ||
	    pk_reading_parse(f[1], &u->load) != 0 || pk_reading_parse(f[4], &u->runtime_min) != 0)
		return -1;
	snprintf(u->health, sizeof u->health, "%s", f[2]);
	snprintf(u->power_lost, sizeof u->power_lost, "%s", f[3]);
	snprintf(u->alarm_enabled, sizeof u->alarm_enabled, "%s", f[5]);
	snprintf(u->alarm_muted, sizeof u->alarm_muted, "%s", f[6]);
	return 0;
}

/* The reply of the step's query; 0 or a status.  WB-150/250 units answer
 * #Error to ?PowerStatus, ?OutletPowerStatus and ?UPSStatus (#Error is
 * the device's only error reply): there it means "not on this model". */
static int
take_reply(struct wb_ip_read *rd, struct pk_err *err)
{
	const struct wb_session *s = &rd->c->s;
	struct wb_reading *r = rd->r;
	const char *v = s->value;
	int rc = s->rc, unsupported = rc == PK_EREFUSED;

	if (rc != 0)
		*err = s->err;
	if (rd->step == IP_INFO)
		return take_info(rd, rc, v, err);
	if (rd->step == IP_OUTLET_POWER)
		return take_outlet_power(rd, rc, v, err);
	if (unsupported && rd->step >= IP_POWER && rd->step <= IP_UPS_STATUS) {
		pk_err_clear(err);
		return 0;                 /* supported / have_status stay 0 */
	}
	if (rc != 0)
		return rc;
	switch (rd->step) {
	case IP_NAMES:
	case IP_STATES:
		return take_outlets(rd, v, err);
	case IP_POWER:
		return take_power(rd, v, err);
	case IP_UPS_CONNECTION:
		r->ups.supported = 1;
		r->ups.connected = strcmp(v, "1") == 0;
		return 0;
	case IP_UPS_STATUS:
		r->ups.have_status = 1;
		return parse_ups_status(v, &r->ups) == 0 ? 0 : malformed(err, "?UPSStatus", v);
	default:
		snprintf(r->ping.firmware, sizeof r->ping.firmware, "%s", v);
		return 0;
	}
}

static void
read_end(struct wb_ip_read *rd, int rc)
{
	rd->running = 0;
	rd->rc = rc;
}

/* Sends the next query, moving past steps with nothing to ask; ends the
 * read after the last. */
static void
ask_next(struct wb_ip_read *rd)
{
	char cmd[WB_CMD_MAX];

	while (rd->step < IP_END) {
		if (step_query(rd, cmd, sizeof cmd)) {
			wb_command_start(&rd->c->s, cmd, WB_QUERY);
			return;
		}
		rd->r->have |= part_done(rd->step) & rd->parts;
		rd->step++;
		rd->i = 0;
	}
	read_end(rd, 0);
}

void
wb_ip_read_next(struct wb_ip_read *rd)
{
	int rc;

	if (!rd->running || rd->c->s.op != WB_OP_NONE)
		return;
	rc = take_reply(rd, &rd->err);
	if (rd->step == IP_PING)
		rd->r->ping.round_trip_ms = pk_now_ms_fine() - rd->t0;
	if (rc != 0) {
		read_end(rd, rc);
		return;
	}
	rd->i++;
	ask_next(rd);
}

void
wb_ip_read_init(struct wb_ip_read *rd, struct wb_client *c, unsigned parts, const char *spec,
                struct wb_reading *r)
{
	memset(rd, 0, sizeof *rd);
	rd->c = c;
	rd->parts = parts;
	rd->spec = spec;
	rd->metering = 1;
	rd->r = r;
	rd->running = 1;
	r->have = 0;
	if (parts & WB_PART_INFO)
		memset(&r->info, 0, sizeof r->info);
	if (parts & WB_PART_STATUS)
		memset(&r->st, 0, sizeof r->st);
	if (parts & WB_PART_POWER)
		memset(&r->power, 0, sizeof r->power);
	if (parts & WB_PART_UPS)
		memset(&r->ups, 0, sizeof r->ups);
	if (parts & WB_PART_PING)
		memset(&r->ping, 0, sizeof r->ping);
}

void
wb_ip_read_begin(struct wb_ip_read *rd)
{
	ask_next(rd);
}

int
wb_ip_read_wait(struct wb_ip_read *rd, struct pk_err *err)
{
	struct wb_session *s = &rd->c->s;
	struct pk_task t = wb_session_task(s);

	while (rd->running) {
		pk_poll_tasks(&t, 1, s->until);
		wb_ip_read_next(rd);
	}
	if (rd->rc != 0)
		*err = rd->err;
	return rd->rc;
}
