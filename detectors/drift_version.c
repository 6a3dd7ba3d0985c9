/*
 * drift_version.c - version strings and dependency ranges of three ecosystems.
 *
 * Drift is a comparison, so the detector needs one order over versions
 * written by Python (PEP 440), npm and Cargo (SemVer 2.0.0) and by tools
 * that follow neither (CMake, autoconf, a README). PEP 440 and SemVer agree
 * on the part that matters here: release numbers first, then pre-releases
 * below the final release (dev < alpha < beta < rc). So every string is
 * parsed into one drift_ver holding both, and the validators are separate,
 * exact, per ecosystem: a value can be ordered without being valid, and
 * `invalid-version` reports exactly the strings pip, npm or Cargo reject.
 *
 * "1.2" and "1.2.0" are the same version here (PEP 440 pads with zeros;
 * SemVer would reject "1.2" outright, which invalid-version reports), so a
 * CMake `VERSION 1.2` does not drift from a pyproject 1.2.0.
 *
 * Ranges follow npm's node-semver, Cargo's and PEP 440's specifier rules for
 * what a range admits; only plain version ranges are judged. Pre-release
 * filtering (npm's "^1.2.3 does not admit 1.3.0-beta") is not modelled:
 * internal pins are about releases, and admitting too much only misses a
 * finding, never raises a false one.
 *
 * No regular expressions: each grammar is a small hand-written scanner, so
 * the accepted language is exactly what the code says.
 */
#include <string.h>

#include "drift.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Digits at s[*i]; false when there are none or the number overflows. */
static bool read_num(uint64_t *out, const char *s, size_t len, size_t *i)
{
	uint64_t n = 0;
	size_t start = *i;

	while (*i < len && is_digit(s[*i])) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(s[*i] - '0');
		(*i)++;
	}
	*out = n;
	return *i > start;
}

/* Whether s[i..] starts with `word` (case-insensitive) not followed by a letter. */
static size_t match_word(const char *s, size_t len, size_t i, const char *word)
{
	size_t n = strlen(word), k;

	if (i + n > len)
		return 0;
	for (k = 0; k < n; k++)
		if (lower(s[i + k]) != word[k])
			return 0;
	if (i + n < len && is_alpha(s[i + n]))
		return 0;
	return n;
}

static bool is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

/* A pre-release label of PEP 440 (with its alternative spellings) or SemVer. */
static size_t match_phase(int *phase, const char *s, size_t len, size_t i)
{
	static const struct { const char *word; int phase; } labels[] = {
		{ "alpha", DRIFT_PHASE_ALPHA }, { "beta", DRIFT_PHASE_BETA },
		{ "preview", DRIFT_PHASE_RC }, { "pre", DRIFT_PHASE_RC },
		{ "rc", DRIFT_PHASE_RC }, { "a", DRIFT_PHASE_ALPHA },
		{ "b", DRIFT_PHASE_BETA }, { "c", DRIFT_PHASE_RC },
	};
	size_t k, n;

	for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
		/* Longer words first, so "alpha" is not read as "a" + "lpha". */
		if ((n = match_word(s, len, i, labels[k].word)) > 0) {
			*phase = labels[k].phase;
			return n;
		}
	}
	return 0;
}

/*
 * PEP 440, exactly as `packaging` accepts it (case-insensitive, with the
 * alternative spellings it normalises): [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
 */
static int pep440_parse(drift_ver *out, const char *s, size_t len)
{
	size_t i = 0, n;
	uint64_t num;
	int phase;

	memset(out, 0, sizeof(*out));
	out->phase = DRIFT_PHASE_FINAL;
	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	if (!read_num(&num, s, len, &i))
		return WM_EPARSE;
	if (i < len && s[i] == '!') {
		out->epoch = num;
		i++;
		if (!read_num(&num, s, len, &i))
			return WM_EPARSE;
	}
	out->rel[out->nrel++] = num;
	while (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
		i++;
		if (!read_num(&num, s, len, &i) || out->nrel == DRIFT_MAX_PARTS)
			return WM_EPARSE;
		out->rel[out->nrel++] = num;
	}
	/* pre-release */
	n = (i < len && is_sep(s[i])) ? 1 : 0;
	if (i + n < len && (phase = 0, match_phase(&phase, s, len, i + n)) > 0) {
		i += n + match_phase(&phase, s, len, i + n);
		out->phase = phase;
		if (i < len && is_sep(s[i]) && i + 1 < len && is_digit(s[i + 1]))
			i++;
		if (i < len && is_digit(s[i]) && !read_num(&out->phase_num, s, len, &i))
			return WM_EPARSE;
	}
	/* post-release: .post1, -1, r1, rev1 */
	n = (i < len && is_sep(s[i])) ? 1 : 0;
	if (i + n < len && (match_word(s, len, i + n, "post") || match_word(s, len, i + n, "rev") ||
			match_word(s, len, i + n, "r"))) {
		i += n;
		i += match_word(s, len, i, "post") ? 4 : match_word(s, len, i, "rev") ? 3 : 1;
		out->post = true;
		if (i < len && is_sep(s[i]) && i + 1 < len && is_digit(s[i + 1]))
			i++;
		if (i < len && is_digit(s[i]) && !read_num(&out->post_num, s, len, &i))
			return WM_EPARSE;
	} else if (i + 1 < len && s[i] == '-' && is_digit(s[i + 1])) {
		i++;
		out->post = true;
		if (!read_num(&out->post_num, s, len, &i))
			return WM_EPARSE;
	}
	/* development release */
	n = (i < len && is_sep(s[i])) ? 1 : 0;
	if (i + n < len && match_word(s, len, i + n, "dev")) {
		i += n + 3;
		if (i < len && is_sep(s[i]) && i + 1 < len && is_digit(s[i + 1]))
			i++;
		if (i < len && is_digit(s[i]) && !read_num(&out->dev_num, s, len, &i))
			return WM_EPARSE;
		if (out->phase == DRIFT_PHASE_FINAL && !out->post) {
			out->phase = DRIFT_PHASE_DEV;
			out->phase_num = out->dev_num;
		} else {
			out->dev = true;
		}
	}
	/* local version label: ignored for ordering */
	if (i < len && s[i] == '+') {
		if (++i == len)
			return WM_EPARSE;
		for (; i < len; i++)
			if (!is_alpha(s[i]) && !is_digit(s[i]) && !is_sep(s[i]))
				return WM_EPARSE;
	}
	return i == len ? 0 : WM_EPARSE;
}

/* One dot-separated SemVer identifier at s[i..]: its length. */
static size_t semver_ident(const char *s, size_t len, size_t i)
{
	size_t k = i;

	while (k < len && (is_alpha(s[k]) || is_digit(s[k]) || s[k] == '-'))
		k++;
	return k - i;
}

/*
 * SemVer: strict is the 2.0.0 grammar (three numbers without leading zeros,
 * identifiers of [0-9A-Za-z-], numeric ones without leading zeros); lenient
 * also takes a `v`, one to eight numbers and leading zeros (what READMEs and
 * tags write).
 */
static int semver_parse(drift_ver *out, const char *s, size_t len, bool strict)
{
	size_t i = 0, start, n, first_len;
	uint64_t num;
	int phase;

	memset(out, 0, sizeof(*out));
	out->phase = DRIFT_PHASE_FINAL;
	if (!strict && i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (;;) {
		start = i;
		if (!read_num(&num, s, len, &i) || out->nrel == DRIFT_MAX_PARTS)
			return WM_EPARSE;
		if (strict && s[start] == '0' && i - start > 1)
			return WM_EPARSE;
		out->rel[out->nrel++] = num;
		if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
			i++;
			continue;
		}
		break;
	}
	if (strict && out->nrel != 3)
		return WM_EPARSE;
	if (i < len && s[i] == '-') {
		i++;
		start = i;
		first_len = semver_ident(s, len, i);
		for (;;) {
			size_t k = i;

			n = semver_ident(s, len, i);
			if (n == 0)
				return WM_EPARSE;
			if (strict && s[i] == '0' && n > 1) {
				for (k = i; k < i + n && is_digit(s[k]); k++)
					;
				if (k == i + n)
					return WM_EPARSE;
			}
			i += n;
			if (i < len && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
		/* "rc.1", "rc1", "beta", "alpha.3": a phase and its number. */
		phase = 0;
		n = 0;
		if (first_len > 0 && is_alpha(s[start])) {
			size_t k = start;

			while (k < start + first_len && is_alpha(s[k]))
				k++;
			if (match_word(s, start + first_len, start, "dev") == 3 && k == start + 3)
				phase = DRIFT_PHASE_DEV, n = 3;
			else if ((n = match_phase(&phase, s, k, start)) != k - start)
				phase = 0, n = 0;
		}
		if (phase) {
			size_t k = start + n;

			out->phase = phase;
			if (k < i && s[k] == '.')
				k++;
			if (k < i && is_digit(s[k]) && !read_num(&out->phase_num, s, i, &k))
				return WM_EPARSE;
			if (k != i) {
				/* "rc.1.2": keep ordering by the first two, remember the rest */
				out->phase = DRIFT_PHASE_OTHER;
			}
		} else {
			out->phase = DRIFT_PHASE_OTHER;
		}
		if (out->phase == DRIFT_PHASE_OTHER) {
			n = i - start < sizeof(out->other) - 1 ? i - start : sizeof(out->other) - 1;
			memcpy(out->other, s + start, n);
			out->other[n] = '\0';
		}
	}
	if (i < len && s[i] == '+') {
		i++;
		for (;;) {
			if ((n = semver_ident(s, len, i)) == 0)
				return WM_EPARSE;
			i += n;
			if (i < len && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	return i == len ? 0 : WM_EPARSE;
}

int drift_ver_parse(drift_ver *out, const char *s, size_t len)
{
	if (pep440_parse(out, s, len) == 0 || semver_parse(out, s, len, false) == 0)
		return 0;
	return WM_EPARSE;
}

bool drift_ver_valid(drift_scheme scheme, const char *s, size_t len)
{
	drift_ver v;
	size_t i;

	switch (scheme) {
	case DRIFT_PEP440:
		/* A leading `v` is tolerated by packaging but never written in metadata. */
		return len > 0 && s[0] != 'v' && s[0] != 'V' && pep440_parse(&v, s, len) == 0;
	case DRIFT_SEMVER:
		return semver_parse(&v, s, len, true) == 0;
	case DRIFT_NUMERIC:
		if (semver_parse(&v, s, len, false) < 0 || v.nrel > 4 || v.phase != DRIFT_PHASE_FINAL)
			return false;
		for (i = 0; i < len; i++)
			if (!is_digit(s[i]) && s[i] != '.')
				return false;
		return true;
	default:
		return drift_ver_parse(&v, s, len) == 0;
	}
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

int drift_ver_cmp_release(const drift_ver *a, const drift_ver *b)
{
	unsigned i, n = a->nrel > b->nrel ? a->nrel : b->nrel;
	int c;

	if ((c = cmp_u64(a->epoch, b->epoch)) != 0)
		return c;
	for (i = 0; i < n; i++)
		if ((c = cmp_u64(i < a->nrel ? a->rel[i] : 0, i < b->nrel ? b->rel[i] : 0)) != 0)
			return c;
	return 0;
}

int drift_ver_cmp(const drift_ver *a, const drift_ver *b)
{
	int c;

	if ((c = drift_ver_cmp_release(a, b)) != 0)
		return c;
	if ((c = a->phase - b->phase) != 0)
		return c < 0 ? -1 : 1;
	if (a->phase == DRIFT_PHASE_OTHER && (c = strcmp(a->other, b->other)) != 0)
		return c < 0 ? -1 : 1;
	if ((c = cmp_u64(a->phase_num, b->phase_num)) != 0)
		return c;
	if (a->post != b->post)
		return a->post ? 1 : -1;
	if ((c = cmp_u64(a->post_num, b->post_num)) != 0)
		return c;
	if (a->dev != b->dev)
		return a->dev ? -1 : 1;
	return cmp_u64(a->dev_num, b->dev_num);
}

static int put_release(wm_buf *out, const drift_ver *v, unsigned min, unsigned max)
{
	unsigned i, n = v->nrel < min ? min : v->nrel;
	int error = 0;

	if (n > max)
		n = max;
	for (i = 0; i < n && !error; i++)
		error = wm_buf_printf(out, "%s%llu", i ? "." : "",
			(unsigned long long)(i < v->nrel ? v->rel[i] : 0));
	return error;
}

int drift_ver_render(wm_buf *out, drift_scheme scheme, const drift_ver *v, const char *text)
{
	static const char *const pep[] = { "", "", "a", "b", "rc", "" };
	static const char *const sem[] = { "dev", "", "alpha", "beta", "rc", "" };
	int error = 0;

	/* A value already valid where it goes is copied as the canonical file spells it. */
	/* PEP 440 is written in its normal form unless a local label would be lost. */
	if (scheme == DRIFT_LOOSE ||
	    (drift_ver_valid(scheme, text, strlen(text)) && (scheme != DRIFT_PEP440 || strchr(text, '+'))) ||
	    (scheme == DRIFT_PEP440 && v->phase == DRIFT_PHASE_OTHER) ||
	    (scheme == DRIFT_SEMVER && (v->nrel > 3 || v->post || v->dev || v->epoch)))
		return wm_buf_puts(out, text);
	switch (scheme) {
	case DRIFT_PEP440:
		if (v->epoch)
			error = wm_buf_printf(out, "%llu!", (unsigned long long)v->epoch);
		if (!error)
			error = put_release(out, v, 1, DRIFT_MAX_PARTS);
		if (!error && v->phase >= DRIFT_PHASE_ALPHA && v->phase <= DRIFT_PHASE_RC)
			error = wm_buf_printf(out, "%s%llu", pep[v->phase], (unsigned long long)v->phase_num);
		if (!error && v->post)
			error = wm_buf_printf(out, ".post%llu", (unsigned long long)v->post_num);
		if (!error && (v->dev || v->phase == DRIFT_PHASE_DEV))
			error = wm_buf_printf(out, ".dev%llu",
				(unsigned long long)(v->dev ? v->dev_num : v->phase_num));
		return error;
	case DRIFT_SEMVER:
		error = put_release(out, v, 3, 3);
		if (!error && v->phase == DRIFT_PHASE_OTHER)
			error = wm_buf_printf(out, "-%s", v->other);
		else if (!error && v->phase != DRIFT_PHASE_FINAL)
			error = wm_buf_printf(out, "-%s.%llu", sem[v->phase], (unsigned long long)v->phase_num);
		return error;
	default:
		return put_release(out, v, 1, 4);
	}
}

/* --- ranges ------------------------------------------------------------ */

enum op { OP_EQ, OP_NE, OP_GE, OP_GT, OP_LE, OP_LT, OP_CARET, OP_TILDE, OP_COMPAT, OP_ANY };

/* A version in a range: up to three numbers or wildcards, maybe a pre-release. */
typedef struct partial {
	drift_ver v;
	unsigned n;       /* numbers given before a wildcard or the end */
	bool wildcard;    /* ended in x, X or * */
} partial;

static int parse_partial(partial *p, const char *s, size_t len)
{
	size_t i = 0;
	uint64_t num;

	memset(p, 0, sizeof(*p));
	p->v.phase = DRIFT_PHASE_FINAL;
	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (;;) {
		if (i < len && (s[i] == 'x' || s[i] == 'X' || s[i] == '*')) {
			p->wildcard = true;
			i++;
		} else {
			if (!read_num(&num, s, len, &i) || p->n == DRIFT_MAX_PARTS)
				return WM_EPARSE;
			if (!p->wildcard)
				p->v.rel[p->n++] = num;
		}
		if (i + 1 < len && s[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	p->v.nrel = p->n;
	if (i == len)
		return 0;
	/* A pre-release or build: the whole token must be a full version then. */
	if (p->wildcard || drift_ver_parse(&p->v, s, len) < 0)
		return WM_EPARSE;
	p->n = p->v.nrel;
	return 0;
}

/* The version with part k incremented and everything after it dropped. */
static drift_ver bump(const drift_ver *v, unsigned k)
{
	drift_ver b;

	memset(&b, 0, sizeof(b));
	b.epoch = v->epoch;
	memcpy(b.rel, v->rel, sizeof(b.rel));
	b.rel[k]++;
	b.nrel = k + 1;
	/* Below every pre-release of the bumped version: `<2` excludes 2.0.0-rc.1 too. */
	b.phase = DRIFT_PHASE_DEV;
	return b;
}

/* Whether `v` satisfies one comparator. */
static bool satisfies(enum op op, const partial *p, drift_scheme eco, const drift_ver *v)
{
	drift_ver lo = p->v, hi;
	unsigned k;

	if (op == OP_ANY || (p->n == 0 && p->wildcard))
		return true;
	switch (op) {
	case OP_EQ:
		if (p->wildcard || (eco != DRIFT_PEP440 && p->n < 3 && p->v.phase == DRIFT_PHASE_FINAL)) {
			hi = bump(&p->v, p->n - 1);
			return drift_ver_cmp(v, &lo) >= 0 && drift_ver_cmp(v, &hi) < 0;
		}
		return drift_ver_cmp(v, &lo) == 0;
	case OP_NE:
		return drift_ver_cmp(v, &lo) != 0;
	case OP_GE:
		return drift_ver_cmp(v, &lo) >= 0;
	case OP_LT:
		return drift_ver_cmp(v, &lo) < 0;
	case OP_GT:
		if (eco != DRIFT_PEP440 && p->n < 3) {
			hi = bump(&p->v, p->n - 1);
			return drift_ver_cmp(v, &hi) >= 0;
		}
		return drift_ver_cmp(v, &lo) > 0;
	case OP_LE:
		if (eco != DRIFT_PEP440 && p->n < 3) {
			hi = bump(&p->v, p->n - 1);
			return drift_ver_cmp(v, &hi) < 0;
		}
		return drift_ver_cmp(v, &lo) <= 0;
	case OP_CARET:
		/* The first non-zero number given is the one that may not change. */
		for (k = 0; k < p->n && p->v.rel[k] == 0; k++)
			;
		if (k == p->n)
			k = p->n - 1;
		hi = bump(&p->v, k);
		return drift_ver_cmp(v, &lo) >= 0 && drift_ver_cmp(v, &hi) < 0;
	case OP_TILDE:
		hi = bump(&p->v, p->n >= 2 ? 1 : 0);
		return drift_ver_cmp(v, &lo) >= 0 && drift_ver_cmp(v, &hi) < 0;
	case OP_COMPAT:
		if (p->n < 2)
			return false;
		hi = bump(&p->v, p->n - 2);
		return drift_ver_cmp(v, &lo) >= 0 && drift_ver_cmp(v, &hi) < 0;
	default:
		return true;
	}
}

static size_t read_op(enum op *op, const char *s, size_t len, size_t i)
{
	static const struct { const char *text; enum op op; } ops[] = {
		{ "===", OP_EQ }, { "==", OP_EQ }, { "!=", OP_NE }, { ">=", OP_GE }, { "<=", OP_LE },
		{ "~=", OP_COMPAT }, { ">", OP_GT }, { "<", OP_LT }, { "=", OP_EQ }, { "^", OP_CARET },
		{ "~", OP_TILDE },
	};
	size_t k, n;

	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		n = strlen(ops[k].text);
		if (i + n <= len && !memcmp(s + i, ops[k].text, n)) {
			*op = ops[k].op;
			return n;
		}
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * One AND-set of comparators, s[0..len): npm separates them by spaces
 * (and writes "A - B"), Cargo and PEP 440 by commas.
 * @return 1, 0, or -1 (not a plain range)
 */
static int admits_set(drift_scheme eco, const char *s, size_t len, const drift_ver *v)
{
	size_t i = 0, start, n;
	partial p, q;
	enum op op;
	bool any = false;

	while (i < len) {
		while (i < len && (is_space(s[i]) || s[i] == ','))
			i++;
		if (i == len)
			break;
		op = OP_ANY;
		n = read_op(&op, s, len, i);
		i += n;
		if (n == 0)
			op = (eco == DRIFT_NUMERIC) ? OP_CARET : OP_EQ;
		while (i < len && is_space(s[i]))
			i++;
		start = i;
		while (i < len && !is_space(s[i]) && s[i] != ',')
			i++;
		if (i == start || parse_partial(&p, s + start, i - start) < 0)
			return -1;
		any = true;
		/* npm's hyphen range "1.2.3 - 2.3.4": inclusive on both ends (partial upper: below the next). */
		if (eco == DRIFT_SEMVER && n == 0 && i + 2 < len && s[i] == ' ' && s[i + 1] == '-' &&
		    s[i + 2] == ' ') {
			i += 3;
			while (i < len && is_space(s[i]))
				i++;
			start = i;
			while (i < len && !is_space(s[i]))
				i++;
			if (i == start || parse_partial(&q, s + start, i - start) < 0)
				return -1;
			if (!satisfies(OP_GE, &p, eco, v) || !satisfies(OP_LE, &q, eco, v))
				return 0;
			continue;
		}
		if (!satisfies(op, &p, eco, v))
			return 0;
	}
	return any ? 1 : -1;
}

int drift_range_admits(drift_scheme eco, const char *range, size_t len, const drift_ver *v)
{
	size_t i, start = 0;
	int r, any = -1;

	/* Only versions and operators: `workspace:*`, `file:../x`, URLs, tags are not ranges. */
	for (i = 0; i < len; i++) {
		char c = range[i];

		if (!is_digit(c) && !is_alpha(c) && !strchr(".*^~<>=!|, -+_", c))
			return -1;
	}
	if (len == 0 || (len == 1 && range[0] == '*'))
		return -1;
	for (i = 0; i <= len; i++) {
		if (i < len && !(eco == DRIFT_SEMVER && i + 1 < len && range[i] == '|' && range[i + 1] == '|'))
			continue;
		r = admits_set(eco, range + start, i - start, v);
		if (r < 0)
			return -1;
		if (r > 0)
			any = 1;
		else if (any < 0)
			any = 0;
		start = i + 2;
		i++;
	}
	return any;
}

int drift_range_retarget(wm_buf *out, const char *range, size_t len, const char *version)
{
	size_t i = 0, n;
	enum op op = OP_ANY;
	partial p;

	while (i < len && is_space(range[i]))
		i++;
	n = read_op(&op, range, len, i);
	if (n && (op == OP_LT || op == OP_LE || op == OP_NE))
		return WM_ENOTFOUND;
	i += n;
	while (i < len && is_space(range[i]))
		i++;
	if (i == len || parse_partial(&p, range + i, len - i) < 0 || p.wildcard)
		return WM_ENOTFOUND;
	if (wm_buf_put(out, range, i) < 0 || wm_buf_puts(out, version) < 0)
		return WM_ENOMEM;
	return 0;
}
