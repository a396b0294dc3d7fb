/* pductl — switched PDUs over SNMP v1/v2c/v3: status, outlet states,
 * on/off/reboot with confirmation, outlet names, and raw OID access.
 * Parses, calls common/ (pdu/session.h, pdu/switch.h, pdu/oid.h),
 * prints (pdu/render.h), maps to exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/outlets.h"
#include "core/switching.h"
#include "cli/check_opts.h"
#include "cli/complete.h"
#include "cli/cred.h"
#include "cli/discover.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/targets.h"
#include "cli/watch.h"
#include "pdu/device.h"
#include "pdu/discover.h"
#include "pdu/fleet.h"
#include "pdu/health.h"
#include "pdu/oid.h"
#include "pdu/render.h"
#include "pdu/session.h"
#include "pdu/switch.h"
#include "pdu/watch.h"
#include "snmp/snmp.h"
#include "snmp/usm.h"
#include "core/target.h"

#define TOOL "pductl"

enum {
	OPT_COMMUNITY_FILE = PK_OPT_FIRST_TOOL, OPT_DELAYED, OPT_AUTH_PASSWORD_FILE,
	OPT_PRIV_PASSWORD_FILE, OPT_CONTEXT, OPT_NO_CHECK_INCREASING,
	OPT_EXPECT_ON, OPT_EXPECT_OFF, OPT_ALL
};

/* discover: at most this many -c communities, each tried in turn. */
#define MAX_COMMUNITIES 16

/* SNMPv3's options (-S 3): the user, level, protocols, context and where
 * the two passwords come from. */
struct v3_options {
	const char *user, *context;
	const char *auth_password, *priv_password;            /* -A, -X (copies) */
	const char *auth_password_file, *priv_password_file;
	int level;              /* enum snmp_level, or -1: by the passwords given */
	int auth, priv;         /* enum snmp_auth/snmp_priv, or 0: the default */
	int given;              /* any of them given */
};

struct options {
	struct pk_common_opts common;
	const char *community, *write_community;  /* -c, -C */
	const char *community_file;
	int version;            /* -S: SNMP_V1/V2C/V3, or -1 = by profile */
	struct v3_options v3;
	long retries;           /* -r */
	const struct pdu_profile *profile;  /* -P */
	int no_wait, delayed, dry_run, yes;
	int no_check_increasing;  /* oid walk: snmpwalk's -Cc */
	int timeout_given;
	int retries_given;      /* SETs are retransmitted only when asked */
	struct pk_fleet_opts fleet;   /* --targets, --parallel, --output */
	struct pk_target_list list;   /* the PDUs: operands, then --targets */
	struct pk_check_opts check;   /* --check and its thresholds */
	struct pdu_health_opts health;  /* --expect-on, --expect-off */
	int check_verbose;            /* -v with --check: long output, no trace */
	struct pk_discover_opts disc; /* discover's --port, --rate, --max-hosts */
	int disc_opts;                /* one of them, or --all, was given */
	int all;                      /* discover --all: agents that are no PDU too */
	const char *comms[MAX_COMMUNITIES];  /* every -c, for discover (copies) */
	size_t ncomms;
	struct pk_watch_opts watch;   /* --watch and its options */
	int hysteresis_given;         /* --hysteresis: no PDU event has a threshold */
	const char *watch_outlets;    /* --watch's OUTLETS, or NULL: every outlet */
};

/* Everything one run works with; lives in main's frame. */
struct run {
	struct options *o;
	struct pk_target target;
	char where[300];
	struct pdu_sess ps;
	struct pk_buf out;
	int write_failed;       /* oid walk: stdout refused a reply's lines */
	struct snmp_usm base;   /* the options' SNMPv3 user, once built */
	int base_ready;
	struct pk_err err;
};

static const char usage_text[] =
	"usage: pductl [OPTIONS] HOST[:PORT]... status\n"
	"       pductl [OPTIONS] HOST[:PORT]... get OUTLETS\n"
	"       pductl [OPTIONS] HOST[:PORT] on|off|reboot OUTLETS\n"
	"       pductl [OPTIONS] HOST[:PORT] name OUTLET NEWNAME\n"
	"       pductl [OPTIONS] HOST[:PORT] oid get OID... | oid walk OID | oid set OID TYPE VALUE\n"
	"       pductl --check [--expect-on OUTLETS] [--warning VAR=RANGE] HOST[:PORT]... [status]\n"
	"       pductl --watch[=SECONDS] [--exec COMMAND] HOST[:PORT]... [OUTLETS]\n"
	"       pductl [-c COMMUNITY]... [-u USER] [--all] [--port PORT] discover RANGE...\n"
	"\n"
	"OUTLETS: 3, 1,4,7, 2-5, all, or outlet names (matched exactly);\n"
	"UNIT:OUTLETS in a daisy chain (2:5, 2:1-8, 1:3,2:5).\n"
	"Options may come anywhere; after \"--\" every word is an operand (a VALUE\n"
	"starting with '-': pductl HOST oid set -- OID i -1).\n"
	"\n"
	"Options:\n";

static const struct pk_opt pductl_opts[] = {
	{ "community", 'c', "NAME", "read community (default public; env PDU_COMMUNITY)",
	  PK_VAL_NONE, NULL },
	{ "write-community", 'C', "NAME",
	  "write community (default private; env PDU_WRITE_COMMUNITY)", PK_VAL_NONE, NULL },
	{ "community-file", OPT_COMMUNITY_FILE, "FILE",
	  "community from the first line of FILE (reads and writes)", PK_VAL_FILE, NULL },
	{ "snmp-version", 'S', "1|2c|3", "SNMP version (default: 1 for CyberPower, 2c for APC,\n"
	  "falling back to 1 when 2c gets no answer; 3 with -u)", PK_VAL_WORDS, "1 2c 3" },
	{ "user", 'u', "USER", "SNMPv3 user (implies -S 3)", PK_VAL_NONE, NULL },
	{ "sec-level", 'l', "LEVEL", "SNMPv3 security level: noAuthNoPriv, authNoPriv or\n"
	  "authPriv (default: as the passwords given allow)", PK_VAL_WORDS,
	  "noAuthNoPriv authNoPriv authPriv" },
	{ "auth-proto", 'a', "PROTO", "SNMPv3 authentication: MD5, SHA, SHA-224, SHA-256,\n"
	  "SHA-384 or SHA-512 (default SHA)", PK_VAL_WORDS,
	  "MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512" },
	{ "priv-proto", 'x', "PROTO", "SNMPv3 privacy: DES, AES, AES-192 or AES-256 (default AES)",
	  PK_VAL_WORDS, "DES AES AES-192 AES-256" },
	{ "auth-password", 'A', "PASS", "SNMPv3 authentication password (visible in ps; prefer\n"
	  "--auth-password-file or PDU_AUTH_PASSWORD)", PK_VAL_NONE, NULL },
	{ "priv-password", 'X', "PASS", "SNMPv3 privacy password (visible in ps; prefer\n"
	  "--priv-password-file or PDU_PRIV_PASSWORD)", PK_VAL_NONE, NULL },
	{ "auth-password-file", OPT_AUTH_PASSWORD_FILE, "FILE",
	  "SNMPv3 authentication password from the first line of FILE", PK_VAL_FILE, NULL },
	{ "priv-password-file", OPT_PRIV_PASSWORD_FILE, "FILE",
	  "SNMPv3 privacy password from the first line of FILE", PK_VAL_FILE, NULL },
	{ "context", OPT_CONTEXT, "NAME", "SNMPv3 context name (default empty)", PK_VAL_NONE, NULL },
	{ "profile", 'P', "NAME", "skip detection: cyberpower-epdu, cyberpower-epdu2,\n"
	  "apc-rpdu2, apc-rpdu, apc-spdu, raritan-px2, raritan-px1-metered,\n"
	  "raritan-px1, sentry4, sentry4-metered, sentry3, sentry3-metered,\n"
	  "eaton-epdu, eaton-epdu-metered, cyberpower-ats, tripplite,\n"
	  "tripplite-metered, geist, geist-metered", PK_VAL_WORDS,
	  "cyberpower-epdu cyberpower-epdu2 apc-rpdu2 apc-rpdu apc-spdu raritan-px2 "
	  "raritan-px1-metered raritan-px1 "
	  "sentry4 sentry4-metered sentry3 sentry3-metered eaton-epdu eaton-epdu-metered "
	  "cyberpower-ats tripplite tripplite-metered geist geist-metered" },
	{ "retries", 'r', "N", "retransmissions per request (default 1; SETs: 0)",
	  PK_VAL_NONE, NULL },
	{ "no-wait", PK_OPT_NO_WAIT, NULL, "return once the PDU accepted the command",
	  PK_VAL_NONE, NULL },
	{ "delayed", OPT_DELAYED, NULL, "use the PDU's delayed commands (its on/off delays)",
	  PK_VAL_NONE, NULL },
	{ "dry-run", 'n', NULL, "print the OIDs and values that would be set, set nothing",
	  PK_VAL_NONE, NULL },
	{ "yes", PK_OPT_YES, NULL, "confirm off or reboot of every outlet", PK_VAL_NONE, NULL },
	{ "no-check-increasing", OPT_NO_CHECK_INCREASING, NULL,
	  "oid walk: go on past an OID that does not increase (snmpwalk -Cc)",
	  PK_VAL_NONE, NULL },
	/* What --check judges a PDU by, besides the thresholds (pdu/health.h). */
	{ "expect-on", OPT_EXPECT_ON, "OUTLETS",
	  "with --check: CRITICAL when one of OUTLETS is not on", PK_VAL_NONE, NULL },
	{ "expect-off", OPT_EXPECT_OFF, "OUTLETS",
	  "with --check: CRITICAL when one of OUTLETS is not off", PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt pductl_discover_opts[] = {
	{ "all", OPT_ALL, NULL, "discover: show SNMP agents that are no PDU too",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt *const pductl_tables[] = {
	pductl_opts, pk_opts_fleet, pk_opts_discover, pductl_discover_opts, pk_opts_check,
	pk_opts_watch, pk_opts_common_prom, NULL
};

/* The settings a --targets line may give a PDU. */
static const char *const target_keys[] = {
	"community", "write-community", "profile", "snmp-version", "user", "sec-level", "level",
	"auth-proto", "auth-password", "priv-proto", "priv-password", "context", NULL
};

static const char usage_tail[] =
	"\nExit: 0 done (get: all on), 1 refused/failed/not confirmed (get: any off),\n"
	"2 usage, 3 no answer or bad reply, 4 access refused, 5 not found.\n";

/* Keeps a copy of a secret given on the command line and blanks it
 * there, out of ps(1). */
static void
take_secret(const char **slot, char *arg)
{
	free((char *)*slot);
	*slot = strdup(arg);
	pk_argv_blank(arg);
}

/* An SNMPv3 option: 0 when taken, 1 when ch is another option, -1 with
 * err for a bad value. */
static int
apply_v3_opt(struct v3_options *v, int ch, char *arg, struct pk_err *err)
{
	enum snmp_level l;
	enum snmp_auth a;
	enum snmp_priv p;

	switch (ch) {
	case 'u': v->user = arg; break;
	case OPT_CONTEXT: v->context = arg; break;
	case 'A': take_secret(&v->auth_password, arg); break;
	case 'X': take_secret(&v->priv_password, arg); break;
	case OPT_AUTH_PASSWORD_FILE: v->auth_password_file = arg; break;
	case OPT_PRIV_PASSWORD_FILE: v->priv_password_file = arg; break;
	case 'l':
		if (snmp_usm_level_parse(arg, &l) != 0)
			return pk_err_set(err, PK_EUSAGE, "usage", "--sec-level %s: expected "
			                  "noAuthNoPriv, authNoPriv or authPriv", arg), -1;
		v->level = (int)l;
		break;
	case 'a':
		if (snmp_usm_auth_parse(arg, &a) != 0)
			return pk_err_set(err, PK_EUSAGE, "usage", "--auth-proto %s: expected MD5, "
			                  "SHA, SHA-224, SHA-256, SHA-384 or SHA-512", arg), -1;
		v->auth = (int)a;
		break;
	case 'x':
		if (snmp_usm_priv_parse(arg, &p) != 0)
			return pk_err_set(err, PK_EUSAGE, "usage", "--priv-proto %s: expected DES, "
			                  "AES, AES-192 or AES-256", arg), -1;
		v->priv = (int)p;
		break;
	default:
		return 1;
	}
	v->given = 1;
	return 0;
}

/* The copies of secrets from the command line. */
static void
free_secrets(struct options *o)
{
	free((char *)o->community);
	free((char *)o->write_community);
	free((char *)o->v3.auth_password);
	free((char *)o->v3.priv_password);
	while (o->ncomms > 0)
		free((char *)o->comms[--o->ncomms]);
}

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct options *o = tool;
	int r = pk_discover_opt(&o->disc, ch, arg, err);

	if (r != 0) {
		o->disc_opts = 1;
		return r < 0 ? PK_EUSAGE : 0;
	}
	r = pk_common_opt(&o->common, ch, arg, err);
	if (r < 0)
		return PK_EUSAGE;
	if (r == 0)
		r = pk_fleet_opt(&o->fleet, ch, arg, err);
	if (r < 0)
		return PK_EUSAGE;
	if (ch == 't')
		o->timeout_given = 1;
	if (r > 0)
		return 0;
	r = pk_check_opt(&o->check, ch, arg, err);
	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	r = pk_watch_opt(&o->watch, ch, arg, err);
	if (r != 0) {
		o->hysteresis_given |= ch == PK_OPT_HYSTERESIS;
		return r < 0 ? PK_EUSAGE : 0;
	}
	r = apply_v3_opt(&o->v3, ch, arg, err);
	if (r <= 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case 'c':
		if (o->ncomms == MAX_COMMUNITIES)
			return pk_err_set(err, PK_EUSAGE, "usage", "at most %d -c communities",
			                  MAX_COMMUNITIES);
		o->comms[o->ncomms++] = strdup(arg);
		free((char *)o->community);
		o->community = strdup(arg);
		pk_argv_blank(arg);   /* keep it out of ps(1) */
		return 0;
	case OPT_ALL:
		o->all = 1;
		o->disc_opts = 1;
		return 0;
	case 'C':
		free((char *)o->write_community);
		o->write_community = strdup(arg);
		pk_argv_blank(arg);
		return 0;
	case OPT_COMMUNITY_FILE:
		o->community_file = arg;
		return 0;
	case 'S':
		if (strcmp(arg, "1") == 0)
			o->version = SNMP_V1;
		else if (strcmp(arg, "2c") == 0 || strcmp(arg, "2") == 0)
			o->version = SNMP_V2C;
		else if (strcmp(arg, "3") == 0)
			o->version = SNMP_V3;
		else
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "--snmp-version %s: expected 1, 2c or 3", arg);
		return 0;
	case 'P':
		o->profile = pdu_profile_find(arg);
		if (o->profile == NULL)
			return pk_err_set(err, PK_EUSAGE, "usage", "--profile %s: expected %s", arg,
			                  pdu_profile_names());
		return 0;
	case 'r':
		if (pk_parse_long(arg, 0, 10, "retries", &o->retries, err) != 0)
			return PK_EUSAGE;
		o->retries_given = 1;
		return 0;
	case PK_OPT_NO_WAIT:
		o->no_wait = 1;
		return 0;
	case OPT_DELAYED:
		o->delayed = 1;
		return 0;
	case 'n':
		o->dry_run = 1;
		return 0;
	case PK_OPT_YES:
		o->yes = 1;
		return 0;
	case OPT_NO_CHECK_INCREASING:
		o->no_check_increasing = 1;
		return 0;
	case OPT_EXPECT_ON:
		o->health.expect_on = arg;
		return 0;
	case OPT_EXPECT_OFF:
		o->health.expect_off = arg;
		return 0;
	default: return pk_err_set(err, PK_EUSAGE, "usage", "option %d not handled", ch);
	}
}

/* One community: the option, else the file's, else the environment
 * (when not empty), else the conventional default. */
static int
pick_community(char *out, size_t outlen, const char *cli, const char *file_value,
               const char *envname, const char *fallback, struct pk_err *err)
{
	const char *c = cli != NULL ? cli : file_value != NULL ? file_value :
	                pk_user_get(NULL, envname, fallback);

	if (pk_cred_check("community", c, strlen(c), outlen - 1, err) != 0)
		return PK_EUSAGE;
	snprintf(out, outlen, "%s", c);
	return 0;
}

/* Communities by the credential precedence every tool shares: option >
 * --community-file (read once, so "-" works, and used for reads and
 * writes) > environment > public/private. */
static int
load_communities(struct run *r, struct pk_err *err)
{
	struct pk_secret_src file = { NULL, r->o->community_file, NULL, NULL, "community" };
	char from_file[256];
	int found = 0, rc;

	if (r->o->community_file != NULL &&
	    pk_secret_get(&file, from_file, sizeof from_file, &found, err) != 0)
		return PK_EUSAGE;
	rc = pick_community(r->ps.read_comm, sizeof r->ps.read_comm, r->o->community,
	                    found ? from_file : NULL, "PDU_COMMUNITY", "public", err);
	if (rc == 0)
		rc = pick_community(r->ps.write_comm, sizeof r->ps.write_comm, r->o->write_community,
		                    found ? from_file : NULL, "PDU_WRITE_COMMUNITY", "private", err);
	pk_secret_wipe(from_file, sizeof from_file);
	return rc;
}

/* One SNMPv3 password by the shared precedence (option, file,
 * environment; never a prompt): 0 with *found, or PK_EUSAGE. */
static int
v3_password(const char *cli, const char *file, const char *envname, const char *what,
            char *out, size_t outlen, int *found, struct pk_err *err)
{
	struct pk_secret_src src = { cli, file, envname, NULL, what };

	*found = 0;
	if (pk_secret_get(&src, out, outlen, found, err) != 0)
		return PK_EUSAGE;
	if (*found && strlen(out) < SNMP_USM_PASSWORD_MIN)
		return pk_err_set(err, PK_EUSAGE, "usage", "the SNMPv3 %s password is shorter than "
		                  "%d characters, which agents refuse (RFC 3414 11.2)", what,
		                  SNMP_USM_PASSWORD_MIN);
	return 0;
}

/* The level: as given, else the highest the passwords allow. */
static int
v3_level(const struct v3_options *v, int have_auth, int have_priv, struct pk_err *err)
{
	int level = v->level >= 0 ? v->level : have_auth && have_priv ? SNMP_AUTHPRIV :
	            have_auth ? SNMP_AUTHNOPRIV : SNMP_NOAUTH;

	if (level >= SNMP_AUTHNOPRIV && !have_auth)
		return pk_err_set(err, PK_EUSAGE, "usage", "-l %s needs an authentication password "
		                  "(-A, --auth-password-file or PDU_AUTH_PASSWORD)",
		                  snmp_usm_level_name((enum snmp_level)level)), -1;
	if (level == SNMP_AUTHPRIV && !have_priv)
		return pk_err_set(err, PK_EUSAGE, "usage", "-l authPriv needs a privacy password "
		                  "(-X, --priv-password-file or PDU_PRIV_PASSWORD)"), -1;
	return level;
}

/* The SNMPv3 user of v (-S 3, or -u alone) into u: names, level,
 * protocols, and the keys from the passwords (password-to-key here;
 * localised once the agent's engine ID is known, per session). */
static int
build_usm(const struct v3_options *v, struct snmp_usm *u, struct pk_err *err)
{
	char auth[512], priv[512];
	int have_auth = 0, have_priv = 0, level, rc;

	if (v->user == NULL || v->user[0] == '\0')
		return pk_err_set(err, PK_EUSAGE, "usage", "SNMP v3 needs a user name (-u USER)");
	if (strlen(v->user) > SNMP_USM_NAME_MAX ||
	    (v->context != NULL && strlen(v->context) > SNMP_USM_NAME_MAX))
		return pk_err_set(err, PK_EUSAGE, "usage", "SNMPv3 user and context names have at "
		                  "most %d characters", SNMP_USM_NAME_MAX);
	rc = v3_password(v->auth_password, v->auth_password_file, "PDU_AUTH_PASSWORD",
	                 "authentication", auth, sizeof auth, &have_auth, err);
	if (rc == 0)
		rc = v3_password(v->priv_password, v->priv_password_file, "PDU_PRIV_PASSWORD",
		                 "privacy", priv, sizeof priv, &have_priv, err);
	level = rc == 0 ? v3_level(v, have_auth, have_priv, err) : -1;
	if (level >= SNMP_AUTHNOPRIV && (rc = snmp_usm_load(err)) != 0)
		level = -1;   /* no nettle to hash with: err says so */
	if (level >= 0) {
		memset(u, 0, sizeof *u);
		snprintf(u->user, sizeof u->user, "%s", v->user);
		snprintf(u->context, sizeof u->context, "%s", v->context ? v->context : "");
		u->level = (enum snmp_level)level;
		u->auth = level >= SNMP_AUTHNOPRIV ? (v->auth ? v->auth : SNMP_AUTH_SHA) : SNMP_AUTH_NONE;
		u->priv = level == SNMP_AUTHPRIV ? (v->priv ? v->priv : SNMP_PRIV_AES) : SNMP_PRIV_NONE;
		/* The privacy key comes from its password with the authentication hash. */
		if (level >= SNMP_AUTHNOPRIV)
			snmp_usm_password_to_key(u->auth, auth, strlen(auth), u->auth_ku);
		if (level == SNMP_AUTHPRIV)
			snmp_usm_password_to_key(u->auth, priv, strlen(priv), u->priv_ku);
	}
	pk_secret_wipe(auth, sizeof auth);
	pk_secret_wipe(priv, sizeof priv);
	return level >= 0 ? 0 : rc != 0 ? rc : PK_EUSAGE;
}

/* The v3 options given without SNMP v3 are a usage error. */
static int
v3_unused(struct pk_err *err)
{
	return pk_err_set(err, PK_EUSAGE, "usage", "-u, -l, -a, -x, -A, -X and their files and "
	                  "--context are for SNMP v3 (-S 3)");
}

/* The SNMPv3 user of the options for one PDU (the shell completion). */
static int
load_v3(struct run *r, struct pk_err *err)
{
	if (r->o->version != SNMP_V3)
		return r->o->v3.given ? v3_unused(err) : 0;
	return build_usm(&r->o->v3, &r->ps.usm, err);
}

/* The library's warnings as "pductl: HOST:PORT: line" on stderr. */
static void
warn_line(void *ctx, const char *line)
{
	const struct run *r = ctx;

	pk_warn(TOOL, r->where, r->o->common.quiet, "%s", line);
}

/* The session's settings from the options, before it is opened. */
static void
configure_session(struct run *r)
{
	if (r->o->version < 0 && r->o->v3.user != NULL)
		r->o->version = SNMP_V3;   /* -u names a v3 user: no -S 3 needed */
	r->ps = (struct pdu_sess){
		.version = r->o->version,
		.profile = r->o->profile,
		.retries = (int)r->o->retries,
		.set_retries = r->o->retries_given ? (int)r->o->retries : 0,
	};
}

/* The option a --targets setting stands for: the one of its long name
 * (level= is sec-level=, as net-snmp's -l calls it); 0 for none. */
static int
setting_opt(const char *key)
{
	const struct pk_opt *op;

	if (strcmp(key, "level") == 0)
		key = "sec-level";
	for (op = pductl_opts; op->name != NULL; op++)
		if (strcmp(op->name, key) == 0)
			return op->id;
	return 0;
}

/* A copy of the options' SNMPv3 settings whose secrets it owns, so that
 * a target's settings may replace them (take_secret frees the old). */
static void
v3_copy(struct v3_options *dst, const struct v3_options *src)
{
	*dst = *src;
	dst->given = 0;
	dst->auth_password = src->auth_password ? strdup(src->auth_password) : NULL;
	dst->priv_password = src->priv_password ? strdup(src->priv_password) : NULL;
}

static void
v3_copy_free(struct v3_options *v)
{
	char *pw[2] = { (char *)v->auth_password, (char *)v->priv_password };

	for (int i = 0; i < 2; i++)
		if (pw[i] != NULL) {
			pk_secret_wipe(pw[i], strlen(pw[i]));
			free(pw[i]);
		}
}

/* The SNMPv3 settings of a --targets line over the options': each goes
 * through the option's own handler (apply_v3_opt), so values and
 * messages are the options'.  args keeps copies of the values v points
 * into (at most e->nkv); *user is set when the line names a user. */
static int
line_v3(struct v3_options *v, const struct pk_target_entry *e, char **args, size_t *nargs,
        int *user, struct pk_err *err)
{
	for (size_t k = 0; k < e->nkv; k++) {
		int ch = setting_opt(e->kv[k].key), rc;
		char *arg = strdup(e->kv[k].value);

		if (arg == NULL)
			return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
		rc = apply_v3_opt(v, ch, arg, err);
		if (rc == 1) {
			free(arg);
			continue;
		}
		args[(*nargs)++] = arg;
		if (rc < 0)
			return PK_EUSAGE;
		if (ch == 'u')
			*user = 1;
	}
	return 0;
}

/* A PDU's SNMPv3 user: the options' (built once a run, then shared by
 * every target whose line says nothing of v3), or its own when its line
 * gives v3 settings; a user= line is v3 unless it says snmp-version=.
 * Each target's session then discovers its agent's engine and localises
 * these keys to it. */
static int
target_v3(struct run *r, struct pdu_sess *ps, const struct pk_target_entry *e,
          int version_set, struct pk_err *err)
{
	struct v3_options v;
	char **args = calloc(e->nkv + 1, sizeof *args);
	size_t nargs = 0;
	int user = 0, rc;

	if (args == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	v3_copy(&v, &r->o->v3);
	rc = line_v3(&v, e, args, &nargs, &user, err);
	if (rc == 0 && user && !version_set)
		ps->version = SNMP_V3;
	if (rc == 0 && ps->version != SNMP_V3 && v.given)
		rc = pk_err_set(err, PK_EUSAGE, "usage", "user=, sec-level=, auth-proto=, "
		                "auth-password=, priv-proto=, priv-password= and context= are for "
		                "snmp-version=3");
	else if (rc == 0 && ps->version == SNMP_V3 && !v.given && r->base_ready)
		ps->usm = r->base;
	else if (rc == 0 && ps->version == SNMP_V3) {
		rc = build_usm(&v, &ps->usm, err);
		if (rc == 0 && !v.given) {
			r->base = ps->usm;
			r->base_ready = 1;
		}
	}
	v3_copy_free(&v);
	while (nargs > 0) {
		char *arg = args[--nargs];
		pk_secret_wipe(arg, strlen(arg));
		free(arg);
	}
	free(args);
	return rc;
}

/* 1 when a --targets line makes its PDU an SNMPv3 one (snmp-version=3
 * or user=), so that v3 options without -S 3 are for it. */
static int
lines_v3(const struct pk_target_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *ver = pk_target_setting(&l->v[i], "snmp-version");

		if ((ver != NULL && strcmp(ver, "3") == 0) ||
		    (ver == NULL && pk_target_setting(&l->v[i], "user") != NULL))
			return 1;
	}
	return 0;
}

/* A --targets line's settings over the options'. */
static int
apply_settings(struct run *r, struct pdu_sess *ps, const struct pk_target_entry *e,
               struct pk_err *err)
{
	const char *comm = pk_target_setting(e, "community");
	const char *wcomm = pk_target_setting(e, "write-community");
	const char *prof = pk_target_setting(e, "profile");
	const char *ver = pk_target_setting(e, "snmp-version");
	int rc;

	if (comm != NULL)
		snprintf(ps->read_comm, sizeof ps->read_comm, "%s", comm);
	if (wcomm != NULL)
		snprintf(ps->write_comm, sizeof ps->write_comm, "%s", wcomm);
	if (prof != NULL && (ps->profile = pdu_profile_find(prof)) == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s: profile=%s: no such profile",
		                  e->where, prof);
	if (ver != NULL && strcmp(ver, "1") == 0)
		ps->version = SNMP_V1;
	else if (ver != NULL && strcmp(ver, "2c") == 0)
		ps->version = SNMP_V2C;
	else if (ver != NULL && strcmp(ver, "3") == 0)
		ps->version = SNMP_V3;
	else if (ver != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s: snmp-version=%s: expected 1, 2c or 3",
		                  e->where, ver);
	rc = target_v3(r, ps, e, ver != NULL, err);
	if (rc != 0 && e->where[0] != '\0')
		pk_err_prefix(err, "%s", e->where);
	return rc;
}

/* Allocates the session, which owns the deadline, the trace and the
 * warning callback. */
static int
init_session(struct run *r, int64_t deadline)
{
	struct pk_trace trace = { r->o->common.verbose ? pk_trace_stderr : NULL, (void *)TOOL };
	struct pk_session_opts opts;

	pk_session_opts_set(&opts, deadline, &trace, warn_line, r);
	return pdu_sess_init(&r->ps, &opts, &r->err);
}

static int
act_get(struct run *r, const char *spec)
{
	unsigned char sel[PDU_MAX_OUTLETS];
	int json = r->o->common.format == PK_FMT_JSON;
	int rc = pdu_get(&r->ps, spec, json, sel, &r->err);

	if (rc != 0)
		return rc;
	pdu_render_states(&r->out, r->where, r->ps.pdu, sel, json);
	return pdu_all_on(r->ps.pdu, sel) ? 0 : PK_EREFUSED;
}

static int
act_status(struct run *r)
{
	int rc = pdu_sess_read(&r->ps, pdu_step_status, NULL, 0, &r->err);

	if (rc == 0)
		pdu_render_status(&r->out, r->where, r->ps.pdu, r->o->common.format);
	return rc;
}

/* -n: appends the SET varbinds in lines (snmpset-style text lines) as
 * they are, or with -j as the shared dry-run document. */
static void
put_dry(struct run *r, const struct pk_buf *lines)
{
	pk_render_dry_run(&r->out, r->where, lines->data, lines->len,
	                  r->o->common.format == PK_FMT_JSON);
}

static int
dry_switch(struct run *r, const unsigned char *sel, enum pdu_action a)
{
	struct pk_buf lines = { 0 };
	int rc = pdu_switch_plan(r->ps.pdu, sel, a, r->o->delayed, snmp_vb_line, &lines, &r->err);

	if (rc == 0)
		put_dry(r, &lines);
	pk_buf_free(&lines);
	return rc;
}

static int
dry_name(struct run *r, int n, const char *newname)
{
	struct pk_buf lines = { 0 };
	struct snmp_vb vb;
	int rc = pdu_name_vb(r->ps.pdu, n, newname, &vb, &r->err);

	if (rc == 0)
		rc = snmp_vb_line(&lines, &vb);
	if (rc == 0)
		put_dry(r, &lines);
	pk_buf_free(&lines);
	return rc;
}

/* The safety policy's facts for "WORD SPEC"; what holds its text. */
static struct pk_switch_guard
switch_guard(const struct run *r, const char *word, const char *spec, char *what,
             size_t len)
{
	enum pdu_action a = PDU_ON;

	pdu_action_parse(word, &a);
	snprintf(what, len, "%s %s", word, spec);
	return (struct pk_switch_guard){ what, pdu_action_cuts(a), r->o->yes, r->o->dry_run };
}

/* "all" selects every outlet whatever the PDU: refused before any
 * request when the policy says so (the engine judges other spellings). */
static int
check_all_early(struct run *r, const char *word, const char *spec)
{
	char what[300];
	struct pk_switch_guard g = switch_guard(r, word, spec, what, sizeof what);

	return pk_outlets_spec_all(spec) ? pk_switch_allowed(&g, NULL, 0, &r->err) : 0;
}

static int
act_switch(struct run *r, const char *word, const char *spec, int64_t start)
{
	unsigned char sel[PDU_MAX_OUTLETS];
	char what[300];
	enum pdu_action a = PDU_ON;
	struct pdu_switch sw;
	int rc = pdu_select(&r->ps, spec, sel, &r->err);

	pdu_action_parse(word, &a);
	sw = (struct pdu_switch){
		.action = a, .delayed = r->o->delayed, .wait = !r->o->no_wait,
		.extend = !r->o->timeout_given && !r->o->no_wait, .start = start,
		.guard = switch_guard(r, word, spec, what, sizeof what)
	};

	if (rc == 0 && r->o->dry_run)
		return dry_switch(r, sel, a);
	if (rc == 0)
		rc = pdu_switch(&r->ps, &sw, sel, &r->err);
	if (rc == 0 && sw.wait)
		pdu_render_states(&r->out, r->where, r->ps.pdu, sel,
		                  r->o->common.format == PK_FMT_JSON);
	else if (rc == 0)
		pdu_render_accepted(&r->out, r->where, r->ps.pdu, sel,
		                    r->o->common.format == PK_FMT_JSON);
	return rc;
}

static int
act_name(struct run *r, const char *spec, const char *newname)
{
	int n = 0, rc = pdu_name_target(&r->ps, spec, &n, &r->err);

	if (rc == 0 && r->o->dry_run)
		return dry_name(r, n, newname);
	if (rc == 0)
		rc = pdu_rename(&r->ps, n, newname, &r->err);
	if (rc == 0)
		pdu_render_name(&r->out, r->where, r->ps.pdu, n,
		                r->o->common.format == PK_FMT_JSON);
	return rc;
}

static int
open_session(struct run *r)
{
	return pdu_sess_open(&r->ps, r->target.host, r->target.port, &r->err);
}

/* oid walk: a reply's lines go out as soon as it arrived, so that a walk
 * cut short (timeout, bad OID) has printed everything before the cut. */
static void
walk_replied(void *ctx)
{
	struct run *r = ctx;

	if (pk_emit(&r->out) != 0)
		r->write_failed = 1;
	pk_buf_reset(&r->out);
}

static int
walk_line(void *ctx, const struct snmp_vb *vb)
{
	struct run *r = ctx;

	if (r->write_failed)
		return pk_stdout_error(&r->err);
	return snmp_vb_line(&r->out, vb);
}

/* After a walk, what snmpwalk prints too: "End of MIB" where an SNMP v1
 * walk met the end of the agent's view; then what is left goes out,
 * whatever the outcome. */
static int
walk_done(struct run *r, const struct pdu_oid_req *req, int rc)
{
	if (req->walk.v1_end && rc == 0)
		pk_buf_adds(&r->out, "End of MIB\n");
	walk_replied(r);
	if (r->write_failed && rc == 0)
		rc = pk_stdout_error(&r->err);
	return rc;
}

/* oid get|walk|set; everything is checked before the first datagram.
 * Without -t a walk is bounded by silence (-t's default for each
 * request), not as a whole: a big agent takes longer than 5 s. */
static int
act_oid(struct run *r, int argc, char **argv)
{
	struct pdu_oid_req req = { 0 };
	int rc = pdu_oid_parse(argc, argv, &req, &r->err);
	int dry = rc == 0 && req.op == PDU_OID_SET && r->o->dry_run;
	int walk = rc == 0 && req.op == PDU_OID_WALK;

	req.walk = (struct snmp_walk){
		.no_check_increasing = r->o->no_check_increasing,
		.silence_ms = r->o->timeout_given ? 0 : r->o->common.timeout_ms,
		.replied = walk_replied,
	};
	if (dry)
		snmp_vb_line(&r->out, &req.vbs[0]);
	if (rc == 0 && !dry)
		rc = open_session(r);
	if (rc == 0 && walk)
		rc = walk_done(r, &req, pdu_oid_run(&r->ps, &req, walk_line, r, &r->err));
	else if (rc == 0 && !dry)
		rc = pdu_oid_run(&r->ps, &req, snmp_vb_line, &r->out, &r->err);
	pdu_oid_free(&req);
	return rc;
}

/* Checks the action's argument count before anything is sent. */
static int
check_args(struct run *r, int argc, char **argv)
{
	const char *act = argv[1];
	enum pdu_action a;
	int words = strcmp(act, "status") == 0 ? 2 : strcmp(act, "name") == 0 ? 4 :
	            strcmp(act, "get") == 0 || pdu_action_parse(act, &a) ? 3 : 0;

	if (argc == words || strcmp(act, "oid") == 0)
		return 0;
	return pk_err_set(&r->err, PK_EUSAGE, "usage",
	                  "expected status, get OUTLETS, on|off|reboot OUTLETS, "
	                  "name OUTLET NEWNAME or oid ... (see pductl --help)");
}

static int
dispatch(struct run *r, int argc, char **argv, int64_t start)
{
	enum pdu_action a;
	int rc;

	if (r->o->common.format == PK_FMT_JSON && strcmp(argv[1], "oid") == 0)
		return pk_err_set(&r->err, PK_EUSAGE, "usage", "-j: oid prints snmpget -On "
		                  "lines, not JSON; leave out -j");
	if (strcmp(argv[1], "oid") == 0)
		return act_oid(r, argc - 2, argv + 2);
	if (r->o->common.format == PK_FMT_PROM && strcmp(argv[1], "status") != 0)
		return pk_err_set(&r->err, PK_EUSAGE, "usage", "--format prom is for status only");
	if (pdu_action_parse(argv[1], &a) && (rc = check_all_early(r, argv[1], argv[2])) != 0)
		return rc;
	rc = open_session(r);
	if (strcmp(argv[1], "get") == 0 && argv[2] != NULL)
		pdu_get_ahead(&r->ps, argv[2], r->o->common.format == PK_FMT_JSON);
	if (rc == 0)
		rc = pdu_sess_detect(&r->ps, &r->err);
	if (rc != 0)
		return rc;
	if (strcmp(argv[1], "status") == 0)
		return act_status(r);
	if (strcmp(argv[1], "get") == 0)
		return act_get(r, argv[2]);
	if (strcmp(argv[1], "name") == 0)
		return act_name(r, argv[2], argv[3]);
	return act_switch(r, argv[1], argv[2], start);
}

/* Outlets for the shell completion: "all" (unless renaming), then each
 * outlet's number and name, read from the PDU quietly within
 * PK_COMPLETE_TIMEOUT_MS; nothing from a PDU that does not answer. */
static void
complete_outlets(struct options *o, const struct pk_comp *c, int with_all)
{
	struct run r = { .o = o };
	char num[24];
	int i, rc;

	o->common.quiet = 1;
	o->common.verbose = 0;
	if (with_all && strchr(c->cur, ',') == NULL)
		pk_comp_item(c, "all", "every outlet");
	rc = pk_target_parse(c->ops[0], PK_TARGET_HOST, "161", &r.target, &r.err);
	if (rc == 0)
		pk_target_hostport(&r.target, r.where, sizeof r.where);
	configure_session(&r);
	if (rc == 0)
		rc = load_communities(&r, &r.err);
	if (rc == 0)
		rc = load_v3(&r, &r.err);
	if (rc == 0)
		rc = init_session(&r, pk_now_ms() + PK_COMPLETE_TIMEOUT_MS);
	if (rc == 0)
		rc = open_session(&r);
	if (rc == 0)
		rc = pdu_sess_detect(&r.ps, &r.err);
	if (rc == 0)
		rc = pdu_sess_read(&r.ps, pdu_step_names, NULL, 0, &r.err);
	for (i = 0; rc == 0 && i < r.ps.pdu->noutlets; i++) {
		const struct pdu_outlet *out = &r.ps.pdu->outlets[i];

		pdu_outlet_label(r.ps.pdu, i, num, sizeof num);
		pk_comp_item(c, num, out->name);
		if (out->name[0] != '\0' && strcspn(out->name, ",") == strlen(out->name))
			pk_comp_item(c, out->name, num);
	}
	pdu_sess_free(&r.ps);
}

/* Operands for the shell completion: HOST, the action, then what the
 * action takes. */
static void
complete_operand(void *tool, const struct pk_comp *c)
{
	enum pdu_action a;

	if (c->nops == 0)
		pk_comp_directive(c, "host");
	else if (c->nops == 1)
		pk_comp_words(c, "status get on off reboot name oid");
	else if (c->nops == 2 && strcmp(c->ops[1], "oid") == 0)
		pk_comp_words(c, "get walk set");
	else if (c->nops == 2 && (strcmp(c->ops[1], "get") == 0 ||
	                          strcmp(c->ops[1], "name") == 0 || pdu_action_parse(c->ops[1], &a)))
		complete_outlets(tool, c, strcmp(c->ops[1], "name") != 0);
}

/* ---- several PDUs ------------------------------------------------------ */

/* The operands before the first action word are the PDUs. */
static int
count_hosts(int argc, char **argv)
{
	static const char *const words[] = { "status", "get", "name", "oid", NULL };
	enum pdu_action a;

	for (int i = 0; i < argc; i++) {
		for (int w = 0; words[w] != NULL; w++)
			if (strcmp(argv[i], words[w]) == 0)
				return i;
		if (pdu_action_parse(argv[i], &a))
			return i;
	}
	return argc;
}

/* One PDU's document in a JSON array: what it read, or its error. */
static void
fleet_json_doc(struct pk_buf *out, const char *where, const struct pdu_fleet_item *it,
               const struct pk_buf *doc)
{
	struct pk_json j;

	if (doc->len > 0) {
		pk_buf_add(out, doc->data, doc->len - 1);   /* without its newline */
		return;
	}
	pk_json_init(&j, out);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "target", where);
	pk_json_key(&j, "error");
	pk_json_error_value(&j, &it->err);
	pk_json_obj_end(&j);
}

/* What one PDU of a fleet read, rendered as it would be alone; get
 * selects its outlets now (a PDU without them is a usage error of its
 * own) and fails with PK_EREFUSED when one of them is off. */
static void
fleet_render_one(struct run *r, struct pdu_fleet_item *it, const char *where,
                 const char *spec, struct pk_buf *doc)
{
	unsigned char sel[PDU_MAX_OUTLETS];
	int json = r->o->common.format == PK_FMT_JSON;

	if (it->rc != 0)
		return;
	if (spec == NULL) {
		pdu_render_status(doc, where, it->ps.pdu, r->o->common.format);
		return;
	}
	it->rc = pdu_select_known(it->ps.pdu, spec, sel, &it->err);
	if (it->rc != 0)
		return;
	pdu_render_states(doc, where, it->ps.pdu, sel, json);
	if (!pdu_all_on(it->ps.pdu, sel))
		it->rc = PK_EREFUSED;
}

/* Text lines prefixed "host:port: ", a JSON array, or one exposition
 * with server labels; errors on stderr.  Returns the worst status. */
static int
fleet_render(struct run *r, struct pdu_fleet_item *items, char (*where)[300], size_t n,
             const char *spec)
{
	const char **targets = calloc(n, sizeof *targets);
	const struct pdu **pdus = calloc(n, sizeof *pdus);
	enum pk_format fmt = r->o->common.format;
	struct pk_buf doc = { 0 };
	int rc = 0;

	if (targets == NULL || pdus == NULL) {
		free(targets);
		free(pdus);
		return pk_err_set(&r->err, PK_ECOMM, "memory", "out of memory");
	}
	if (fmt == PK_FMT_JSON)
		pk_buf_addc(&r->out, '[');
	for (size_t i = 0; i < n; i++) {
		pk_buf_reset(&doc);
		fleet_render_one(r, &items[i], where[i], spec, &doc);
		targets[i] = where[i];
		pdus[i] = items[i].rc == 0 ? items[i].ps.pdu : NULL;
		if (fmt == PK_FMT_JSON && i > 0)
			pk_buf_addc(&r->out, ',');
		if (fmt == PK_FMT_JSON)
			fleet_json_doc(&r->out, where[i], &items[i], &doc);
		else if (fmt == PK_FMT_TEXT)
			pk_add_prefixed(&r->out, where[i], doc.data, doc.len);
		if (items[i].rc != 0 && items[i].rc != PK_EREFUSED)
			pk_report_error(TOOL, where[i], &items[i].err, 0, r->o->common.quiet);
		rc = pk_status_worse(rc, items[i].rc);
	}
	if (fmt == PK_FMT_JSON)
		pk_buf_add(&r->out, "]\n", 2);
	else if (fmt == PK_FMT_PROM)
		pdu_render_prom(&r->out, targets, pdus, n);
	pk_buf_free(&doc);
	free(targets);
	free(pdus);
	return rc;
}

/* Each PDU's session: the options, then its --targets settings. */
static int
fleet_prepare(struct run *r, struct pdu_fleet_item *it, const struct pk_target_entry *e,
              struct pk_target *tg, char *where)
{
	struct pk_trace trace = { r->o->common.verbose ? pk_trace_stderr : NULL, (void *)TOOL };
	struct pk_session_opts opts;
	int rc = pk_target_parse(e->spec, PK_TARGET_HOST, "161", tg, &r->err);

	if (rc != 0) {
		if (e->where[0] != '\0')
			pk_err_prefix(&r->err, "%s", e->where);
		return rc;
	}
	pk_target_hostport(tg, where, 300);
	it->ps = r->ps;     /* settings and communities; no session yet */
	it->ps.s = NULL;
	it->ps.pdu = NULL;
	rc = apply_settings(r, &it->ps, e, &r->err);
	pk_session_opts_set(&opts, 0, &trace, warn_line, r);
	if (rc == 0)
		rc = pdu_sess_init(&it->ps, &opts, &r->err);
	it->host = tg->host;
	it->port = tg->port;
	return rc;
}

/* status or get of several PDUs at once (switching takes one PDU). */
static int
run_fleet(struct run *r, int argc, char **argv)
{
	size_t n = r->o->list.n, i;
	struct pdu_fleet_item *items = calloc(n, sizeof *items);
	struct pk_target *tg = calloc(n, sizeof *tg);
	char (*where)[300] = calloc(n, sizeof *where);
	int get = strcmp(argv[0], "get") == 0;
	int rc = 0;

	if (items == NULL || tg == NULL || where == NULL)
		rc = pk_err_set(&r->err, PK_ECOMM, "memory", "out of memory");
	else if (!get && strcmp(argv[0], "status") != 0)
		rc = pk_err_set(&r->err, PK_EUSAGE, "usage", "%s takes one PDU; several are "
		                "for status and get", argv[0]);
	else if (argc != (get ? 2 : 1))
		rc = pk_err_set(&r->err, PK_EUSAGE, "usage", "expected status or get OUTLETS "
		                "(see pductl --help)");
	else if (get && r->o->common.format == PK_FMT_PROM)
		rc = pk_err_set(&r->err, PK_EUSAGE, "usage", "--format prom is for status only");
	for (i = 0; rc == 0 && i < n; i++) {
		rc = fleet_prepare(r, &items[i], &r->o->list.v[i], &tg[i], where[i]);
		items[i].what = get ? PDU_FLEET_STATES : PDU_FLEET_STATUS;
	}
	if (rc == 0) {
		pdu_fleet_run(items, n, (size_t)r->o->fleet.parallel, r->o->common.timeout_ms);
		rc = fleet_render(r, items, where, n, get ? argv[1] : NULL);
		r->err.msg[0] = '\0';   /* each PDU's error was reported with it */
	}
	for (i = 0; items != NULL && i < n; i++)
		pdu_sess_free(&items[i].ps);
	free(items);
	free(tg);
	free(where);
	return rc;
}

/* --check: every PDU read at once (as status reads it) and judged, the
 * plugin output printed; the exit code is the check's state. */
static int
run_check(struct run *r)
{
	size_t n = r->o->list.n, i;
	struct pdu_fleet_item *items = calloc(n, sizeof *items);
	struct pk_target *tg = calloc(n, sizeof *tg);
	char (*where)[300] = calloc(n, sizeof *where);
	struct pk_check_report rep;
	int rc = 0;

	pk_check_report_init(&rep, "PDU");
	if (items == NULL || tg == NULL || where == NULL)
		rc = pk_err_set(&r->err, PK_ECOMM, "memory", "out of memory");
	for (i = 0; rc == 0 && i < n; i++) {
		rc = fleet_prepare(r, &items[i], &r->o->list.v[i], &tg[i], where[i]);
		items[i].what = PDU_FLEET_STATUS;
	}
	if (rc == 0) {
		pdu_fleet_run(items, n, (size_t)r->o->fleet.parallel, r->o->common.timeout_ms);
		for (i = 0; i < n; i++) {
			struct pk_check_target *t = pk_check_target_add(&rep, where[i]);
			if (t == NULL)
				break;
			if (items[i].rc != 0)
				pdu_health_error(t, &items[i].err, r->o->check.unreachable);
			else
				pdu_health_judge(t, items[i].ps.pdu, &r->o->health);
		}
		struct pk_common_opts print_opts = r->o->common;
		print_opts.verbose = r->o->check_verbose;
		rc = pk_check_print(&rep, &print_opts);
	} else {
		rc = pk_check_usage_error("PDU", TOOL, &r->err);
	}
	for (i = 0; items != NULL && i < n; i++)
		pdu_sess_free(&items[i].ps);
	pk_check_report_free(&rep);
	free(items);
	free(tg);
	free(where);
	return rc;
}

/* The --check rules: its options only with it; it reads status only. */
static int
parse_check(struct options *o, int nhosts, int argc, char **argv, struct pk_err *err)
{
	int rc = pk_check_opts_validate(&o->check, &o->common, err);

	if (rc != 0)
		return rc;
	if (!o->check.enabled)
		return o->health.expect_on || o->health.expect_off ?
		       pk_err_set(err, PK_EUSAGE, "usage", "--expect-on and --expect-off go with "
		                  "--check") : 0;
	if (argc - nhosts > 1 || (argc > nhosts && strcmp(argv[nhosts], "status") != 0))
		return pk_err_set(err, PK_EUSAGE, "usage", "--check reads status: expected "
		                  "HOST[:PORT]... [status]");
	o->health.th = &o->check.thresholds;
	/* With --check, -v means the plugins' long output, not a trace. */
	o->check_verbose = o->common.verbose;
	o->common.verbose = 0;
	return pdu_health_check_vars(&o->check.thresholds, err);
}

/* The PDUs named before the action, then those of --targets. */
static int
make_list(struct options *o, int nhosts, char **hosts, struct pk_err *err)
{
	for (int i = 0; i < nhosts; i++)
		if (pk_targets_add(&o->list, hosts[i], err) != 0)
			return err->status;
	if (o->fleet.targets_file != NULL &&
	    pk_targets_read(&o->list, o->fleet.targets_file, err) != 0)
		return err->status;
	if (pk_targets_check_keys(&o->list, target_keys, err) != 0)
		return PK_EUSAGE;
	if (o->list.n == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "expected HOST[:PORT] ACTION "
		                  "(see pductl --help)");
	return 0;
}

/* ---- --watch --------------------------------------------------------- */

/* --watch takes PDUs and, last, the outlets to follow (numbers, ranges
 * or "all": a word that may be an outlet name is a host here), no
 * action.  Sets o->watch_outlets and leaves the PDUs' count in *nhosts. */
static int
parse_watch(struct options *o, int argc, char **argv, int *nhosts, struct pk_err *err)
{
	int rc = pk_watch_opts_validate(&o->watch, &o->common, err);

	if (rc != 0 || !o->watch.enabled)
		return rc;
	if (o->check.enabled || o->fleet.output != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--watch prints events as they come: no --check or --output");
	if (o->dry_run || o->yes || o->no_wait || o->delayed || o->health.expect_on ||
	    o->health.expect_off)
		return pk_err_set(err, PK_EUSAGE, "usage", "--watch takes no action or --check "
		                  "options");
	if (o->hysteresis_given)
		return pk_err_set(err, PK_EUSAGE, "usage", "--hysteresis: pductl's events are the "
		                  "PDU's own states, with no threshold to hover on");
	for (int i = 0; i < argc; i++)
		if (count_hosts(1, &argv[i]) == 0)
			return pk_err_set(err, PK_EUSAGE, "usage", "--watch takes HOSTs and OUTLETS, "
			                  "no action ('%s')", argv[i]);
	*nhosts = argc;
	if (argc >= (o->fleet.targets_file != NULL ? 1 : 2) && !pdu_spec_has_names(argv[argc - 1]))
		o->watch_outlets = argv[--*nhosts];
	return 0;
}

/* A watch run: every PDU's read, re-run each poll, and its backoff. */
struct pductl_watch {
	struct run *r;
	size_t n;
	struct pdu_fleet_item *items;
	struct pk_target *tg;
	char (*where)[300];
	struct pk_watch_retry *retry;
	int64_t *held_until;          /* pk_now_ms before which a PDU is left alone */
	struct pdu_fleet_item *due;   /* the items of one poll, side by side */
	size_t *due_index;
};

/* The outlets followed on a PDU just read: NULL for every one; sel
 * filled when OUTLETS selects from them (an OUTLETS this PDU does not
 * have is its error, said as the read's). */
static const unsigned char *
watch_selection(const struct options *o, struct pdu_fleet_item *it, unsigned char *sel)
{
	if (o->watch_outlets == NULL || it->rc != 0)
		return NULL;
	it->rc = pdu_select_known(it->ps.pdu, o->watch_outlets, sel, &it->err);
	return sel;
}

/* One poll: every PDU not held back read at once (detection and status
 * again, as a fresh run would), each judged into events; a PDU that did
 * not answer is held back for its backoff. */
static int
watch_poll(void *ctx, struct pk_watch_run *r, struct pk_events *evs, struct pk_err *err)
{
	struct pductl_watch *pw = ctx;
	const struct options *o = pw->r->o;
	int64_t now = pk_now_ms();
	size_t ndue = 0, k;

	(void)err;
	for (size_t i = 0; i < pw->n; i++) {
		if (now < pw->held_until[i])
			continue;
		pw->items[i].state = 0;
		pw->items[i].rc = 0;
		pk_err_clear(&pw->items[i].err);
		pw->items[i].ps.pdu->nbanks = 0;    /* a status read appends the banks */
		pw->due[ndue] = pw->items[i];
		pw->due_index[ndue++] = i;
	}
	if (ndue > 0)
		pdu_fleet_run(pw->due, ndue, (size_t)o->fleet.parallel, o->common.timeout_ms);
	for (k = 0; k < ndue; k++) {
		size_t i = pw->due_index[k];
		struct pdu_fleet_item *it = &pw->items[i];
		unsigned char sel[PDU_MAX_OUTLETS];
		const unsigned char *followed;

		*it = pw->due[k];
		followed = watch_selection(o, it, sel);
		if (it->rc == 0)
			pk_err_clear(&it->err);
		pk_watch_first_error(r, pw->where[i], &it->err);
		pdu_watch_poll(&r->w, pw->where[i], it->ps.pdu, followed, &it->err, time(NULL), evs);
		pw->held_until[i] = pk_watch_retry_after(&pw->retry[i], it->rc == PK_ECOMM);
	}
	return 0;
}

/* --watch or --once over every PDU: exit 0 at the end (each PDU's
 * trouble is an event), 2 for the state file, 3 for stdout. */
static int
run_watch(struct run *r)
{
	struct pductl_watch pw = { r, r->o->list.n, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct pk_watch_source src = { &pw, watch_poll, NULL, NULL, 0 };
	size_t n = pw.n, i;
	int rc = 0;

	pw.items = calloc(n, sizeof *pw.items);
	pw.tg = calloc(n, sizeof *pw.tg);
	pw.where = calloc(n, sizeof *pw.where);
	pw.retry = calloc(n, sizeof *pw.retry);
	pw.held_until = calloc(n, sizeof *pw.held_until);
	pw.due = calloc(n, sizeof *pw.due);
	pw.due_index = calloc(n, sizeof *pw.due_index);
	if (pw.items == NULL || pw.tg == NULL || pw.where == NULL || pw.retry == NULL ||
	    pw.held_until == NULL || pw.due == NULL || pw.due_index == NULL)
		rc = pk_err_set(&r->err, PK_ECOMM, "memory", "out of memory");
	for (i = 0; rc == 0 && i < n; i++) {
		rc = fleet_prepare(r, &pw.items[i], &r->o->list.v[i], &pw.tg[i], pw.where[i]);
		pw.items[i].what = PDU_FLEET_STATUS;
	}
	if (rc == 0)
		rc = pk_watch_main(TOOL, &r->o->watch, &r->o->common, &src, &r->err);
	for (i = 0; pw.items != NULL && i < n; i++)
		pdu_sess_free(&pw.items[i].ps);
	free(pw.items);
	free(pw.tg);
	free(pw.where);
	free(pw.retry);
	free(pw.held_until);
	free(pw.due);
	free(pw.due_index);
	return rc;
}

/* ---- discover ------------------------------------------------------ */

/* What the comment says of an agent that is no PDU pductl could detect. */
static void
not_pdu_note(char *note, size_t len, const struct pdu_found *f, const char *user)
{
	if (f->refused[0] != '\0')
		snprintf(note, len, "SNMPv3 agent (engine ID %s) refuses user %s: %s", f->engine_id,
		         user, f->refused);
	else if (f->version == SNMP_V3 && !f->v3_user)
		snprintf(note, len, "SNMPv3 only (engine ID %s): -u USER and its passwords detect it",
		         f->engine_id);
	else
		snprintf(note, len, "not a PDU pductl knows (%s): %s", f->sysoid[0] ? f->sysoid
		         : "no sysObjectID", f->sysdescr);
}

/* One agent found: a PDU as a line pductl --targets takes back; with
 * --all an agent that is no PDU as a commented-out line, so the file
 * still works.  The community is a setting only when it is not the
 * default (a file with community= must be mode 0600 to be read back);
 * over SNMPv3 the user, level and protocols are (never a password: the
 * options or the environment give those again). */
static void
render_found(struct pk_buf *out, struct pk_json *j, const struct pdu_found *f,
             const struct snmp_usm *u)
{
	struct pk_target t = { "", "", "", 0 };
	char where[300], outlets[16], note[600];
	int v3 = f->version == SNMP_V3, with_user = v3 && f->v3_user && u != NULL;
	int is_public = f->community != NULL && strcmp(f->community, "public") == 0;
	const char *level = with_user ? snmp_usm_level_name(u->level) : NULL;
	struct pk_found_fact facts[] = {
		{ "profile", f->prof != NULL ? f->prof->name : NULL, 1, 0 },
		{ "snmp-version", v3 ? "3" : f->version == SNMP_V1 ? "1" : "2c", 1, 0 },
		{ "community", is_public ? NULL : f->community, 1, 0 },
		{ "user", with_user ? u->user : NULL, 1, 0 },
		{ "sec-level", level, 1, 0 },
		{ "auth-proto", with_user && u->level >= SNMP_AUTHNOPRIV ?
		  snmp_usm_auth_name(u->auth) : NULL, 1, 0 },
		{ "priv-proto", with_user && u->level == SNMP_AUTHPRIV ?
		  snmp_usm_priv_name(u->priv) : NULL, 1, 0 },
		{ "context", with_user && u->context[0] ? u->context : NULL, 1, 0 },
		{ "pdu", f->prof != NULL ? "true" : "false", 0, 1 },
		{ "outlets", f->prof != NULL ? outlets : NULL, 0, 1 },
		{ "sys_name", f->sysname[0] || !v3 ? f->sysname : NULL, 0, 0 },
		{ "sys_descr", f->sysdescr[0] || !v3 ? f->sysdescr : NULL, 0, 0 },
		{ "sys_object_id", f->sysoid[0] ? f->sysoid : NULL, 0, 0 },
		{ "engine_id", v3 ? f->engine_id : NULL, 0, 0 },
		{ "refused", f->refused[0] ? f->refused : NULL, 0, 0 },
		{ "detection", f->prof == NULL && f->why[0] ? f->why : NULL, 0, 0 },
	};
	size_t nfacts = sizeof facts / sizeof facts[0];

	snprintf(t.host, sizeof t.host, "%s", f->host);
	snprintf(t.port, sizeof t.port, "%s", f->port);
	pk_target_hostport(&t, where, sizeof where);
	snprintf(outlets, sizeof outlets, "%d", f->noutlets);
	if (j != NULL) {
		/* JSON says the community always: the caller asked for it. */
		facts[2].value = f->community;
		pk_discover_emit(out, j, where, facts, nfacts, NULL);
		return;
	}
	if (f->prof != NULL) {
		snprintf(note, sizeof note, "%s, %d outlets; sysName %s; %s%s%s%s", f->prof->name,
		         f->noutlets, f->sysname[0] ? f->sysname : "(none)", f->sysdescr,
		         is_public ? "; community public" : "", with_user ? "; SNMPv3 user " : "",
		         with_user ? u->user : "");
	} else {
		not_pdu_note(note, sizeof note, f, u != NULL ? u->user : "");
		pk_buf_adds(out, "# ");
	}
	pk_discover_emit(out, NULL, where, facts, nfacts, note);
}

/* The communities a discovery tries: every -c in order, else the one
 * the environment or the default gives. */
static int
discover_communities(struct run *r, const char **comms, size_t *n, struct pk_err *err)
{
	size_t i;

	*n = 0;
	if (r->o->ncomms == 0) {
		if (load_communities(r, err) != 0)
			return PK_EUSAGE;
		comms[(*n)++] = r->ps.read_comm;
		return 0;
	}
	for (i = 0; i < r->o->ncomms; i++) {
		if (pk_cred_check("community", r->o->comms[i], strlen(r->o->comms[i]),
		                  PDU_COMMUNITY_MAX - 1, err) != 0)
			return PK_EUSAGE;
		comms[(*n)++] = r->o->comms[i];
	}
	return 0;
}

/* What discover takes: RANGEs and the options that say how to probe. */
static int
discover_usage(const struct options *o, struct pk_err *err)
{
	if (o->check.enabled || o->fleet.targets_file != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "discover takes RANGEs: no --check or --targets");
	if (o->common.format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "discover prints text or JSON: no --format prom");
	if ((o->version >= 0 && o->version != SNMP_V3) || o->profile != NULL ||
	    o->write_community != NULL || o->community_file != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "discover tries v2c then v1 with each -c, "
		                  "SNMPv3 with -u: no -S 1 or 2c, -P, -C or --community-file");
	if (o->version != SNMP_V3 && o->v3.given)
		return v3_unused(err);
	return 0;
}

/* pductl discover RANGE...: every address probed at once; the PDUs
 * found, as lines a --targets file takes back, or a JSON array. */
static int
run_discover(struct run *r, int n, char **ranges)
{
	struct options *o = r->o;
	const char *comms[MAX_COMMUNITIES];
	struct pk_discover d;
	struct pdu_discover pd = { 0 };
	struct pk_probe_ops ops;
	struct pk_trace trace = { o->common.verbose ? pk_trace_stderr : NULL, (void *)TOOL };
	struct pk_json j;
	int json = o->common.format == PK_FMT_JSON;
	size_t i, found = 0;
	int rc = discover_usage(o, &r->err);

	memset(&d, 0, sizeof d);
	if (rc == 0)
		rc = pk_discover_init(&d, TOOL, "161", ranges, (size_t)n, &o->disc, &o->common,
		                      &o->fleet, &r->err);
	/* With -u the user goes first, and communities only when -c names
	 * them; without, agents that speak v3 only are looked for with --all
	 * (without it they would be left out anyway). */
	if (rc == 0 && o->version == SNMP_V3) {
		rc = build_usm(&o->v3, &r->ps.usm, &r->err);
		pd.usm = &r->ps.usm;
	}
	pd.v3_engine = o->all;
	if (rc == 0 && (pd.usm == NULL || o->ncomms > 0))
		rc = discover_communities(r, comms, &pd.ncommunities, &r->err);
	pd.port = d.port;
	pd.communities = comms;
	pd.trace = &trace;
	pd.addr = pk_discover_addr;
	pd.addr_ctx = &d;
	if (rc == 0)
		rc = pdu_discover_init(&pd, d.probe.parallel, &r->err);
	if (rc == 0) {
		ops = pdu_discover_ops(&pd);
		rc = pk_discover_run(&d, &ops, &r->err);
	}
	if (rc == 0) {
		struct pk_json *jp = pk_discover_begin(&r->out, json, &j);

		pdu_discover_sort(&pd);
		for (i = 0; i < pd.nfound; i++) {
			if (pd.found[i].prof == NULL && !o->all)
				continue;
			render_found(&r->out, jp, &pd.found[i], pd.usm);
			found++;
		}
		rc = pk_discover_end(&d, &r->out, jp, found, o->all ? "SNMP agent" : "PDU", &r->err);
	}
	if (rc != 0)
		pk_report_error(TOOL, NULL, &r->err, json, o->common.quiet);
	pdu_discover_free(&pd);
	pk_discover_free(&d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o = { .version = -1, .retries = 1, .v3 = { .level = -1 } };
	struct run r = { .o = &o };
	struct pk_comp_tool comp = { pductl_tables, apply_opt, complete_operand, &o };
	int64_t start = pk_now_ms();
	char *one_ops[8] = { NULL };
	struct pk_err werr;
	int nhosts = 0, wrc, rc;

	pk_catch_stop_signals();  /* a signal ends a session politely */
	if (pk_opts_dump_asked(argc, argv, pductl_tables))
		return pk_stdout_finish(TOOL, 0, 0);
	pk_common_defaults(&o.common);
	pk_check_opts_init(&o.check);
	pk_fleet_defaults(&o.fleet);
	pk_discover_defaults(&o.disc);
	if (pk_complete_asked(argc, argv, &comp)) {
		free_secrets(&o);
		return pk_stdout_finish(TOOL, 0, 0);
	}
	rc = pk_parse_opts(argc, argv, pductl_tables, TOOL, apply_opt, &o, &r.err);
	if (rc == 0 && pk_help_or_version(&o.common, TOOL, usage_text, pductl_tables, usage_tail))
		return pk_stdout_finish(TOOL, 0, o.common.quiet);
	argc -= optind;
	argv += optind;
	if (rc == 0 && argc > 0 && strcmp(argv[0], "discover") == 0) {
		configure_session(&r);
		rc = run_discover(&r, argc - 1, argv + 1);
		pk_err_clear(&r.err);  /* reported */
		goto done;
	}
	if (rc == 0 && o.disc_opts)
		rc = pk_err_set(&r.err, PK_EUSAGE, "usage",
		                "--port, --rate, --max-hosts and --all go with discover");
	if (rc == 0) {
		nhosts = count_hosts(argc, argv);
		rc = parse_watch(&o, argc, argv, &nhosts, &r.err);
	}
	if (rc == 0)
		rc = make_list(&o, nhosts, argv, &r.err);
	if (rc == 0 && !o.watch.enabled)
		rc = parse_check(&o, nhosts, argc, argv, &r.err);
	if (rc == 0 && nhosts == argc && !o.check.enabled && !o.watch.enabled)
		rc = pk_err_set(&r.err, PK_EUSAGE, "usage",
		                "expected HOST[:PORT] ACTION (see pductl --help)");
	if (rc == 0 && o.fleet.output != NULL)
		pk_output_to(o.fleet.output);
	configure_session(&r);
	if (rc == 0)
		rc = load_communities(&r, &r.err);
	if (rc == 0 && o.version != SNMP_V3 && o.v3.given && !lines_v3(&o.list))
		rc = v3_unused(&r.err);
	if (rc == 0 && o.watch.enabled) {
		rc = run_watch(&r);
		if (rc != 0 && r.err.msg[0] != '\0')
			pk_report_error(TOOL, NULL, &r.err, 0, o.common.quiet);
		pk_err_clear(&r.err);  /* reported */
		goto done;
	}
	if (o.check.enabled || (rc != 0 && pk_check_asked(argc + optind, argv - optind))) {
		rc = rc == 0 ? run_check(&r) : pk_check_usage_error("PDU", TOOL, &r.err);
		goto done;
	}
	if (rc == 0 && o.list.n > 1) {
		rc = run_fleet(&r, argc - nhosts, argv + nhosts);
		if (o.common.format == PK_FMT_PROM)
			pk_prom_finish(TOOL, NULL, &r.out, o.common.quiet);
		if (r.out.len > 0 && pk_emit(&r.out) != 0 && rc == 0)
			rc = pk_stdout_error(&r.err);
		if (r.err.msg[0] != '\0')
			pk_report_error(TOOL, NULL, &r.err, 0, o.common.quiet);
		goto done;
	}
	/* One PDU: its spec in front of the action's words, as always. */
	if (rc == 0 && nhosts == 0) {
		one_ops[0] = o.list.v[0].spec;
		for (int i = 0; i < argc && i < 7; i++)
			one_ops[i + 1] = argv[i];
		argv = one_ops;
		argc = argc < 7 ? argc + 1 : 8;
	} else if (rc == 0) {
		argv += nhosts - 1;
		argc -= nhosts - 1;
	}
	if (rc == 0)
		rc = pk_target_parse(argv[0], PK_TARGET_HOST, "161", &r.target, &r.err);
	if (rc == 0) {
		pk_target_hostport(&r.target, r.where, sizeof r.where);
		rc = check_args(&r, argc, argv);
	}
	if (rc == 0)
		rc = apply_settings(&r, &r.ps, &o.list.v[0], &r.err);
	if (rc == 0)
		rc = init_session(&r, start + o.common.timeout_ms);
	if (rc == 0)
		rc = dispatch(&r, argc, argv, start);
	/* A Prometheus run prints a valid exposition also when the PDU
	 * failed: pductl_up 0, and the exit status says why. */
	if (rc != 0 && rc != PK_EUSAGE && o.common.format == PK_FMT_PROM && r.where[0]) {
		pk_buf_reset(&r.out);
		pdu_render_down(&r.out, r.where);
	}
	if (o.common.format == PK_FMT_PROM)
		pk_prom_finish(TOOL, r.where, &r.out, o.common.quiet);
	if (r.out.len > 0 && (rc == 0 || rc == PK_EREFUSED || rc == PK_ENOTFOUND ||
	                      o.common.format == PK_FMT_PROM) &&
	    pk_emit(&r.out) != 0 && rc == 0)
		rc = pk_stdout_error(&r.err);
	if (rc != 0 && r.err.msg[0] != '\0')
		pk_report_error(TOOL, r.where[0] ? r.where : NULL, &r.err,
		                o.common.format == PK_FMT_JSON && r.out.len == 0, o.common.quiet);
done:
	werr = r.err;
	wrc = pk_output_commit(rc, &werr);
	if (wrc != rc)
		pk_report_error(TOOL, NULL, &werr, 0, o.common.quiet);
	rc = wrc;
	pdu_sess_free(&r.ps);
	snmp_usm_wipe(&r.base);
	pk_targets_free(&o.list);
	pk_check_opts_free(&o.check);
	free_secrets(&o);
	pk_buf_free(&r.out);
	return pk_stdout_finish(TOOL, rc, o.common.quiet);
}
