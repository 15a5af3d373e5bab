/*
** conformance.c: runs the toml-test 1.1.0 suite against `sbxc toml-decode`.
**
** usage: conformance SBXC TOML_TEST_DIR
**
** For every case named in TOML_TEST_DIR/files-toml-1.1.0, runs
** `SBXC toml-decode --color=never CASE.toml` (two at a time) and checks:
**   valid/...    exit 0, and the JSON on stdout equals CASE.json;
**   invalid/...  exit 1 with at least one diagnostic on stderr.
** A crash (signal) fails either way. JSON is compared the way toml-test
** compares it: same structure and types; integers and strings as text;
** floats by value (any spelling of the same double, nan equals nan, -0
** equals 0 as Go's == says); date-times by the instant or local time they
** name (`T`/`t`/space and `Z`/`z` alike, fractions by value).
**
** Prints each failure, then `toml-test 1.1.0: valid V/NV, invalid I/NI`;
** exits 0 only if every case passed.
*/
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SLOTS 2

struct slot {
	pid_t pid; /* 0 when free */
	char *name;
	char out[64], err[64]; /* temp files for the child's stdout and stderr */
};

static const char *sbxc, *dir;
static int nvalid, ninvalid, okvalid, okinvalid;

static char *path_join(const char *a, const char *b, const char *ext)
{
	size_t n = strlen(a) + strlen(b) + strlen(ext) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s%s", a, b, ext);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* ---- comparing tagged JSON the way toml-test does ------------------------ */

static bool is_value(json_t *o)
{
	return json_is_object(o) && json_object_size(o) == 2 &&
	       json_is_string(json_object_get(o, "type")) && json_object_get(o, "value");
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool floats_equal(const char *want, const char *have)
{
	if (ends_with(want, "nan") || ends_with(have, "nan"))
		return strcmp(want, have) == 0;
	char *end;
	errno = 0;
	double w = strtod(want, NULL);
	double h = strtod(have, &end);
	return *end == '\0' && end != have && w == h;
}

/* A date-time as days since 1970-01-01, seconds into the day and
** nanoseconds into the second, with the offset in minutes for offset
** date-times. */
struct moment {
	long long days, secs, nanos;
	int offset;
	bool ok;
};

static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static struct moment parse_moment(const char *s)
{
	struct moment t = {0};
	const char *p = s;
	if (strlen(s) >= 10 && s[4] == '-') {
		int y = digits(&p, 4);
		p++;
		int m = digits(&p, 2);
		p++;
		int d = digits(&p, 2);
		if (y < 0 || m < 0 || d < 0)
			return t;
		t.days = days_from_civil(y, m, d);
		if (*p == 'T' || *p == 't' || *p == ' ')
			p++;
		else
			return t.ok = *p == '\0', t;
	}
	int h = digits(&p, 2);
	if (h < 0 || *p++ != ':')
		return t;
	int mi = digits(&p, 2), sec = 0;
	if (*p == ':') {
		p++;
		sec = digits(&p, 2);
	}
	if (mi < 0 || sec < 0)
		return t;
	t.secs = (long long)h * 3600 + mi * 60 + sec;
	if (*p == '.') {
		long long scale = 100000000LL;
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			t.nanos += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		int oh = digits(&p, 2);
		if (oh < 0 || *p++ != ':')
			return t;
		int om = digits(&p, 2);
		if (om < 0)
			return t;
		t.offset = sign * (oh * 60 + om);
	}
	t.ok = *p == '\0';
	return t;
}

static bool datetimes_equal(const char *type, const char *want, const char *have)
{
	struct moment w = parse_moment(want), h = parse_moment(have);
	if (!w.ok || !h.ok)
		return false;
	if (w.nanos != h.nanos)
		return false;
	if (strcmp(type, "datetime") == 0)
		return w.days * 86400 + w.secs - w.offset * 60 ==
		       h.days * 86400 + h.secs - h.offset * 60;
	return w.days == h.days && w.secs == h.secs;
}

static bool tagged_equal(json_t *want, json_t *have, char *why, size_t whylen);

static bool values_equal(json_t *want, json_t *have, char *why, size_t whylen)
{
	const char *wt = json_string_value(json_object_get(want, "type"));
	const char *ht = json_string_value(json_object_get(have, "type"));
	if (!ht || strcmp(wt, ht) != 0) {
		snprintf(why, whylen, "type %s, expected %s", ht ? ht : "(none)", wt);
		return false;
	}
	json_t *wv = json_object_get(want, "value"), *hv = json_object_get(have, "value");
	if (json_is_array(wv))
		return tagged_equal(wv, hv, why, whylen);
	const char *ws = json_string_value(wv), *hs = json_string_value(hv);
	if (!ws || !hs) {
		snprintf(why, whylen, "value is not a string");
		return false;
	}
	bool eq;
	if (strcmp(wt, "float") == 0)
		eq = floats_equal(ws, hs);
	else if (strncmp(wt, "datetime", 8) == 0 || strcmp(wt, "date-local") == 0 ||
	         strcmp(wt, "time-local") == 0)
		eq = datetimes_equal(wt, ws, hs);
	else
		eq = json_string_length(wv) == json_string_length(hv) &&
		     memcmp(ws, hs, json_string_length(wv)) == 0;
	if (!eq)
		snprintf(why, whylen, "%s value `%s`, expected `%s`", wt, hs, ws);
	return eq;
}

static bool tagged_equal(json_t *want, json_t *have, char *why, size_t whylen)
{
	if (json_is_array(want)) {
		if (!json_is_array(have) || json_array_size(have) != json_array_size(want)) {
			snprintf(why, whylen, "array of %zu elements expected",
			         json_array_size(want));
			return false;
		}
		for (size_t i = 0; i < json_array_size(want); i++)
			if (!tagged_equal(json_array_get(want, i), json_array_get(have, i), why,
			                  whylen))
				return false;
		return true;
	}
	if (!json_is_object(want) || !json_is_object(have)) {
		snprintf(why, whylen, "table expected");
		return false;
	}
	if (is_value(want) != is_value(have)) {
		snprintf(why, whylen, "value and table mixed up");
		return false;
	}
	if (is_value(want))
		return values_equal(want, have, why, whylen);
	if (json_object_size(want) != json_object_size(have)) {
		snprintf(why, whylen, "table with %zu keys, expected %zu", json_object_size(have),
		         json_object_size(want));
		return false;
	}
	const char *key;
	size_t klen;
	json_t *wv;
	json_object_keylen_foreach(want, key, klen, wv)
	{
		json_t *hv = json_object_getn(have, key, klen);
		if (!hv) {
			snprintf(why, whylen, "key `%.*s` missing", (int)klen, key);
			return false;
		}
		if (!tagged_equal(wv, hv, why, whylen))
			return false;
	}
	return true;
}

/* jansson cannot load an object key holding U+0000, which toml-test uses.
** Both sides therefore have every \u0000 escape (in keys and values alike)
** replaced by a marker of private-use characters that no case contains. */
#define NUL_MARKER "\\uE000\\uF8FF\\uE000"
#define NUL_MARKER_UTF8 "\xee\x80\x80\xef\xa3\xbf\xee\x80\x80"

static json_t *load_json(const char *text, json_error_t *e)
{
	if (strstr(text, NUL_MARKER_UTF8) || strstr(text, "\\uE000\\uF8FF")) {
		snprintf(e->text, sizeof e->text, "text holds the NUL marker");
		return NULL;
	}
	size_t len = strlen(text);
	char *buf = malloc(len * 3 + 1), *o = buf;
	if (!buf)
		abort();
	bool in_string = false;
	for (const char *p = text; *p; p++) {
		if (in_string && p[0] == '\\' && strncmp(p + 1, "u0000", 5) == 0) {
			memcpy(o, NUL_MARKER, strlen(NUL_MARKER));
			o += strlen(NUL_MARKER);
			p += 5;
			continue;
		}
		if (in_string && p[0] == '\\' && p[1]) {
			*o++ = *p++;
			*o++ = *p;
			continue;
		}
		if (*p == '"')
			in_string = !in_string;
		*o++ = *p;
	}
	*o = '\0';
	json_t *j = json_loads(buf, 0, e);
	free(buf);
	return j;
}

/* ---- running cases ------------------------------------------------------ */

static void spawn(struct slot *s, const char *name)
{
	char *toml = path_join(dir, name, "");
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, s->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, s->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char *argv[] = {(char *)sbxc, "toml-decode", "--color=never", toml, NULL};
	int rc = posix_spawn(&s->pid, sbxc, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(toml);
	if (rc != 0) {
		fprintf(stderr, "conformance: cannot run %s: %s\n", sbxc, strerror(rc));
		exit(2);
	}
	s->name = strdup(name);
}

static void check_valid(const char *name, const char *out, char *why, size_t whylen, bool *ok)
{
	char *base = strdup(name);
	base[strlen(base) - 5] = '\0'; /* strip .toml */
	char *jpath = path_join(dir, base, ".json");
	json_error_t e;
	char *wtext = slurp(jpath, NULL);
	json_t *want = wtext ? load_json(wtext, &e) : NULL;
	json_t *have = load_json(out, &e);
	free(wtext);
	if (!want)
		snprintf(why, whylen, "cannot read %s", jpath);
	else if (!have)
		snprintf(why, whylen, "stdout is not JSON: %s", e.text);
	else
		*ok = tagged_equal(want, have, why, whylen);
	json_decref(want);
	json_decref(have);
	free(jpath);
	free(base);
}

static void finish(struct slot *s, int status)
{
	bool valid = strncmp(s->name, "valid/", 6) == 0;
	char why[512] = "";
	bool ok = false;
	size_t errlen = 0;
	char *out = slurp(s->out, NULL), *err = slurp(s->err, &errlen);
	if (WIFSIGNALED(status)) {
		snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
	} else if (valid) {
		if (WEXITSTATUS(status) != 0)
			snprintf(why, sizeof why, "exit %d, expected 0", WEXITSTATUS(status));
		else
			check_valid(s->name, out ? out : "", why, sizeof why, &ok);
	} else {
		if (WEXITSTATUS(status) != 1)
			snprintf(why, sizeof why, "exit %d, expected 1", WEXITSTATUS(status));
		else if (errlen == 0)
			snprintf(why, sizeof why, "no diagnostic on stderr");
		else
			ok = true;
	}
	if (valid)
		okvalid += ok;
	else
		okinvalid += ok;
	if (!ok) {
		printf("FAIL %s: %s\n", s->name, why);
		if (err && errlen)
			printf("  stderr: %.300s\n", err);
	}
	free(out);
	free(err);
	free(s->name);
	s->pid = 0;
}

static void reap(struct slot *slots)
{
	int status;
	pid_t pid = waitpid(-1, &status, 0);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].pid == pid)
			finish(&slots[i], status);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: conformance SBXC TOML_TEST_DIR\n");
		return 2;
	}
	sbxc = argv[1];
	dir = argv[2];
	char *list_path = path_join(dir, "files-toml-1.1.0", "");
	char *list = slurp(list_path, NULL);
	if (!list) {
		fprintf(stderr, "conformance: cannot read %s\n", list_path);
		return 2;
	}
	struct slot slots[SLOTS] = {0};
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	for (int i = 0; i < SLOTS; i++) {
		snprintf(slots[i].out, sizeof slots[i].out, "%.40s/sbxc-tt-%d-%d.out", tmp,
		         (int)getpid(), i);
		snprintf(slots[i].err, sizeof slots[i].err, "%.40s/sbxc-tt-%d-%d.err", tmp,
		         (int)getpid(), i);
	}
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		if (!ends_with(line, ".toml"))
			continue;
		if (strncmp(line, "valid/", 6) == 0)
			nvalid++;
		else
			ninvalid++;
		int free_slot = -1;
		for (;;) {
			for (int i = 0; i < SLOTS && free_slot < 0; i++)
				if (!slots[i].pid)
					free_slot = i;
			if (free_slot >= 0)
				break;
			reap(slots);
		}
		spawn(&slots[free_slot], line);
	}
	for (int i = 0; i < SLOTS; i++)
		while (slots[i].pid)
			reap(slots);
	for (int i = 0; i < SLOTS; i++) {
		unlink(slots[i].out);
		unlink(slots[i].err);
	}
	printf("toml-test 1.1.0: valid %d/%d, invalid %d/%d\n", okvalid, nvalid, okinvalid,
	       ninvalid);
	free(list);
	free(list_path);
	return okvalid == nvalid && okinvalid == ninvalid && nvalid > 0 ? 0 : 1;
}
