/* switch.h — outlet operations on a PDU session: outlets selected by
 * number or name, switched on/off/reboot with confirmation, renamed with
 * read-back.  Nothing here prints; warnings go through the SNMP session's
 * warning callback (core/session.h). */
#ifndef PDU_SWITCH_H
#define PDU_SWITCH_H

#include <stdint.h>

#include "core/err.h"
#include "core/switching.h"
#include "pdu/device.h"
#include "pdu/session.h"

/* 1 when spec may contain an outlet name (anything beyond digits, ',',
 * '-' and "all"), so that names must be read first. */
int pdu_spec_has_names(const char *spec);

/* Parses spec against the outlets and names pdu already holds into
 * sel[PDU_MAX_OUTLETS].  PK_EUSAGE as pk_outlets_parse. */
int pdu_select_known(const struct pdu *pdu, const char *spec, unsigned char *sel,
                     struct pk_err *err);

/* Reads the outlet names first when spec needs them, then selects as
 * pdu_select_known.  Statuses of both. */
int pdu_select(struct pdu_sess *ps, const char *spec, unsigned char *sel,
               struct pk_err *err);

/* Before detection for `get SPEC`: lets detection carry the states of
 * SPEC's outlets when SPEC is a few numbers (and with_names is 0), so
 * that pdu_get has nothing left to read. */
void pdu_get_ahead(struct pdu_sess *ps, const char *spec, int with_names);

/* For `get`: selects, reads the names too when with_names, and the
 * selected outlets' states. */
int pdu_get(struct pdu_sess *ps, const char *spec, int with_names, unsigned char *sel,
            struct pk_err *err);

/* 1 when every selected outlet is on. */
int pdu_all_on(const struct pdu *pdu, const unsigned char *sel);

/* 1 when outlet o shows action a's end state with no command pending.
 * For reboot the outlet must have been seen off (or with a command
 * pending) first: *seen_off records that across polls. */
int pdu_reached(const struct pdu_outlet *o, enum pdu_action a,
                unsigned char *seen_off);

/* The deadline for confirming a reboot of the selected outlets: start
 * plus the longest reboot duration (+60 s with delayed commands) plus
 * 10 s, or deadline when that is later. */
int64_t pdu_reboot_deadline(const struct pdu *pdu, const unsigned char *sel,
                            int delayed, int64_t start, int64_t deadline);

/* For the safety policy (core/switching.h): what action a does to power,
 * "switches off" or "cycles"; NULL for on, which cuts none. */
const char *pdu_action_cuts(enum pdu_action a);

/* The SETs a switch would send (for -n), handed to fn one per selected
 * outlet in order.  PK_EUSAGE when the profile has no delayed variant.
 * A plan needs no --yes: it sends nothing. */
int pdu_switch_plan(const struct pdu *pdu, const unsigned char *sel,
                    enum pdu_action a, int delayed, pdu_vb_fn fn, void *ctx,
                    struct pk_err *err);

struct pdu_switch {
	enum pdu_action action;
	int delayed;     /* the PDU's delayed commands */
	int wait;        /* confirm the end state; 0: done once accepted */
	int extend;      /* reboot: wait as long as the outlets' reboot takes */
	int64_t start;   /* when the run began; an extended deadline counts from it */
	struct pk_switch_guard guard;  /* the safety policy's facts (--yes) */
};

/* Through the outlet engine (core/switching.h): refuses (PK_EUSAGE,
 * nothing sent) what the safety policy refuses, sends the command to each
 * selected outlet (an error names the outlet) and, with sw->wait, polls
 * until every one reached its end state.  A
 * SET answered with an error that visibly took effect counts as done
 * (APC answers genErr on SETs that worked), with a warning.  Returns 0,
 * PK_EREFUSED "not-confirmed" when the deadline passed first, or the
 * status of the failed exchange. */
int pdu_switch(struct pdu_sess *ps, const struct pdu_switch *sw,
               const unsigned char *sel, struct pk_err *err);

/* The one outlet spec selects into *outlet (1-based).  PK_EUSAGE when
 * it selects more than one. */
int pdu_name_target(struct pdu_sess *ps, const char *spec, int *outlet,
                    struct pk_err *err);

/* Sets the outlet's name and reads the names back.  PK_EREFUSED
 * "not-confirmed" when the PDU reads back another name. */
int pdu_rename(struct pdu_sess *ps, int outlet, const char *name, struct pk_err *err);

#endif
