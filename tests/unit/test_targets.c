/* Unit tests for the targets file (cli/targets.h) and the atomic output
 * writer (cli/output.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/options.h"
#include "cli/output.h"
#include "cli/targets.h"
#include "tap.h"

static char tmpdir[] = "/tmp/pk_test_targets.XXXXXX";

static int
parse(struct pk_target_list *l, const char *text, size_t *secret, struct pk_err *err)
{
	return pk_targets_parse(l, text, strlen(text), "fleet.txt", secret, err);
}

static void
test_parse(void)
{
	struct pk_target_list l = { 0 };
	struct pk_err err = { 0 };
	size_t secret = 99;
	const char *text =
		"# the rack\n"
		"\n"
		"ups1@nas\n"
		"   ups2@nas:3494   # spare\n"
		"pdu3:1161 community=rack3\tproto=v1\r\n"
		"pdu4 user=a=b user=c\n"
		"  # indented comment\n"
		"last@h";

	TAP_OK(parse(&l, text, &secret, &err) == 0, "a file with comments, blanks, settings parses");
	TAP_OK(l.n == 5, "five targets (got %zu)", l.n);
	TAP_STREQ(l.v[0].spec, "ups1@nas", "first target");
	TAP_STREQ(l.v[1].spec, "ups2@nas:3494", "leading blanks and a trailing comment dropped");
	TAP_OK(l.v[1].nkv == 0, "a comment is no setting");
	TAP_STREQ(l.v[2].spec, "pdu3:1161", "target before settings");
	TAP_OK(l.v[2].nkv == 2, "two settings, tab-separated, CRLF line");
	TAP_STREQ(pk_target_setting(&l.v[2], "community"), "rack3", "community value");
	TAP_STREQ(pk_target_setting(&l.v[2], "proto"), "v1", "value before CR");
	TAP_STREQ(pk_target_setting(&l.v[3], "user"), "c", "a repeated key: the last one wins");
	TAP_OK(pk_target_setting(&l.v[3], "proto") == NULL, "absent key is NULL");
	TAP_STREQ(l.v[3].kv[0].value, "a=b", "the value keeps later '='");
	TAP_STREQ(l.v[2].where, "fleet.txt:5", "where names file:line");
	TAP_STREQ(l.v[4].spec, "last@h", "a last line without newline");
	TAP_OK(secret == 5, "the first secret is on line 5 (got %zu)", secret);
	pk_targets_free(&l);

	TAP_OK(parse(&l, "a@b\nc@d proto\n", &secret, &err) == PK_EUSAGE,
	       "a word without '=' is a usage error");
	TAP_STREQ(err.msg, "fleet.txt:2: 'proto' is not a setting KEY=VALUE", "it names file:line");
	pk_targets_free(&l);
	TAP_OK(parse(&l, "a@b =x\n", &secret, &err) == PK_EUSAGE, "an empty key is refused");
	pk_targets_free(&l);
	TAP_OK(parse(&l, "a@b proto=ssh\n", &secret, &err) == 0 && secret == 0,
	       "no secret key: secret stays 0");
	pk_targets_free(&l);
	TAP_OK(parse(&l, "", &secret, &err) == 0 && l.n == 0, "an empty file has no targets");
	pk_targets_free(&l);
	/* found by fuzzing: a NUL gave an empty target, or cut a word short */
	TAP_OK(pk_targets_parse(&l, "a@b\n\0uU:2", 9, "fleet.txt", &secret, &err) == PK_EUSAGE,
	       "a NUL byte is refused");
	TAP_STREQ(err.msg, "fleet.txt:2: a NUL byte (not a text file?)", "it names file:line");
	pk_targets_free(&l);
	TAP_OK(pk_targets_parse(&l, "pdu community=pub\0lic\n", 22, "fleet.txt", &secret,
	                        &err) == PK_EUSAGE && l.n == 0, "a NUL inside a value is refused");
	pk_targets_free(&l);
}

static void
test_keys(void)
{
	static const char *const known[] = { "community", "proto", NULL };
	struct pk_target_list l = { 0 };
	struct pk_err err = { 0 };
	size_t secret;

	TAP_OK(pk_targets_secret_key("password") && pk_targets_secret_key("community") &&
	       pk_targets_secret_key("write-community") && pk_targets_secret_key("auth-password") &&
	       pk_targets_secret_key("priv-password"), "secret keys are secrets");
	TAP_OK(!pk_targets_secret_key("user") && !pk_targets_secret_key("proto"),
	       "user and proto are no secrets");
	parse(&l, "h1 proto=ssh\nh2 community=x\n", &secret, &err);
	TAP_OK(pk_targets_check_keys(&l, known, &err) == 0, "known keys pass");
	pk_targets_free(&l);
	parse(&l, "h1 proto=ssh\n\nh2 colour=red\n", &secret, &err);
	TAP_OK(pk_targets_check_keys(&l, known, &err) == PK_EUSAGE, "an unknown key is a usage error");
	TAP_STREQ(err.msg, "fleet.txt:3: unknown setting 'colour'", "naming file:line and the key");
	pk_targets_free(&l);
	TAP_OK(pk_targets_add(&l, "ups@h", &err) == 0 && l.n == 1 && l.v[0].nkv == 0 &&
	       l.v[0].where[0] == '\0', "a command-line target has no settings and no line");
	pk_targets_free(&l);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
test_read(void)
{
	struct pk_target_list l = { 0 };
	struct pk_err err = { 0 };
	char path[256];

	snprintf(path, sizeof path, "%s/fleet", tmpdir);
	write_file(path, "u1@h1\nu2@h2 user=mon\n", 0644);
	TAP_OK(pk_targets_read(&l, path, &err) == 0 && l.n == 2,
	       "a world-readable file without secrets is read");
	pk_targets_free(&l);
	write_file(path, "h1\nh2 community=secret\n", 0640);
	TAP_OK(pk_targets_read(&l, path, &err) == PK_EUSAGE, "a secret in a group-readable file: refused");
	TAP_OK(strstr(err.msg, "chmod 600") != NULL && strstr(err.msg, "line 2") != NULL &&
	       strstr(err.msg, "0640") != NULL, "the message names the line, the mode and the chmod: %s",
	       err.msg);
	TAP_OK(strstr(err.msg, "secret\n") == NULL && strstr(err.msg, "=secret") == NULL,
	       "the message does not show the secret");
	pk_targets_free(&l);
	chmod(path, 0600);
	TAP_OK(pk_targets_read(&l, path, &err) == 0 && l.n == 2, "mode 0600 is accepted");
	pk_targets_free(&l);
	chmod(path, 0400);
	TAP_OK(pk_targets_read(&l, path, &err) == 0, "mode 0400 is accepted");
	pk_targets_free(&l);
	chmod(path, 0602);
	TAP_OK(pk_targets_read(&l, path, &err) == PK_EUSAGE, "world-writable (0602) is refused");
	pk_targets_free(&l);
	snprintf(path, sizeof path, "%s/absent", tmpdir);
	TAP_OK(pk_targets_read(&l, path, &err) == PK_EUSAGE && strstr(err.msg, "absent") != NULL,
	       "a missing file is a usage error naming it");
	pk_targets_free(&l);
}

/* Files in tmpdir whose name starts with prefix. */
static int
count_files(const char *prefix)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static void
test_atomic(void)
{
	struct pk_err err = { 0 };
	char path[256], buf[64] = "";
	struct stat st;
	FILE *f;
	mode_t old = umask(077);

	snprintf(path, sizeof path, "%s/ups.prom", tmpdir);
	TAP_OK(pk_write_atomic(path, "nut_up 1\n", 9, &err) == 0, "atomic write succeeds");
	f = fopen(path, "r");
	TAP_OK(f != NULL && fgets(buf, sizeof buf, f) != NULL, "the file is there");
	if (f)
		fclose(f);
	TAP_STREQ(buf, "nut_up 1\n", "with the contents");
	TAP_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644,
	       "mode 0644 whatever the umask (got %04o)", (unsigned)(st.st_mode & 07777));
	TAP_OK(count_files(".ups.prom") == 0, "no temporary file is left");
	TAP_OK(pk_write_atomic(path, "nut_up 0\n", 9, &err) == 0, "a second write replaces it");
	f = fopen(path, "r");
	TAP_OK(f != NULL && fgets(buf, sizeof buf, f) != NULL && strcmp(buf, "nut_up 0\n") == 0,
	       "with the new contents");
	if (f)
		fclose(f);

	snprintf(path, sizeof path, "%s/adir", tmpdir);
	mkdir(path, 0755);
	TAP_OK(pk_write_atomic(path, "x\n", 2, &err) == PK_ECOMM && strcmp(err.kind, "output") == 0,
	       "a rename over a directory fails: %s", err.msg);
	TAP_OK(count_files(".adir") == 0, "and leaves no temporary file behind");
	snprintf(path, sizeof path, "%s/nodir/x.prom", tmpdir);
	TAP_OK(pk_write_atomic(path, "x\n", 2, &err) == PK_ECOMM && strstr(err.msg, "nodir") != NULL,
	       "a missing directory fails naming it: %s", err.msg);
	umask(old);
}

static void
test_output_to(void)
{
	struct pk_buf b = { 0 };
	struct pk_err err = { 0 };
	char path[256], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof path, "%s/run.txt", tmpdir);
	write_file(path, "old\n", 0644);
	pk_output_to(path);
	pk_buf_adds(&b, "new ");
	pk_emit(&b);
	pk_buf_reset(&b);
	pk_buf_adds(&b, "run\n");
	pk_emit(&b);
	f = fopen(path, "r");
	TAP_OK(f != NULL && fgets(buf, sizeof buf, f) && strcmp(buf, "old\n") == 0,
	       "the file is untouched until the run ends");
	if (f)
		fclose(f);
	TAP_OK(pk_output_commit(0, &err) == 0, "commit of a good run");
	f = fopen(path, "r");
	TAP_OK(f != NULL && fgets(buf, sizeof buf, f) && strcmp(buf, "new run\n") == 0,
	       "the file holds everything emitted");
	if (f)
		fclose(f);

	pk_output_to(path);
	TAP_OK(pk_output_commit(PK_ECOMM, &err) == PK_ECOMM, "a failed run keeps its status");
	f = fopen(path, "r");
	TAP_OK(f != NULL && fgets(buf, sizeof buf, f) && strcmp(buf, "new run\n") == 0,
	       "a failed run that printed nothing leaves the file as it was");
	if (f)
		fclose(f);
	pk_buf_free(&b);
}

static void
test_fleet_opts(void)
{
	struct pk_fleet_opts o;
	struct pk_err err = { 0 };

	pk_fleet_defaults(&o);
	TAP_OK(o.parallel == 64 && o.targets_file == NULL && o.output == NULL, "defaults");
	TAP_OK(pk_fleet_opt(&o, PK_OPT_PARALLEL, "8", &err) == 1 && o.parallel == 8, "--parallel 8");
	TAP_OK(pk_fleet_opt(&o, PK_OPT_PARALLEL, "0", &err) == -1 && err.status == PK_EUSAGE,
	       "--parallel 0 refused");
	TAP_OK(pk_fleet_opt(&o, PK_OPT_OUTPUT, "", &err) == -1, "--output '' refused");
	TAP_OK(pk_fleet_opt(&o, PK_OPT_TARGETS, "-", &err) == 1 && strcmp(o.targets_file, "-") == 0,
	       "--targets -");
	TAP_OK(pk_fleet_opt(&o, 't', "5", &err) == 0, "other options are not fleet options");
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_parse();
	test_keys();
	test_read();
	test_atomic();
	test_output_to();
	test_fleet_opts();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return TAP_DONE();
}
