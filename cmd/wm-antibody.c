/*
 * wm-antibody - run, search with, test and scaffold antibodies.
 *
 *   wm-antibody [SCAN OPTIONS] [PATH]       wm-scan with only the antibody detector
 *   wm-antibody run -p PATTERN -l LANG [--json] [-j N] [PATH...]
 *   wm-antibody test [--require-tests] [FILE...]
 *   wm-antibody new -l LANG --id ID --before CODE --after CODE
 *   wm-antibody stats [--json] [--config FILE] [PATH]
 *
 * `run` is an ad hoc structural search over files on disk, like
 * `ast-grep run -p`: it needs no repository and no rule file, and exits 0
 * whether or not anything matched (it is a search, not a gate). Files are
 * parsed and matched on N threads (parsers are per thread in libwm) and
 * printed in path order, so the output is the same whatever N is.
 *
 * `stats` prints the immune memory's record per rule (wm/antibody_memory.h)
 * graded with the rules and thresholds a scan of the working tree would use.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <wm/wm.h>
#include <wm/antibody.h>

#include "cli.h"

/* Files over this size are skipped by `run`, as wm-scan skips them by default. */
#define RUN_MAX_FILE (1u << 20)

static const char *prog = "wm-antibody";

static void die_nomem(void)
{
	fprintf(stderr, "%s: out of memory\n", prog);
	exit(WM_EXIT_INTERNAL);
}

static int read_file(char **out, size_t *size, const char *path)
{
	FILE *f = fopen(path, "rb");
	wm_buf buf = WM_BUF_INIT;
	char chunk[65536];
	size_t n;
	int error = 0;

	*out = NULL;
	*size = 0;
	if (!f)
		return wm_error_set(WM_ENOTFOUND, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((error = wm_buf_put(&buf, chunk, n)) < 0)
			break;
	if (!error && ferror(f))
		error = wm_error_set(WM_ERROR, "%s: read error", path);
	fclose(f);
	if (error < 0) {
		wm_buf_dispose(&buf);
		return error;
	}
	*size = buf.size;
	*out = buf.ptr ? wm_buf_detach(&buf) : wm_strdup("");
	return *out ? 0 : WM_ENOMEM;
}

/* --- run ----------------------------------------------------------------- */

typedef struct run_file {
	char *path;
	wm_buf out;
} run_file;

typedef struct run_state {
	const wm_pattern *pattern;
	const char *needle;
	size_t needle_len;
	wm_lang lang;
	bool json;
	run_file *files;
	size_t count, alloc;
	atomic_size_t next;
	atomic_size_t matches;
	atomic_int failed;
} run_state;

static int add_path(run_state *st, const char *path)
{
	if (st->count == st->alloc) {
		size_t a = st->alloc ? st->alloc * 2 : 256;
		run_file *grown = wm_reallocarray(st->files, a, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		st->files = grown;
		st->alloc = a;
	}
	memset(&st->files[st->count], 0, sizeof(run_file));
	if (!(st->files[st->count].path = wm_strdup(path)))
		return WM_ENOMEM;
	st->count++;
	return 0;
}

/* Collect files under `path` whose language is the pattern's; hidden entries are skipped. */
static int collect(run_state *st, const char *path, bool top)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	int error = 0;

	if (lstat(path, &sb) < 0)
		return top ? wm_error_set(WM_ENOTFOUND, "%s: %s", path, strerror(errno)) : 0;
	if (S_ISREG(sb.st_mode)) {
		if (top || wm_syntax_detect(path, NULL, 0) == st->lang)
			error = add_path(st, path);
		return error;
	}
	if (!S_ISDIR(sb.st_mode) || !(d = opendir(path)))
		return 0;
	while (!error && (e = readdir(d))) {
		wm_buf sub = WM_BUF_INIT;

		if (e->d_name[0] == '.')
			continue;
		if ((error = wm_buf_printf(&sub, "%s%s%s", path,
				path[strlen(path) - 1] == '/' ? "" : "/", e->d_name)) == 0)
			error = collect(st, sub.ptr, false);
		wm_buf_dispose(&sub);
	}
	closedir(d);
	return error;
}

static void json_string(wm_buf *out, const char *s, size_t n)
{
	size_t i;

	wm_buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			wm_buf_printf(out, "\\%c", c);
		else if (c == '\n')
			wm_buf_puts(out, "\\n");
		else if (c == '\t')
			wm_buf_puts(out, "\\t");
		else if (c == '\r')
			wm_buf_puts(out, "\\r");
		else if (c < 0x20)
			wm_buf_printf(out, "\\u%04x", c);
		else
			wm_buf_putc(out, (char)c);
	}
	wm_buf_putc(out, '"');
}

typedef struct run_match_ctx {
	run_state *st;
	run_file *file;
	const char *data;
	size_t size;
} run_match_ctx;

static int on_run_match(TSNode node, const wm_captures *caps, void *payload)
{
	run_match_ctx *c = payload;
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
	wm_pos a = wm_syntax_pos(c->data, c->size, s), b = wm_syntax_pos(c->data, c->size, e);
	wm_buf *out = &c->file->out;

	(void)caps;
	atomic_fetch_add(&c->st->matches, 1);
	if (c->st->json) {
		wm_buf_puts(out, "{\"path\":");
		json_string(out, c->file->path, strlen(c->file->path));
		wm_buf_printf(out, ",\"start\":{\"line\":%u,\"column\":%u},\"end\":{\"line\":%u,\"column\":%u},\"text\":",
			a.line, a.column, b.line, b.column);
		json_string(out, c->data + s, e - s);
		return wm_buf_puts(out, "}\n");
	} else {
		const char *nl = memchr(c->data + s, '\n', e - s);

		return wm_buf_printf(out, "%s:%u:%u: %.*s%s\n", c->file->path, a.line, a.column,
			(int)((nl ? (size_t)(nl - c->data) : e) - s), c->data + s, nl ? " ..." : "");
	}
}

/* memmem() is a GNU extension; memchr on the first byte does the heavy lifting. */
static bool contains(const char *hay, size_t n, const char *needle, size_t len)
{
	const char *p = hay, *end = hay + n;

	if (len == 0)
		return true;
	while ((size_t)(end - p) >= len && (p = memchr(p, needle[0], (size_t)(end - p) - len + 1))) {
		if (!memcmp(p, needle, len))
			return true;
		p++;
	}
	return false;
}

static void *run_worker(void *arg)
{
	run_state *st = arg;
	size_t i;

	while ((i = atomic_fetch_add(&st->next, 1)) < st->count) {
		run_file *f = &st->files[i];
		run_match_ctx c = { st, f, NULL, 0 };
		char *data = NULL;
		size_t size = 0;
		TSTree *tree = NULL;

		if (read_file(&data, &size, f->path) < 0 || size > RUN_MAX_FILE ||
		    wm_syntax_is_binary(data, size)) {
			wm_free(data);
			continue;
		}
		c.data = data;
		c.size = size;
		/* Parsing is most of the cost: skip files without the pattern's longest token. */
		if (st->needle && !contains(data, size, st->needle, st->needle_len)) {
			wm_free(data);
			continue;
		}
		if (wm_syntax_parse(&tree, st->lang, data, size) == 0) {
			if (wm_pattern_find(st->pattern, ts_tree_root_node(tree), data, on_run_match, &c) < 0)
				atomic_store(&st->failed, 1);
			ts_tree_delete(tree);
		}
		wm_free(data);
	}
	return NULL;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const run_file *)a)->path, ((const run_file *)b)->path);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pattern", required_argument, NULL, 'p' },
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'J' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	run_state st;
	wm_pattern *pattern = NULL;
	const char *pat = NULL, *lang = NULL;
	pthread_t threads[64];
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	size_t off = 0, i, nthreads;
	int c, code = WM_EXIT_PASS;

	memset(&st, 0, sizeof(st));
	while ((c = getopt_long(argc, argv, "p:l:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pat = optarg; break;
		case 'l': lang = optarg; break;
		case 'J': st.json = true; break;
		case 'j': jobs = strtol(optarg, NULL, 10); break;
		case 'h':
			printf("Usage: %s run -p PATTERN -l LANG [--json] [-j N] [PATH...]\n\n"
				"Search files for a code pattern ($X one node, $$$X zero or more).\n"
				"--json prints one object per match: path, start, end, text.\n", prog);
			return WM_EXIT_PASS;
		default:
			return WM_EXIT_USAGE;
		}
	}
	if (!pat || !lang) {
		fprintf(stderr, "%s run: -p PATTERN and -l LANG are required\n", prog);
		return WM_EXIT_USAGE;
	}
	if ((st.lang = wm_lang_from_name(lang)) == WM_LANG_NONE) {
		fprintf(stderr, "%s run: unknown language \"%s\"\n", prog, lang);
		return WM_EXIT_USAGE;
	}
	if (wm_pattern_compile(&pattern, &off, st.lang, pat) < 0) {
		fprintf(stderr, "%s run: pattern:1:%zu: %s\n", prog, off + 1, wm_error_last());
		return WM_EXIT_USAGE;
	}
	st.pattern = pattern;
	st.needle = wm_pattern_needle(pattern, &st.needle_len);
	if (optind >= argc) {
		if (collect(&st, ".", true) < 0)
			die_nomem();
	}
	for (; optind < argc; optind++) {
		if (collect(&st, argv[optind], true) < 0) {
			fprintf(stderr, "%s run: %s\n", prog, wm_error_last());
			code = WM_EXIT_USAGE;
			goto done;
		}
	}
	qsort(st.files, st.count, sizeof(*st.files), by_path);
	if (jobs < 1)
		jobs = 1;
	nthreads = (size_t)jobs > sizeof(threads) / sizeof(threads[0]) ? sizeof(threads) / sizeof(threads[0]) :
		(size_t)jobs;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, run_worker, &st) != 0)
			break;
	if (i == 0)
		run_worker(&st);
	nthreads = i;
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < st.count; i++)
		if (st.files[i].out.ptr)
			fputs(st.files[i].out.ptr, stdout);
	if (atomic_load(&st.failed)) {
		fprintf(stderr, "%s run: out of memory\n", prog);
		code = WM_EXIT_INTERNAL;
	}
done:
	for (i = 0; i < st.count; i++) {
		wm_free(st.files[i].path);
		wm_buf_dispose(&st.files[i].out);
	}
	wm_free(st.files);
	wm_pattern_free(pattern);
	return code;
}

/* --- test ------------------------------------------------------------------ */

static void print_errors(const wm_antibodies *set)
{
	size_t i;

	for (i = 0; i < wm_antibodies_error_count(set); i++) {
		const wm_antibody_error *e = wm_antibodies_error(set, i);

		fprintf(stderr, "%s:%u:%u: %s\n", e->file, e->line, e->column, e->message);
	}
}

static int cmd_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "require-tests", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	wm_antibodies *set = NULL;
	wm_buf report = WM_BUF_INIT;
	size_t failed = 0, i, missing = 0;
	bool require = false;
	int c, code = WM_EXIT_PASS;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'r') {
			require = true;
		} else if (c == 'h') {
			printf("Usage: %s test [--require-tests] [FILE...]\n\n"
				"Run the tests of antibody rule files (default: the built-in rules).\n"
				"--require-tests also fails rules without match and no_match tests,\n"
				"or with a fix but no fix test.\n", prog);
			return WM_EXIT_PASS;
		} else {
			return WM_EXIT_USAGE;
		}
	}
	if (wm_antibodies_new(&set) < 0)
		die_nomem();
	if (optind >= argc) {
		if (wm_antibodies_load_builtin(set) < 0)
			die_nomem();
	}
	for (; optind < argc; optind++) {
		char *data;
		size_t size;

		if (read_file(&data, &size, argv[optind]) < 0) {
			fprintf(stderr, "%s test: %s\n", prog, wm_error_last());
			code = WM_EXIT_USAGE;
			goto done;
		}
		if (wm_antibodies_load(set, argv[optind], data, size, false) < 0)
			die_nomem();
		wm_free(data);
	}
	print_errors(set);
	if (wm_antibodies_test(&report, &failed, set) < 0)
		die_nomem();
	if (report.ptr)
		fputs(report.ptr, stdout);
	for (i = 0; require && i < wm_antibodies_count(set); i++) {
		const wm_antibody_info *r = wm_antibodies_info(set, i);

		if (!r->tests_match || !r->tests_no_match || (r->fix && !r->tests_fix)) {
			printf("not ok - %s [%s]: missing %s tests\n", r->id, wm_lang_name(r->lang),
				!r->tests_match ? "match" : !r->tests_no_match ? "no_match" : "fix");
			missing++;
		}
	}
	printf("# %zu rules, %zu failed, %zu load errors\n", wm_antibodies_count(set), failed + missing,
		wm_antibodies_error_count(set));
	if (wm_antibodies_error_count(set))
		code = WM_EXIT_USAGE;
	else if (failed || missing)
		code = WM_EXIT_FINDINGS;
done:
	wm_buf_dispose(&report);
	wm_antibodies_free(set);
	return code;
}

/* --- new ------------------------------------------------------------------- */

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether `w` occurs in `s` as a whole word. */
static bool has_word(const char *s, const char *w, size_t n)
{
	const char *p = s;

	while ((p = strstr(p, w)) != NULL) {
		if ((p == s || !word_char(p[-1])) && !word_char(p[n]))
			return true;
		p++;
	}
	(void)n;
	return false;
}

typedef struct gen {
	const char *before, *after;
	char *names[26];
	size_t n;
	uint32_t *starts, *ends, *which;
	size_t nspans, aspans;
} gen;

static int gen_visit(TSNode node, void *payload)
{
	gen *g = payload;
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
	const char *type = ts_node_type(node);
	size_t tl = strlen(type), i;
	char word[128];

	if (ts_node_child_count(node) > 0)
		return 0;
	if (!ts_node_is_named(node) || tl < 10 || strcmp(type + tl - 10, "identifier") ||
	    e - s >= sizeof(word))
		return 1;
	memcpy(word, g->before + s, e - s);
	word[e - s] = '\0';
	if (!has_word(g->after, word, e - s))
		return 1;
	for (i = 0; i < g->n && strcmp(g->names[i], word); i++)
		;
	if (i == g->n) {
		if (g->n == 26)
			return 1;
		if (!(g->names[g->n++] = wm_strdup(word)))
			return WM_ENOMEM;
	}
	if (g->nspans == g->aspans) {
		size_t a = g->aspans ? g->aspans * 2 : 16;

		if (!(g->starts = wm_reallocarray(g->starts, a, sizeof(uint32_t))) ||
		    !(g->ends = wm_reallocarray(g->ends, a, sizeof(uint32_t))) ||
		    !(g->which = wm_reallocarray(g->which, a, sizeof(uint32_t))))
			return WM_ENOMEM;
		g->aspans = a;
	}
	g->starts[g->nspans] = s;
	g->ends[g->nspans] = e;
	g->which[g->nspans++] = (uint32_t)i;
	return 1;
}

static void yaml_scalar(wm_buf *out, const char *s, int indent)
{
	const char *p = s;

	if (!strchr(s, '\n') || s[0] == ' ' || s[0] == '\t') {
		json_string(out, s, strlen(s));
		wm_buf_putc(out, '\n');
		return;
	}
	wm_buf_puts(out, strlen(s) && s[strlen(s) - 1] == '\n' ? "|\n" : "|-\n");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		wm_buf_printf(out, "%*s%.*s\n", n ? indent : 0, "", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

static int cmd_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "id", required_argument, NULL, 'i' },
		{ "before", required_argument, NULL, 'b' },
		{ "after", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *lang_name = NULL, *id = "my-rule", *before = NULL, *after = NULL;
	wm_buf pat = WM_BUF_INIT, fix = WM_BUF_INIT, yml = WM_BUF_INIT, report = WM_BUF_INIT;
	wm_antibodies *set = NULL;
	TSTree *tree = NULL;
	gen g;
	wm_lang lang;
	size_t i, at = 0, failed = 0;
	int c, code = WM_EXIT_PASS;

	memset(&g, 0, sizeof(g));
	while ((c = getopt_long(argc, argv, "l:i:b:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': lang_name = optarg; break;
		case 'i': id = optarg; break;
		case 'b': before = optarg; break;
		case 'a': after = optarg; break;
		case 'h':
			printf("Usage: %s new -l LANG [--id ID] --before CODE --after CODE\n\n"
				"Print a rule file whose pattern is BEFORE and whose fix is AFTER, with\n"
				"identifiers found in both turned into metavariables, and its tests.\n", prog);
			return WM_EXIT_PASS;
		default:
			return WM_EXIT_USAGE;
		}
	}
	if (!lang_name || !before || !after) {
		fprintf(stderr, "%s new: -l LANG, --before and --after are required\n", prog);
		return WM_EXIT_USAGE;
	}
	if ((lang = wm_lang_from_name(lang_name)) == WM_LANG_NONE) {
		fprintf(stderr, "%s new: unknown language \"%s\"\n", prog, lang_name);
		return WM_EXIT_USAGE;
	}
	g.before = before;
	g.after = after;
	if (wm_syntax_parse(&tree, lang, before, strlen(before)) < 0 ||
	    wm_syntax_walk(ts_tree_root_node(tree), gen_visit, &g) < 0)
		die_nomem();
	/* Pattern: BEFORE with the shared identifiers replaced, in order. */
	for (i = 0; i < g.nspans; i++) {
		wm_buf_put(&pat, before + at, g.starts[i] - at);
		wm_buf_printf(&pat, "$%c", 'A' + g.which[i]);
		at = g.ends[i];
	}
	wm_buf_puts(&pat, before + at);
	/* Fix: AFTER with the same identifiers, as whole words, replaced. */
	for (at = 0; after[at];) {
		size_t w = at;

		if (!word_char(after[at]) || (at > 0 && word_char(after[at - 1]))) {
			wm_buf_putc(&fix, after[at++]);
			continue;
		}
		while (word_char(after[w]))
			w++;
		for (i = 0; i < g.n; i++)
			if (strlen(g.names[i]) == w - at && !memcmp(g.names[i], after + at, w - at))
				break;
		if (i < g.n)
			wm_buf_printf(&fix, "$%c", (char)('A' + i));
		else
			wm_buf_put(&fix, after + at, w - at);
		at = w;
	}
	wm_buf_printf(&yml, "id: %s\nlanguage: %s\nseverity: warning\nmessage: ", id, wm_lang_name(lang));
	yaml_scalar(&yml, "TODO: say what is wrong with `$A` and why", 2);
	wm_buf_puts(&yml, "provenance:\n  source: authored\npattern: ");
	yaml_scalar(&yml, pat.ptr ? pat.ptr : "", 2);
	wm_buf_puts(&yml, "fix: ");
	yaml_scalar(&yml, fix.ptr ? fix.ptr : "", 2);
	wm_buf_puts(&yml, "tests:\n  match:\n    - ");
	yaml_scalar(&yml, before, 6);
	wm_buf_puts(&yml, "  no_match:\n    - ");
	yaml_scalar(&yml, after, 6);
	wm_buf_puts(&yml, "  fix:\n    - before: ");
	yaml_scalar(&yml, before, 8);
	wm_buf_puts(&yml, "      after: ");
	yaml_scalar(&yml, after, 8);
	if (!yml.ptr)
		die_nomem();
	fputs(yml.ptr, stdout);
	/* Check the scaffold before handing it over. */
	if (wm_antibodies_new(&set) < 0 || wm_antibodies_load(set, "<new>", yml.ptr, yml.size, false) < 0 ||
	    wm_antibodies_test(&report, &failed, set) < 0)
		die_nomem();
	print_errors(set);
	if (wm_antibodies_error_count(set) || failed) {
		fprintf(stderr, "%s new: the scaffold does not pass its own tests yet:\n%s", prog,
			report.ptr ? report.ptr : "");
		code = WM_EXIT_FINDINGS;
	}
	for (i = 0; i < g.n; i++)
		wm_free(g.names[i]);
	wm_free(g.starts);
	wm_free(g.ends);
	wm_free(g.which);
	if (tree)
		ts_tree_delete(tree);
	wm_antibodies_free(set);
	wm_buf_dispose(&pat);
	wm_buf_dispose(&fix);
	wm_buf_dispose(&yml);
	wm_buf_dispose(&report);
	return code;
}

/* --- stats ---------------------------------------------------------------- */

static int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	wm_repo *repo = NULL;
	wm_config *cfg = NULL;
	wm_world *world = NULL;
	wm_antibodies *set = NULL;
	wm_memory *mem = NULL;
	wm_antibody_stats *stats = NULL;
	wm_antibody_policy policy;
	wm_buf path = WM_BUF_INIT;
	const char *config_path = NULL;
	bool json = false;
	int c, code = WM_EXIT_PASS, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'J') {
			json = true;
		} else if (c == 'c') {
			config_path = optarg;
		} else if (c == 'h') {
			printf("Usage: %s stats [--json] [--config FILE] [PATH]\n\n"
				"Show what the immune memory knows about each antibody: hits, fixes\n"
				"applied and reverted, effectiveness, and whether the rule is demoted\n"
				"(or, for a learned rule, still a hint or promoted).\n", prog);
			return WM_EXIT_PASS;
		} else {
			return WM_EXIT_USAGE;
		}
	}
	if ((error = wm_repo_open(&repo, optind < argc ? argv[optind] : ".")) < 0) {
		code = error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
		goto done;
	}
	if (config_path)
		error = wm_config_load(&cfg, config_path);
	else if (wm_repo_workdir(repo) && wm_buf_printf(&path, "%s.wm.yml", wm_repo_workdir(repo)) == 0)
		error = wm_config_load(&cfg, path.ptr);
	else
		error = wm_config_default(&cfg);
	if (error < 0) {
		code = error == WM_ENOMEM ? WM_EXIT_INTERNAL : WM_EXIT_USAGE;
		goto done;
	}
	wm_antibody_policy_from_config(&policy, cfg);
	if ((error = wm_world_open(&world, repo, wm_repo_workdir(repo) ? WM_WORLD_WORKDIR : WM_WORLD_HEAD,
			NULL)) < 0 ||
	    (error = wm_antibodies_load_config(&set, cfg, world)) < 0) {
		code = WM_EXIT_INTERNAL;
		goto done;
	}
	/* Read-only: a repository without a memory has no statistics, and
	 * asking for them must not create one. A memory of schema 1 has no
	 * antibody tables yet: no statistics either. */
	if ((error = wm_memory_open_reader(&mem, repo)) == WM_ENOTFOUND) {
		error = 0;
	} else if (error < 0) {
		code = WM_EXIT_INTERNAL;
		goto done;
	} else if (wm_antibody_stats_load(&stats, mem) < 0) {
		wm_antibody_stats_free(stats);
		stats = NULL;
	}
	if (wm_report_antibody_stats(stdout, stats, set, &policy, json) < 0) {
		code = WM_EXIT_INTERNAL;
		goto done;
	}
done:
	if (code != WM_EXIT_PASS)
		fprintf(stderr, "%s stats: %s\n", prog, wm_error_last());
	wm_antibody_stats_free(stats);
	wm_memory_free(mem);
	wm_antibodies_free(set);
	wm_world_free(world);
	wm_config_free(cfg);
	wm_repo_free(repo);
	wm_buf_dispose(&path);
	return code;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "test"))
		return cmd_test(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "new"))
		return cmd_new(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	return wm_cli_main(argc, argv, "wm-antibody", "antibody");
}
