/*
 * glob.c - gitignore-style path globs for `paths.*` and `detectors.*.exclude`.
 *
 * Semantics (gitignore's, so users need to learn nothing new):
 * - a pattern without '/' (a trailing one aside) matches a name at any
 *   depth; otherwise it is anchored at the repository root, and a leading
 *   '/' only says so;
 * - `*`, `?` and `[...]` never match '/'; `**` between slashes (or at either
 *   end) matches any number of directories;
 * - a match on a directory covers everything below it, and a trailing '/'
 *   makes the pattern match directories only (`vendor/` covers
 *   `vendor/a/b.c` but not a file named `vendor`).
 *
 * Why not fnmatch(3): it has no `**`. Why not git's wildmatch: it backtracks
 * recursively and is exponential on patterns like `*a*a*a*a*b`, and patterns
 * come from users. Here the pattern is compiled to a token list and run as a
 * set of states over the path (a Thompson NFA): O(path x pattern) time,
 * O(pattern) memory, no recursion. Every prefix of the path that ends at a
 * '/' is a directory, so "a directory it names covers what is below" is
 * simply "the accept state is live when the next '/' is read".
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/config.h"

enum {
	T_LIT,    /* one byte */
	T_ANY,    /* `?`: one byte but '/' */
	T_CLASS,  /* `[...]`: one byte but '/', in (or not in) the class */
	T_STAR,   /* `*`: any bytes but '/' */
	T_ANYALL, /* any bytes, '/' included: a whole-pattern or trailing "**" */
	T_OPT     /* a "**" then "/": optional, skips itself and the next two tokens */
};

typedef struct token {
	unsigned char type;
	unsigned char c;      /* T_LIT */
	bool negated;         /* T_CLASS */
	uint32_t from, to;    /* T_CLASS: the class body in the pattern */
} token;

/* Patterns up to this long compile into stack buffers. */
#define SMALL 256

static void push(token *t, size_t *n, unsigned char type, unsigned char c)
{
	memset(&t[*n], 0, sizeof(t[*n]));
	t[*n].type = type;
	t[*n].c = c;
	(*n)++;
}

/* Tokens of pattern[start, end); `t` has room for end - start + 3. */
static size_t compile(token *t, const char *pattern, size_t start, size_t end, bool anchored)
{
	size_t n = 0, i = start, j, k;

	/* An unanchored pattern is "**" "/" pattern. */
	if (!anchored) {
		push(t, &n, T_OPT, 0);
		push(t, &n, T_ANYALL, 0);
		push(t, &n, T_LIT, '/');
	}
	while (i < end) {
		unsigned char c = (unsigned char)pattern[i];

		if (c == '\\' && i + 1 < end) {
			push(t, &n, T_LIT, (unsigned char)pattern[i + 1]);
			i += 2;
		} else if (c == '?') {
			push(t, &n, T_ANY, 0);
			i++;
		} else if (c == '[') {
			j = i + 1;
			if (j < end && (pattern[j] == '!' || pattern[j] == '^'))
				j++;
			k = j;
			if (k < end && pattern[k] == ']')
				k++; /* a leading ']' is a member, not the end */
			while (k < end && pattern[k] != ']')
				k += pattern[k] == '\\' && k + 1 < end ? 2 : 1;
			if (k >= end) {
				push(t, &n, T_LIT, '['); /* unterminated: a literal '[' */
				i++;
				continue;
			}
			push(t, &n, T_CLASS, 0);
			t[n - 1].negated = j > i + 1;
			t[n - 1].from = (uint32_t)j;
			t[n - 1].to = (uint32_t)k;
			i = k + 1;
		} else if (c == '*') {
			bool at_start, slash_after;

			for (k = i; k < end && pattern[k] == '*'; k++)
				;
			at_start = i == start || pattern[i - 1] == '/';
			slash_after = k < end && pattern[k] == '/';
			if (k - i >= 2 && at_start && slash_after) {
				push(t, &n, T_OPT, 0);
				push(t, &n, T_ANYALL, 0);
				push(t, &n, T_LIT, '/');
				k++;
			} else if (k - i >= 2 && at_start && k == end) {
				push(t, &n, T_ANYALL, 0);
			} else {
				push(t, &n, T_STAR, 0); /* "a**b" is "a*b", as in git */
			}
			i = k;
		} else {
			push(t, &n, T_LIT, c);
			i++;
		}
	}
	return n;
}

static bool class_has(const char *pattern, const token *t, unsigned char c)
{
	size_t i = t->from;
	bool in = false;

	while (i < t->to && !in) {
		unsigned char lo = (unsigned char)pattern[i], hi;

		if (lo == '\\' && i + 1 < t->to)
			lo = (unsigned char)pattern[++i];
		hi = lo;
		if (i + 2 < t->to && pattern[i + 1] == '-') {
			hi = (unsigned char)pattern[i + 2];
			if (hi == '\\' && i + 3 < t->to)
				hi = (unsigned char)pattern[++i + 2];
			i += 2;
		}
		in = lo <= c && c <= hi;
		i++;
	}
	return in != t->negated;
}

/* Add the states reachable without reading a byte. Every such move goes
 * forward, so one ascending pass reaches the fixpoint. */
static void closure(unsigned char *s, const token *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!s[i])
			continue;
		if (t[i].type == T_STAR || t[i].type == T_ANYALL)
			s[i + 1] = 1;
		else if (t[i].type == T_OPT)
			s[i + 1] = s[i + 3] = 1;
	}
}

/* Read byte c: states in `cur` move into `next`. @return whether any is live */
static bool step(unsigned char *next, const unsigned char *cur, const token *t, size_t n,
	const char *pattern, unsigned char c)
{
	bool live = false;
	size_t i;

	memset(next, 0, n + 1);
	for (i = 0; i < n; i++) {
		if (!cur[i])
			continue;
		switch (t[i].type) {
		case T_LIT:
			if (c == t[i].c)
				next[i + 1] = 1;
			break;
		case T_ANY:
			if (c != '/')
				next[i + 1] = 1;
			break;
		case T_CLASS:
			if (c != '/' && class_has(pattern, &t[i], c))
				next[i + 1] = 1;
			break;
		case T_STAR:
			if (c != '/')
				next[i] = 1;
			break;
		case T_ANYALL:
			next[i] = 1;
			break;
		default:
			break;
		}
	}
	closure(next, t, n);
	for (i = 0; i <= n && !live; i++)
		live = next[i];
	return live;
}

bool wm_glob_match(const char *pattern, const char *path)
{
	token small_tokens[SMALL + 3];
	unsigned char small_states[2 * (SMALL + 4)];
	token *t = small_tokens;
	unsigned char *states = small_states, *cur, *next, *swap;
	size_t start = 0, end, plen, ntok, i;
	bool dir_only = false, path_is_dir = false, anchored, matched = false;

	if (!pattern || !path)
		return false;
	end = strlen(pattern);
	plen = strlen(path);
	while (start < end && pattern[start] == '/')
		start++;
	if (end > start && pattern[end - 1] == '/') {
		dir_only = true;
		while (end > start && pattern[end - 1] == '/')
			end--;
	}
	if (plen && path[plen - 1] == '/') {
		path_is_dir = true;
		plen--;
	}
	if (start == end || plen == 0)
		return false;
	anchored = start > 0 || memchr(pattern + start, '/', end - start) != NULL;

	if (end - start > SMALL) {
		t = wm_calloc(end - start + 3, sizeof(*t));
		states = wm_calloc(2, end - start + 4);
		if (!t || !states)
			goto done;
	}
	cur = states;
	ntok = compile(t, pattern, start, end, anchored);
	next = cur + ntok + 1;
	memset(cur, 0, ntok + 1);
	cur[0] = 1;
	closure(cur, t, ntok);

	for (i = 0; i < plen; i++) {
		/* The path so far names a directory: a match covers what is below. */
		if (path[i] == '/' && cur[ntok]) {
			matched = true;
			goto done;
		}
		if (!step(next, cur, t, ntok, pattern, (unsigned char)path[i]))
			goto done;
		swap = cur;
		cur = next;
		next = swap;
	}
	matched = cur[ntok] && (!dir_only || path_is_dir);

done:
	if (t != small_tokens) {
		wm_free(t);
		wm_free(states);
	}
	return matched;
}
