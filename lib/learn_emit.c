/*
 * learn_emit.c - learned patterns as antibody rule files, and their review.
 *
 * A learned rule is an ordinary antibody (README, "Antibodies") with
 * `provenance: {source: learned, commits: [...]}`, severity `info` (a hint:
 * how far to trust it is for the immune memory to say, from fixes accepted
 * and reverted), and tests generated from its training pairs: each pair's
 * snippet must match before the fix, must not match after it, and the
 * rule's fix applied to it must give exactly what the person wrote. Each
 * pair is tested alone first and only pairs that pass are kept, so a rule
 * survives only when it reproduces the human fix in at least `min_support`
 * distinct commits. That check is what stops a pattern that renders
 * differently from how it parses (a hole in a place the grammar reads
 * otherwise) from ever reaching a user.
 *
 * The id is a hash of the language, pattern and fix, so relearning the same
 * rule gives the same id, and a rejected id is never emitted again.
 * Review state is files: learned rules in `.wm/antibodies/learned/` (the
 * working tree, where a person reads them), accepted ones moved up to
 * `.wm/antibodies/`, rejected ids in `<commondir>/wm/learn/rejected`.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "learn.h"
#include "wm/alloc.h"
#include "wm/antibody.h"
#include "wm/buf.h"
#include "wm/error.h"

/* Training pairs tested per rule, and kept as tests in the file. */
#define MAX_TESTED 12
#define MAX_KEPT 4

#define LEARNED_DIR ".wm/antibodies/learned"

/* A YAML double-quoted scalar (JSON escapes are valid YAML). */
static int quote(wm_buf *out, const char *s)
{
	int error = wm_buf_putc(out, '"');

	for (; *s && !error; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			error = wm_buf_printf(out, "\\%c", c);
		else if (c == '\n')
			error = wm_buf_puts(out, "\\n");
		else if (c == '\t')
			error = wm_buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			error = wm_buf_printf(out, "\\x%02x", c);
		else
			error = wm_buf_putc(out, (char)c);
	}
	return error ? error : wm_buf_putc(out, '"');
}

/* One line of text for messages: the first line, cut. */
static int one_line(wm_buf *out, const char *s)
{
	size_t n = strcspn(s, "\n");

	return wm_buf_printf(out, "%.*s%s", (int)(n > 80 ? 80 : n), s, n > 80 || s[n] ? " ..." : "");
}

/*
 * A rule's test: code it matches, the same code after the human fix (which
 * it must not match), and the fix must turn one into the other.
 */
typedef struct test_pair {
	const char *before, *after;
} test_pair;

static int write_yaml(wm_buf *y, const wm_learn_rule *r, const test_pair *tests, size_t n)
{
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	if ((error = wm_buf_puts(&msg, "learned fix (seen in ")) < 0 ||
	    (error = wm_buf_printf(&msg, "%zu commits): ", r->support)) < 0 ||
	    (error = one_line(&msg, r->fix)) < 0)
		goto done;
	error = wm_buf_printf(y, "# Learned by wm-learn from %zu fix commits (signal %s).\n"
		"# Review: wm-learn review accept %s | wm-learn review reject %s\n"
		"id: %s\nlanguage: %s\nseverity: info\nmessage: ",
		r->support, r->signal, r->id, r->id, r->id, wm_lang_name(r->lang));
	if (!error)
		error = quote(y, msg.ptr);
	if (!error)
		error = wm_buf_printf(y, "\nnote: \"Learned from this repository's history: %zu commits made "
			"this change (signal %s). It is a hint until the immune memory has seen it accepted.\"\n"
			"pattern: ", r->support, r->signal);
	if (!error)
		error = quote(y, r->pattern);
	if (!error)
		error = wm_buf_puts(y, "\nfix: ");
	if (!error)
		error = quote(y, r->fix);
	if (!error)
		error = wm_buf_puts(y, r->support ? "\nprovenance:\n  source: learned\n  commits:\n" :
			"\nprovenance:\n  source: learned\n  commits: []\n");
	for (i = 0; i < r->support && !error; i++)
		error = wm_buf_printf(y, "    - \"%s\"\n", r->commits[i]);
	if (!error)
		error = wm_buf_printf(y, "  note: \"support %zu\"\ntests:\n  match:\n", r->support);
	for (i = 0; i < n && !error; i++) {
		error = wm_buf_puts(y, "    - ");
		if (!error)
			error = quote(y, tests[i].before);
		if (!error)
			error = wm_buf_putc(y, '\n');
	}
	if (!error)
		error = wm_buf_puts(y, "  no_match:\n");
	for (i = 0; i < n && !error; i++) {
		error = wm_buf_puts(y, "    - ");
		if (!error)
			error = quote(y, tests[i].after);
		if (!error)
			error = wm_buf_putc(y, '\n');
	}
	if (!error)
		error = wm_buf_puts(y, "  fix:\n");
	for (i = 0; i < n && !error; i++) {
		error = wm_buf_puts(y, "    - before: ");
		if (!error)
			error = quote(y, tests[i].before);
		if (!error)
			error = wm_buf_puts(y, "\n      after: ");
		if (!error)
			error = quote(y, tests[i].after);
		if (!error)
			error = wm_buf_putc(y, '\n');
	}
done:
	wm_buf_dispose(&msg);
	return error;
}

/* Does the rule file load cleanly and pass its tests? */
static int passes(bool *ok, const char *yaml, size_t size)
{
	wm_antibodies *set = NULL;
	wm_buf report = WM_BUF_INIT;
	size_t failed = 0;
	int error;

	*ok = false;
	if ((error = wm_antibodies_new(&set)) < 0 ||
	    (error = wm_antibodies_load(set, "<learned>", yaml, size, false)) < 0 ||
	    (error = wm_antibodies_test(&report, &failed, set)) < 0)
		goto done;
	*ok = wm_antibodies_error_count(set) == 0 && wm_antibodies_count(set) == 1 && failed == 0;
done:
	wm_antibodies_free(set);
	wm_buf_dispose(&report);
	return error;
}

/* Write the rule with these tests into `y` (replacing it) and run them. */
static int rule_passes(bool *ok, wm_buf *y, const wm_learn_rule *r, const test_pair *tests, size_t n)
{
	int error;

	wm_buf_clear(y);
	if ((error = write_yaml(y, r, tests, n)) < 0)
		return error;
	return passes(ok, y->ptr, y->size);
}

static int by_time(const void *pa, const void *pb)
{
	const wm_learn__edit *a = *(wm_learn__edit *const *)pa, *b = *(wm_learn__edit *const *)pb;

	if (a->time != b->time)
		return a->time > b->time ? -1 : 1;
	return strcmp(a->commit, b->commit);
}

/*
 * A node's text keeps the file's indentation on every line after the
 * first, which starts wherever the node did; as a pattern it starts at
 * column 0, so the rest moves left by the smallest indentation among the
 * following lines. Python needs it (`try:` at 0, `except:` at 4 does not
 * parse); the engine indents a fix where it applies it.
 */
static void dedent_rest(char *s)
{
	size_t min = SIZE_MAX, n;
	char *line, *w;

	for (line = strchr(s, '\n'); line; line = strchr(line + 1, '\n')) {
		n = strspn(line + 1, " \t");
		if (line[1 + n] && line[1 + n] != '\n' && n < min)
			min = n;
	}
	if (min == SIZE_MAX || !min)
		return;
	for (line = w = s; *line;) {
		char c = *line++;

		*w++ = c;
		if (c == '\n')
			line += strspn(line, " \t") < min ? strspn(line, " \t") : min;
	}
	*w = '\0';
}

/* A pattern's before and after texts as the rule file has them. */
static int texts(wm_buf *pat, wm_buf *fix, const wm_learn__pattern *p)
{
	int error;

	/* The empty puts leave both buffers allocated: an empty fix is "", never NULL. */
	if ((error = wm_learn__render(pat, p, false)) < 0 || (error = wm_learn__render(fix, p, true)) < 0 ||
	    (error = wm_buf_puts(pat, "")) < 0 || (error = wm_buf_puts(fix, "")) < 0)
		return error;
	dedent_rest(pat->ptr);
	dedent_rest(fix->ptr);
	return 0;
}

/* "learned-<lang>-<hash>": stable for the same language, pattern and fix. */
static int rule_id(wm_buf *out, wm_lang lang, const char *pattern, const char *fix)
{
	uint64_t h = wm_learn__hash(wm_lang_name(lang), 0);

	h = wm_learn__hash("\x01", h);
	h = wm_learn__hash(pattern, h);
	h = wm_learn__hash("\x01", h);
	h = wm_learn__hash(fix, h);
	wm_buf_clear(out);
	return wm_buf_printf(out, "learned-%s-%012llx", wm_lang_name(lang), (unsigned long long)(h & 0xffffffffffffull));
}

int wm_learn__rule_id(wm_buf *out, const wm_learn__pattern *p, wm_lang lang)
{
	wm_buf pat = WM_BUF_INIT, fix = WM_BUF_INIT;
	int error;

	if ((error = texts(&pat, &fix, p)) == 0)
		error = rule_id(out, lang, pat.ptr, fix.ptr);
	wm_buf_dispose(&pat);
	wm_buf_dispose(&fix);
	return error;
}

int wm_learn__make_rule(wm_learn_rule *out, bool *ok, const wm_learn__pattern *p,
	wm_learn__edit *const *edits, size_t nedits, uint32_t min_support)
{
	wm_learn__edit **sorted = NULL, **good = NULL;
	wm_buf pat = WM_BUF_INIT, fix = WM_BUF_INIT, y = WM_BUF_INIT, key = WM_BUF_INIT;
	test_pair *tests = NULL;
	char **owned = NULL;     /* dedented node texts the tests point into */
	size_t i, j, k, ngood = 0, ncommits = 0, tested = 0, nowned = 0;
	int error;

	*ok = false;
	memset(out, 0, sizeof(*out));
	if (!(sorted = wm_calloc(nedits, sizeof(*sorted))) || !(good = wm_calloc(nedits, sizeof(*good))) ||
	    !(tests = wm_calloc(nedits, sizeof(*tests))) || !(owned = wm_calloc(2 * nedits + 1, sizeof(char *)))) {
		error = WM_ENOMEM;
		goto done;
	}
	memcpy(sorted, edits, nedits * sizeof(*sorted));
	qsort(sorted, nedits, sizeof(*sorted), by_time);
	if ((error = texts(&pat, &fix, p)) < 0 || (error = rule_id(&key, edits[0]->lang, pat.ptr, fix.ptr)) < 0)
		goto done;
	out->lang = edits[0]->lang;
	out->concrete = wm_learn__concrete(p);
	if (!(out->pattern = wm_strdup(pat.ptr)) || !(out->fix = wm_strdup(fix.ptr)) ||
	    !(out->signal = wm_strdup(edits[0]->signal)) || !(out->id = wm_strdup(key.ptr))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (!(out->commits = wm_calloc(nedits, sizeof(char *)))) {
		error = WM_ENOMEM;
		goto done;
	}
	/*
	 * Test each training pair alone; keep the ones the rule reproduces. The
	 * edited node itself is the test when it parses alone: the enclosing
	 * context, tried next, also asks that the pattern match nowhere else in
	 * the fixed code, which turned down general patterns for what negative
	 * evidence judges (flask: `'$A'` -> `b'$A'`, its test function full of
	 * other strings).
	 */
	for (i = 0; i < nedits && tested < MAX_TESTED; i++) {
		bool pass = false;
		char *b, *a;

		for (j = 0; j < ngood && strcmp(good[j]->ctx_before, sorted[i]->ctx_before); j++)
			;
		if (j < ngood)
			continue;
		tested++;
		out->support = 0;
		if (!(b = wm_strdup(sorted[i]->before)) || !(a = wm_strdup(sorted[i]->after))) {
			wm_free(b);
			error = WM_ENOMEM;
			goto done;
		}
		owned[nowned++] = b;
		owned[nowned++] = a;
		dedent_rest(b);
		dedent_rest(a);
		{
			const test_pair tries[] = { { b, a }, { sorted[i]->ctx_before, sorted[i]->ctx_after } };

			for (k = 0; k < 2 && !pass; k++) {
				tests[ngood] = tries[k];
				if ((error = rule_passes(&pass, &y, out, &tests[ngood], 1)) < 0)
					goto done;
			}
		}
		if (pass)
			good[ngood++] = sorted[i];
	}
	for (i = 0; i < ngood; i++) {
		for (j = 0; j < ncommits && strcmp(out->commits[j], good[i]->commit); j++)
			;
		if (j == ncommits && !(out->commits[ncommits++] = wm_strdup(good[i]->commit))) {
			error = WM_ENOMEM;
			goto done;
		}
	}
	out->support = ncommits;
	if (ncommits < min_support)
		goto done;
	if ((error = rule_passes(ok, &y, out, tests, ngood < MAX_KEPT ? ngood : MAX_KEPT)) < 0)
		goto done;
	out->yaml = wm_buf_detach(&y);
done:
	if (error < 0)
		*ok = false;
	if (!*ok)
		wm_learn__rule_dispose(out);
	for (i = 0; i < nowned; i++)
		wm_free(owned[i]);
	wm_free(owned);
	wm_free(tests);
	wm_free(sorted);
	wm_free(good);
	wm_buf_dispose(&pat);
	wm_buf_dispose(&fix);
	wm_buf_dispose(&y);
	wm_buf_dispose(&key);
	return error;
}

/* --- files ----------------------------------------------------------------------- */

static int mkdirs(const char *path)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return wm_error_set(WM_ERROR, "%s: path too long", path);
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
			return wm_error_set(WM_ERROR, "%s: %s", tmp, strerror(errno));
		tmp[i] = path[i];
	}
	return 0;
}

/* Write a file atomically: a temporary beside it, then rename. */
static int write_atomic(const char *path, const char *data, size_t size)
{
	wm_buf tmp = WM_BUF_INIT;
	FILE *f = NULL;
	int error;

	if ((error = wm_buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid())) < 0)
		goto done;
	if (!(f = fopen(tmp.ptr, "wb"))) {
		error = wm_error_set(WM_ERROR, "%s: %s", tmp.ptr, strerror(errno));
		goto done;
	}
	if (fwrite(data, 1, size, f) != size || fflush(f) != 0) {
		error = wm_error_set(WM_ERROR, "%s: write failed", tmp.ptr);
		goto done;
	}
	fclose(f);
	f = NULL;
	if (rename(tmp.ptr, path) < 0)
		error = wm_error_set(WM_ERROR, "%s: %s", path, strerror(errno));
done:
	if (f)
		fclose(f);
	if (error < 0 && tmp.ptr)
		unlink(tmp.ptr);
	wm_buf_dispose(&tmp);
	return error;
}

static int learned_dir(wm_buf *out, wm_repo *repo)
{
	const char *wd = wm_repo_workdir(repo);

	if (!wd)
		return wm_error_set(WM_ERROR, "learned rules live in the working tree; this repository is bare");
	return wm_buf_printf(out, "%s" LEARNED_DIR, wd);
}

static bool is_learned_file(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".yml") && name[0] != '.';
}

int wm_learn_write(wm_repo *repo, const wm_learn_rules *rules)
{
	wm_buf dir = WM_BUF_INIT, path = WM_BUF_INIT;
	DIR *d = NULL;
	struct dirent *e;
	size_t i;
	int error;

	if ((error = learned_dir(&dir, repo)) < 0 || (error = mkdirs(dir.ptr)) < 0)
		goto done;
	/* Rules no longer learned go; the set written is the whole truth. */
	if ((d = opendir(dir.ptr)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			bool keep = false;

			if (!is_learned_file(e->d_name))
				continue;
			for (i = 0; i < rules->count && !keep; i++)
				keep = !strncmp(e->d_name, rules->items[i].id, strlen(rules->items[i].id)) &&
					!strcmp(e->d_name + strlen(rules->items[i].id), ".yml");
			if (keep)
				continue;
			wm_buf_clear(&path);
			if ((error = wm_buf_printf(&path, "%s/%s", dir.ptr, e->d_name)) < 0)
				goto done;
			unlink(path.ptr);
		}
	}
	for (i = 0; i < rules->count; i++) {
		wm_buf_clear(&path);
		if ((error = wm_buf_printf(&path, "%s/%s.yml", dir.ptr, rules->items[i].id)) < 0 ||
		    (error = write_atomic(path.ptr, rules->items[i].yaml, strlen(rules->items[i].yaml))) < 0)
			goto done;
	}
done:
	if (d)
		closedir(d);
	wm_buf_dispose(&dir);
	wm_buf_dispose(&path);
	return error;
}

static int read_all(char **out, const char *path)
{
	FILE *f = fopen(path, "rb");
	wm_buf b = WM_BUF_INIT;
	char chunk[8192];
	size_t n;
	int error = 0;

	*out = NULL;
	if (!f)
		return wm_error_set(errno == ENOENT ? WM_ENOTFOUND : WM_ERROR, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !error)
		error = wm_buf_put(&b, chunk, n);
	fclose(f);
	if (!error && !(*out = b.ptr ? wm_buf_detach(&b) : wm_strdup("")))
		error = WM_ENOMEM;
	wm_buf_dispose(&b);
	return error;
}

/* The value of a top-level `key: "..."` line we wrote (our own files only). */
static char *field(const char *yaml, const char *key)
{
	size_t kn = strlen(key);
	const char *p = yaml;
	wm_buf v = WM_BUF_INIT;

	while (p && *p) {
		if (!strncmp(p, key, kn) && p[kn] == ':' && p[kn + 1] == ' ') {
			const char *s = p + kn + 2;

			if (*s != '"')
				return wm_strndup(s, strcspn(s, "\n"));
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1]) {
					s++;
					wm_buf_putc(&v, *s == 'n' ? '\n' : *s == 't' ? '\t' : *s);
				} else {
					wm_buf_putc(&v, *s);
				}
			}
			return v.ptr ? wm_buf_detach(&v) : wm_strdup("");
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const wm_learn_pending *)a)->id, ((const wm_learn_pending *)b)->id);
}

int wm_learn_pending_list(wm_learn_pending **out, size_t *count, wm_repo *repo)
{
	wm_buf dir = WM_BUF_INIT, path = WM_BUF_INIT;
	wm_learn_pending *list = NULL;
	size_t n = 0, alloc = 0;
	DIR *d = NULL;
	struct dirent *e;
	char *yaml = NULL;
	int error;

	*out = NULL;
	*count = 0;
	if ((error = learned_dir(&dir, repo)) < 0)
		goto done;
	if (!(d = opendir(dir.ptr)))
		goto done;
	while ((e = readdir(d)) != NULL) {
		wm_learn_pending *p;

		if (!is_learned_file(e->d_name))
			continue;
		wm_buf_clear(&path);
		if ((error = wm_buf_printf(&path, "%s/%s", dir.ptr, e->d_name)) < 0 ||
		    (error = read_all(&yaml, path.ptr)) < 0)
			goto done;
		if (n == alloc) {
			size_t a = alloc ? alloc * 2 : 8;
			wm_learn_pending *grown = wm_reallocarray(list, a, sizeof(*grown));

			if (!grown) {
				error = WM_ENOMEM;
				goto done;
			}
			list = grown;
			alloc = a;
		}
		p = &list[n++];
		memset(p, 0, sizeof(*p));
		p->id = field(yaml, "id");
		p->path = wm_strdup(path.ptr);
		p->pattern = field(yaml, "pattern");
		p->fix = field(yaml, "fix");
		p->note = field(yaml, "note");
		wm_free(yaml);
		yaml = NULL;
		if (!p->id || !p->path || !p->pattern || !p->fix || !p->note) {
			error = wm_error_set(WM_ERROR, "%s: not a learned rule file", path.ptr);
			goto done;
		}
	}
	if (n)
		qsort(list, n, sizeof(*list), by_id);
	*out = list;
	*count = n;
	list = NULL;
	n = 0;
done:
	if (d)
		closedir(d);
	wm_learn_pending_free(list, n);
	wm_free(yaml);
	wm_buf_dispose(&dir);
	wm_buf_dispose(&path);
	return error;
}

void wm_learn_pending_free(wm_learn_pending *list, size_t count)
{
	size_t i;

	for (i = 0; list && i < count; i++) {
		wm_free(list[i].id);
		wm_free(list[i].path);
		wm_free(list[i].pattern);
		wm_free(list[i].fix);
		wm_free(list[i].note);
	}
	wm_free(list);
}

static int learned_file(wm_buf *out, wm_repo *repo, const char *id)
{
	struct stat st;
	int error;

	if (strchr(id, '/') || !strncmp(id, ".", 1))
		return wm_error_set(WM_ENOTFOUND, "%s: not a learned rule id", id);
	if ((error = learned_dir(out, repo)) < 0 || (error = wm_buf_printf(out, "/%s.yml", id)) < 0)
		return error;
	if (stat(out->ptr, &st) < 0)
		return wm_error_set(WM_ENOTFOUND, "no learned rule %s (wm-learn review lists them)", id);
	return 0;
}

int wm_learn_accept(wm_repo *repo, const char *id)
{
	wm_buf from = WM_BUF_INIT, to = WM_BUF_INIT;
	int error;

	if ((error = learned_file(&from, repo, id)) < 0 ||
	    (error = wm_buf_printf(&to, "%s.wm/antibodies/%s.yml", wm_repo_workdir(repo), id)) < 0)
		goto done;
	if (rename(from.ptr, to.ptr) < 0)
		error = wm_error_set(WM_ERROR, "%s: %s", to.ptr, strerror(errno));
done:
	wm_buf_dispose(&from);
	wm_buf_dispose(&to);
	return error;
}

int wm_learn_reject(wm_repo *repo, const char *id)
{
	wm_buf from = WM_BUF_INIT, state = WM_BUF_INIT, line = WM_BUF_INIT;
	FILE *f = NULL;
	int error;

	if ((error = learned_file(&from, repo, id)) < 0 ||
	    (error = wm_learn__state_path(&state, repo, "rejected")) < 0 ||
	    (error = wm_buf_printf(&line, "%s\n", id)) < 0)
		goto done;
	/* Remember first: a crash between the two leaves a file that is rejected anyway. */
	if (!(f = fopen(state.ptr, "ab")) || fputs(line.ptr, f) < 0 || fflush(f) != 0) {
		error = wm_error_set(WM_ERROR, "%s: %s", state.ptr, strerror(errno));
		goto done;
	}
	if (unlink(from.ptr) < 0)
		error = wm_error_set(WM_ERROR, "%s: %s", from.ptr, strerror(errno));
done:
	if (f)
		fclose(f);
	wm_buf_dispose(&from);
	wm_buf_dispose(&state);
	wm_buf_dispose(&line);
	return error;
}

int wm_learn__rejected_load(char **out, wm_repo *repo)
{
	wm_buf path = WM_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = wm_learn__state_path(&path, repo, "rejected")) < 0)
		goto done;
	if ((error = read_all(out, path.ptr)) == WM_ENOTFOUND) {
		error = 0;
		wm_error_clear();
	}
done:
	wm_buf_dispose(&path);
	return error;
}

bool wm_learn__rejected(const char *list, const char *id)
{
	size_t n = strlen(id);
	const char *p;

	for (p = list; p && (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}
