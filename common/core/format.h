/* format.h — the output formats every tool offers (-j, --format): the
 * renderers of each protocol layer take one, the option parser sets it. */
#ifndef PK_FORMAT_H
#define PK_FORMAT_H

enum pk_format { PK_FMT_TEXT = 0, PK_FMT_JSON, PK_FMT_PROM };

#endif
