/* complete.h — the shell completions' engine.  The generated bash, zsh
 * and fish files are thin: they run "TOOL --complete WORD... CURRENT"
 * (the words after the tool's name up to the cursor, unquoted) and offer
 * what it prints, so the three shells complete the same things.  Options
 * and their values come from the tool's option tables; operands
 * (targets, actions, outlets, UPS names, variables, commands) from the
 * tool, which may ask the device with a short deadline and quietly. */
#ifndef PK_COMPLETE_H
#define PK_COMPLETE_H

#include <stdio.h>

#include "cli/options.h"

/* The deadline of a device query made for a completion. */
#define PK_COMPLETE_TIMEOUT_MS 1000

/* What is being completed: an operand after nops operands. */
struct pk_comp {
	const char *cur;        /* the word being completed, as far as typed */
	char **ops;             /* the operands before it */
	int nops;
	FILE *out;
};

/* A tool's completion: its options, how one is applied (the same
 * function the real parse uses, so a completion sees -c, --proto, -t
 * ...), and its operand completer. */
struct pk_comp_tool {
	const struct pk_opt *const *tables;
	pk_opt_fn apply;
	void (*operand)(void *tool, const struct pk_comp *c);
	void *ctx;
};

/* 1 when argv is "TOOL --complete WORD..." (a hidden first argument),
 * after printing the candidates on stdout, one a line ("word" or
 * "word<TAB>description"); a line "<TAB>file", "<TAB>host" or
 * "<TAB>nospace" asks the shell to complete file or host names itself,
 * or not to add a space.  main then exits 0. */
int pk_complete_asked(int argc, char **argv, const struct pk_comp_tool *t);

/* Offers word (with an optional description) when it starts with the
 * current word; words with control characters are never offered. */
void pk_comp_offer(const struct pk_comp *c, const char *word, const char *desc);

/* Offers each of the space-separated words. */
void pk_comp_words(const struct pk_comp *c, const char *words);

/* Offers prefix + item (an item of a comma-separated list, e.g.
 * OUTLETS "1,3,nas": prefix is what precedes the current item). */
void pk_comp_item(const struct pk_comp *c, const char *item, const char *desc);

/* Asks the shell for its own completion: "file", "host" or "nospace". */
void pk_comp_directive(const struct pk_comp *c, const char *what);

#endif
