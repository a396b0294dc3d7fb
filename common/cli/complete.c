#include "cli/complete.h"

#include <stdlib.h>
#include <string.h>

static int
clean(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

void
pk_comp_offer(const struct pk_comp *c, const char *word, const char *desc)
{
	if (word[0] == '\0' || strncmp(word, c->cur, strlen(c->cur)) != 0 || !clean(word))
		return;
	if (desc != NULL && desc[0] != '\0' && clean(desc))
		fprintf(c->out, "%s\t%s\n", word, desc);
	else
		fprintf(c->out, "%s\n", word);
}

void
pk_comp_words(const struct pk_comp *c, const char *words)
{
	char w[128];

	while (*words) {
		size_t n = strcspn(words, " ");

		snprintf(w, sizeof w, "%.*s", (int)n, words);
		pk_comp_offer(c, w, NULL);
		words += n + (words[n] == ' ');
	}
}

void
pk_comp_item(const struct pk_comp *c, const char *item, const char *desc)
{
	const char *comma = strrchr(c->cur, ',');
	size_t plen = comma ? (size_t)(comma - c->cur) + 1 : 0;
	char word[512];

	snprintf(word, sizeof word, "%.*s%s", (int)plen, c->cur, item);
	pk_comp_offer(c, word, desc);
}

void
pk_comp_directive(const struct pk_comp *c, const char *what)
{
	fprintf(c->out, "\t%s\n", what);
}

/* The candidates for the value of op. */
static void
offer_value(const struct pk_comp *c, const struct pk_opt *op)
{
	switch (op->value) {
	case PK_VAL_WORDS: pk_comp_words(c, op->words); break;
	case PK_VAL_FILE: pk_comp_directive(c, "file"); break;
	case PK_VAL_HOST: pk_comp_directive(c, "host"); break;
	case PK_VAL_NONE: break;
	}
}

static void
offer_options(const struct pk_comp *c, const struct pk_opt *const *tables)
{
	const struct pk_opt *const *t;
	const struct pk_opt *op;
	char word[80];

	for (t = tables; *t != NULL; t++)
		for (op = *t; op->name != NULL; op++) {
			snprintf(word, sizeof word, "--%s", op->name);
			pk_comp_offer(c, word, op->help);
			if (strcmp(c->cur, "-") == 0 && op->id > 0 && op->id < 128) {
				snprintf(word, sizeof word, "-%c", op->id);
				pk_comp_offer(c, word, op->help);
			}
		}
}

/* Applies the options of words[0..n-1] and collects the operands.
 * Returns the option whose value is the current word, or NULL. */
static const struct pk_opt *
walk(const struct pk_comp_tool *t, char **words, int n, char **ops, int *nops,
     int *ended)
{
	struct pk_err err;
	int i;

	for (i = 0; i < n; i++) {
		char *w = words[i];
		const struct pk_opt *op = NULL;

		if (*ended || w[0] != '-' || w[1] == '\0') {
			ops[(*nops)++] = w;
		} else if (strcmp(w, "--") == 0) {
			*ended = 1;
		} else if (w[1] == '-') {
			char name[64], *eq = strchr(w, '=');

			snprintf(name, sizeof name, "%.*s", (int)strcspn(w + 2, "="), w + 2);
			op = pk_opts_find(t->tables, 0, name);
			if (op == NULL || !op->arg || pk_opt_arg_optional(op) || eq != NULL) {
				if (op != NULL)
					t->apply(t->ctx, op->id, eq ? eq + 1 : NULL, &err);
				continue;
			}
			if (i + 1 == n)
				return op;
			t->apply(t->ctx, op->id, words[++i], &err);
		} else {
			char *p;

			for (p = w + 1; *p; p++) {
				op = pk_opts_find(t->tables, (unsigned char)*p, NULL);
				if (op == NULL || op->id >= 128)
					break;
				if (!op->arg) {
					t->apply(t->ctx, op->id, NULL, &err);
					continue;
				}
				if (p[1] != '\0')
					t->apply(t->ctx, op->id, p + 1, &err);
				else if (i + 1 == n)
					return op;
				else
					t->apply(t->ctx, op->id, words[++i], &err);
				break;
			}
		}
	}
	return NULL;
}

int
pk_complete_asked(int argc, char **argv, const struct pk_comp_tool *t)
{
	struct pk_comp c = { "", NULL, 0, stdout };
	const struct pk_opt *op;
	int n = argc - 2, ended = 0;

	if (argc < 2 || strcmp(argv[1], "--complete") != 0)
		return 0;
	if (n > 0)
		c.cur = argv[argc - 1];
	c.ops = calloc((size_t)(n > 0 ? n : 1), sizeof *c.ops);
	if (c.ops == NULL)
		return 1;
	op = walk(t, argv + 2, n > 0 ? n - 1 : 0, c.ops, &c.nops, &ended);
	if (op != NULL)
		offer_value(&c, op);
	else if (!ended && c.cur[0] == '-')
		offer_options(&c, t->tables);
	else
		t->operand(t->ctx, &c);
	free(c.ops);
	return 1;  /* the tool's pk_stdout_finish() flushes and checks stdout */
}
