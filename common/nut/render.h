/* render.h — every rendering of NUT data, for the three NUT tools: text
 * that is byte-for-byte what upsc, upsrw and upscmd print, one JSON
 * document per kind of data (the same whichever tool asks), Prometheus
 * text for the full listing.  Everything is appended to a pk_buf; the
 * caller writes it out.  A JSON document is one object that starts with
 * "ups" (when the request names one) and "server" ("host:port"), holds
 * the data under its kind's key, and ends with a newline. */
#ifndef PK_NUT_RENDER_H
#define PK_NUT_RENDER_H

#include "core/buf.h"
#include "core/err.h"
#include "core/format.h"
#include "core/target.h"
#include "nut/batch.h"
#include "nut/pipeline.h"
#include "nut/vars.h"

/* How a result is written, and who it is about. */
struct nut_doc {
	enum pk_format format;           /* PK_FMT_PROM only for nut_render_vars */
	const struct pk_target *target;  /* its name ("" for none) and host:port */
};

/* Every variable of a UPS (LIST VAR): "name: value" lines like upsc;
 * {"variables":{name:typed value},"status":[flags]}; or Prometheus
 * gauges (see nut_prom_metric) with nut_up, nut_device_info and one
 * nut_ups_status series per usual flag. */
void nut_render_vars(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l);

/* One UPS for nut_render_prom: its name, its "host:port" (NULL: no
 * server label, the single-target form) and its variables (NULL: it did
 * not answer). */
struct nut_prom_ups {
	const char *ups, *server;
	const struct nut_kvlist *vars;
};

/* The Prometheus exposition of n UPSes, valid whatever failed: nut_up
 * (1, or 0 for a UPS that did not answer, whose other series are
 * absent), then nut_device_info, nut_ups_status and one gauge per
 * quantity, each metric name with one HELP and TYPE and every UPS's
 * sample under it. */
void nut_render_prom(struct pk_buf *b, const struct nut_prom_ups *u, size_t n);

/* Several targets' results (nut/batch.h) in one output, each target as
 * it renders alone: text lines prefixed "ups@host:port: " (a target
 * that failed prints nothing: its error is the caller's stderr line); a
 * JSON array of the per-target documents, a failed one being {"ups",
 * "server","error":{..}}; or (full listings only) nut_render_prom with
 * "server" and "ups" labels. */
void nut_render_batch(struct pk_buf *b, enum pk_format format, const struct nut_batch *batch);

/* What "GET <what> ups name" returned for each item (what "VAR" or
 * "DESC"), errs[i].status != 0 where item i failed: the found values
 * one a line, in order (like upsc ups var); or {"variables":{..},
 * "status":[..],"errors":{name:error}} ("descriptions", no "status", for
 * DESC).  Failed items appear only under "errors". */
void nut_render_values(struct pk_buf *b, const struct nut_doc *d, const char *what,
                       const struct nut_kvlist *l, const struct pk_err *errs);

/* LIST UPS (name, description): names one a line (upsc -l), or with
 * with_desc "name: description" (upsc -L); {"ups_list":[{"name",
 * "description"}]} either way. */
void nut_render_ups_list(struct pk_buf *b, const struct nut_doc *d,
                         const struct nut_kvlist *l, int with_desc);

/* LIST CLIENT: addresses one a line (upsc -c); {"clients":[..]}. */
void nut_render_clients(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l);

/* The clients of several UPSes (nutq -c @host): each line prefixed
 * "ups@host:port: ", or with JSON an array of nut_render_clients()
 * documents. */
void nut_render_clients_many(struct pk_buf *b, enum pk_format format,
                             const struct pk_target *t, const struct nut_kvlist *lists,
                             size_t n);

/* The writable variables: upsrw's listing; {"rw":{name:{"description"
 * (null when unavailable),"type","maxlen" (STRING:n only),"value" (typed;
 * null when unknown),"enum":[..],"ranges":[[min,max],..]}}}.
 * upsrw 2.8 prints per variable a "[name]" line, the description
 * ("Description unavailable" when GET DESC failed), "Type: ENUM STRING" /
 * "RANGE NUMBER" / "STRING" ... ("Unknown type" when GET TYPE failed),
 * "Maximum length: N" for STRING:N, one 'Option: "x"' line per ENUM value
 * or 'Option: "a-b"' per RANGE with " SELECTED" on the current one, else
 * "Value: v"; a blank line ends each block. */
void nut_render_rw(struct pk_buf *b, const struct nut_doc *d,
                   const struct nut_varinfo *vis, size_t n);

/* The two text layouts of the instant commands. */
enum nut_cmds_text {
	NUT_CMDS_LINES,   /* "name: description" (nutq --cmds) */
	NUT_CMDS_UPSCMD   /* upscmd -l: a heading, then "name - description" */
};

/* The instant commands and their descriptions (NULL: unavailable);
 * {"commands":{name:description or null}}. */
void nut_render_cmds(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l,
                     enum nut_cmds_text layout);

/* What the server says of itself: "version: ..", "protocol: ..",
 * "help: ..", "numlogins.<ups>: N" ("unknown" where it did not say);
 * {"version","protocol","help","numlogins":{ups:N}}. */
void nut_render_server(struct pk_buf *b, const struct nut_doc *d,
                       const struct nut_server_info *s);

/* The outcome of SET VAR / INSTCMD changes: "name: RESULT" for each one
 * that went through (the failures are the caller's stderr lines);
 * {"results":{name:{"value" (null: none),"result","error" (failed
 * only)}}}. */
void nut_render_changes(struct pk_buf *b, const struct nut_doc *d,
                        const struct nut_change *ch, size_t n);

#endif
