/*
 * imports_native.c - imports of C and C++ (#include), Go (import specs)
 * and Rust (`mod x;`, `use`, `extern crate`): extraction, resolution
 * against the world index, and findings.
 *
 * Extraction is a lexical scan, not a tree walk. Includes are
 * preprocessor lines that no C grammar sees whole (an #include inside an
 * #ifdef is still an include), Go imports are a header of string
 * literals, and what Rust needs is a few keywords at known positions; a
 * scan that skips comments and string literals finds all of them without
 * a parse, which keeps checking the dependents of a rename cheap.
 *
 * Resolution follows each toolchain, but only as far as the repository
 * can tell: a quoted include resolves next to the includer, then in
 * `imports.include_dirs`, then in the -I/-iquote directories of a
 * compile_commands.json at the root. A file of that relative path
 * elsewhere in the repository is not a resolution (the compiler would not
 * find it either) but names the likely fix. Go imports under a module
 * path of a go.mod must name a directory with .go files; others must be
 * the standard library (first path element without a dot) or required by
 * a go.mod. Rust `mod x;` needs x.rs or x/mod.rs in the declaring file's
 * module directory, and the first segment of a `use` path must be a crate
 * some Cargo.toml declares, a sysroot crate, or a name of the file.
 *
 * An edge that resolves is matched against dna.contracts with the path it
 * resolves to: the header, one file of the Go package, the Rust module
 * file. The call sites are the places where resolution succeeds.
 */
#include <string.h>
#include <jansson.h>

#include "imports.h"

bool imp_native_lang(wm_lang lang)
{
	return lang == WM_LANG_C || lang == WM_LANG_CPP || lang == WM_LANG_GO || lang == WM_LANG_RUST;
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || (unsigned char)c >= 0x80;
}

static int push(imp_info *info, int kind, const char *mod, size_t ml, uint32_t start,
	uint32_t end, uint32_t ms, uint32_t me, unsigned level)
{
	imp_stmt *s;
	int error;

	if ((error = imp_info_push(&s, info)) < 0)
		return error;
	s->kind = kind;
	s->level = level;
	s->start = start;
	s->end = end;
	s->mod_start = ms;
	s->mod_end = me;
	if (!(s->module = wm_strndup(mod, ml)))
		return WM_ENOMEM;
	return 0;
}

/* --- C and C++ ----------------------------------------------------------- */

static int extract_c(imp_info *info, const char *d, size_t size)
{
	size_t i = 0;
	bool comment = false;
	int error = 0;

	while (i < size && !error) {
		size_t line = i, eol = i, j;

		while (eol < size && d[eol] != '\n')
			eol++;
		j = line;
		/* a block comment left open by an earlier line hides this one's start */
		if (comment) {
			while (j + 1 < eol && !(d[j] == '*' && d[j + 1] == '/'))
				j++;
			if (j + 1 >= eol)
				goto next;
			comment = false;
			j += 2;
		}
		while (j < eol && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (j < eol && d[j] == '#') {
			j++;
			while (j < eol && (d[j] == ' ' || d[j] == '\t'))
				j++;
			if (eol - j > 7 && !memcmp(d + j, "include", 7) && !is_ident(d[j + 7])) {
				char close;
				size_t a, b;

				j += 7;
				while (j < eol && (d[j] == ' ' || d[j] == '\t'))
					j++;
				if (j < eol && (d[j] == '"' || d[j] == '<')) {
					close = d[j] == '"' ? '"' : '>';
					a = b = j + 1;
					while (b < eol && d[b] != close)
						b++;
					if (b < eol && b > a)
						error = push(info, IMP_INCLUDE, d + a, b - a, (uint32_t)line,
							(uint32_t)(b + 1), (uint32_t)a, (uint32_t)b, close == '"');
				}
			}
		}
		/* does this line leave a block comment open? (strings aside) */
		for (; j + 1 < eol; j++) {
			if (!comment && d[j] == '/' && d[j + 1] == '/')
				break;
			if (!comment && d[j] == '/' && d[j + 1] == '*') {
				comment = true;
				j++;
			} else if (comment && d[j] == '*' && d[j + 1] == '/') {
				comment = false;
				j++;
			}
		}
next:
		i = eol + 1;
	}
	return error;
}

/* --- Go ------------------------------------------------------------------ */

/* Import specs sit between the package clause and the first declaration. */
static int extract_go(imp_info *info, const char *d, size_t size)
{
	size_t i = 0;
	bool block = false;
	int error = 0;

	while (i < size && !error) {
		size_t line = i, eol = i, j = i, a, b;

		while (eol < size && d[eol] != '\n')
			eol++;
		while (j < eol && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (!block) {
			/* d[eol] may be past the end: `import` alone on the last line is whole */
			if (eol - j >= 6 && !memcmp(d + j, "import", 6) && (eol - j == 6 || !is_ident(d[j + 6]))) {
				j += 6;
				while (j < eol && (d[j] == ' ' || d[j] == '\t'))
					j++;
				if (j < eol && d[j] == '(') {
					block = true;
					j++;
				}
			} else if ((eol - j >= 5 && (!memcmp(d + j, "func ", 5) || !memcmp(d + j, "type ", 5))) ||
			    (eol - j >= 4 && !memcmp(d + j, "var ", 4)) ||
			    (eol - j >= 6 && !memcmp(d + j, "const ", 6))) {
				break;
			} else {
				goto next;
			}
		}
		/* [name] "path" [// comment] or `)` */
		while (j < eol && d[j] != '"' && d[j] != '`' && d[j] != ')' && d[j] != '/')
			j++;
		if (j < eol && d[j] == ')') {
			block = false;
			goto next;
		}
		if (j >= eol || d[j] == '/')
			goto next;
		a = b = j + 1;
		while (b < eol && d[b] != d[j])
			b++;
		if (b < eol && b > a)
			error = push(info, IMP_GO, d + a, b - a, (uint32_t)line, (uint32_t)(b + 1),
				(uint32_t)a, (uint32_t)b, 0);
		if (!error && b < eol && memchr(d + b, ')', eol - b))
			block = false;
next:
		i = eol + 1;
	}
	return error;
}

/* --- Rust ---------------------------------------------------------------- */

struct rlex {
	const char *d;
	size_t size, i;
};

/* Skip whitespace, comments, string and char literals; false at the end. */
static bool rskip(struct rlex *x)
{
	const char *d = x->d;

	while (x->i < x->size) {
		char c = d[x->i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			x->i++;
		} else if (c == '/' && x->i + 1 < x->size && d[x->i + 1] == '/') {
			while (x->i < x->size && d[x->i] != '\n')
				x->i++;
		} else if (c == '/' && x->i + 1 < x->size && d[x->i + 1] == '*') {
			int depth = 1;

			x->i += 2;
			while (x->i + 1 < x->size && depth) {
				if (d[x->i] == '/' && d[x->i + 1] == '*')
					depth++, x->i += 2;
				else if (d[x->i] == '*' && d[x->i + 1] == '/')
					depth--, x->i += 2;
				else
					x->i++;
			}
			if (depth)
				x->i = x->size;
		} else if (c == '"' || ((c == 'b' || c == 'c') && x->i + 1 < x->size && d[x->i + 1] == '"' &&
		    (x->i == 0 || !is_ident(d[x->i - 1])))) {
			x->i += c == '"' ? 1 : 2;
			while (x->i < x->size && d[x->i] != '"')
				x->i += d[x->i] == '\\' ? 2 : 1;
			x->i++;
		} else if ((c == 'r' || (c == 'b' && x->i + 1 < x->size && d[x->i + 1] == 'r')) &&
		    (x->i == 0 || !is_ident(d[x->i - 1]))) {
			/* raw strings r"..." r#"..."#, or just an identifier starting with r */
			size_t j = x->i + (c == 'b' ? 2 : 1), hashes = 0, k;

			while (j < x->size && d[j] == '#')
				hashes++, j++;
			if (j >= x->size || d[j] != '"')
				return true;
			for (j++; j < x->size; j++) {
				if (d[j] != '"')
					continue;
				for (k = 0; k < hashes && j + 1 + k < x->size && d[j + 1 + k] == '#'; k++)
					;
				if (k == hashes)
					break;
			}
			x->i = j + 1 + hashes;
		} else if (c == '\'') {
			/* 'c', '\n', '\u{..}' are chars; 'a is a lifetime */
			size_t j = x->i + 1;

			if (j < x->size && d[j] == '\\') {
				j += 2;
				while (j < x->size && d[j] != '\'' && d[j] != '\n')
					j++;
				x->i = j + 1;
			} else {
				j++;
				while (j < x->size && ((unsigned char)d[j] & 0xC0) == 0x80)
					j++;
				x->i = j < x->size && d[j] == '\'' ? j + 1 : x->i + 1;
			}
		} else {
			return true;
		}
	}
	return false;
}

static bool rword(struct rlex *x, const char *w)
{
	size_t n = strlen(w);

	return x->i + n <= x->size && !memcmp(x->d + x->i, w, n) &&
		(x->i + n == x->size || !is_ident(x->d[x->i + n])) && (x->i == 0 || !is_ident(x->d[x->i - 1]));
}

/* The identifier at the cursor (raw r#x included), moving past it. */
static size_t rident(struct rlex *x, size_t *start)
{
	if (x->i + 2 < x->size && x->d[x->i] == 'r' && x->d[x->i + 1] == '#')
		x->i += 2;
	*start = x->i;
	while (x->i < x->size && is_ident(x->d[x->i]))
		x->i++;
	return x->i - *start;
}

#define RMAX_DEPTH 32

/* What a brace opened: its body's items belong to a module only for RB_MOD and RB_EXTERN. */
enum { RB_OTHER, RB_MOD, RB_EXTERN };

/*
 * The state of a Rust scan: the braces around the cursor, the inline
 * modules they open, and what the last tokens said about the next item.
 */
struct rstate {
	imp_info *info;
	const char *d;
	size_t size;
	unsigned char brace[RMAX_DEPTH];
	int depth;
	size_t mod_at[RMAX_DEPTH], mod_len[RMAX_DEPTH];
	int mod_depth[RMAX_DEPTH];
	size_t nmods;
	int pending;          /**< RB_* of the next `{` */
	bool item_start;      /**< the cursor may start an item (after ; { } or an attribute) */
	bool export;          /**< #[macro_export] seen for the next item */
	size_t vis_at, vis_next;   /**< `pub(...)` bytes, and where the item after it starts */
	wm_buf scope;
};

/*
 * Whether items at the cursor are items of a module: no brace between
 * the cursor and the innermost inline module (or the file) but extern
 * blocks, whose functions and statics are the module's.
 */
static bool rmodule_level(const struct rstate *st)
{
	int k;

	if (st->depth > RMAX_DEPTH)
		return false;
	for (k = st->depth; k > 0 && st->brace[k - 1] != RB_MOD; k--)
		if (st->brace[k - 1] != RB_EXTERN)
			return false;
	return true;
}

/* The inline modules around the cursor, "a/b", or NULL at the file's top. */
static const char *rscope(struct rstate *st)
{
	size_t k;

	if (!st->nmods)
		return NULL;
	wm_buf_clear(&st->scope);
	for (k = 0; k < st->nmods; k++)
		wm_buf_printf(&st->scope, "%s%.*s", k ? "/" : "", (int)st->mod_len[k], st->d + st->mod_at[k]);
	return st->scope.ptr ? st->scope.ptr : "";
}

/* A name of the current module (IMP_RUST_ITEM); only at module level. */
static int ritem(struct rstate *st, size_t a, size_t n, unsigned level)
{
	const char *scope;
	imp_stmt *s;
	int error;

	if (!rmodule_level(st))
		return 0;
	scope = rscope(st);
	if (st->nmods && !st->scope.ptr)
		return WM_ENOMEM;
	if ((error = push(st->info, IMP_RUST_ITEM, level == IMP_RUST_ITEM_ANY ? "*" : st->d + a,
			level == IMP_RUST_ITEM_ANY ? 1 : n, (uint32_t)a, (uint32_t)(a + n), (uint32_t)a,
			(uint32_t)(a + n), level)) < 0)
		return error;
	s = &st->info->imports[st->info->nimports - 1];
	if (scope && !(s->alias = wm_strdup(scope)))
		return WM_ENOMEM;
	return 0;
}

#define RMAX_SEGS 32

struct rseg {
	size_t a, n;
};

/* One leaf of a use tree: a path of segments, maybe renamed, maybe a glob. */
static int ruse_leaf(struct rstate *st, const struct rseg *segs, size_t nsegs, unsigned level,
	uint32_t start, size_t alias, size_t alen, bool star)
{
	const char *scope;
	wm_buf path = WM_BUF_INIT;
	imp_stmt *s;
	size_t k;
	int error;

	if (!nsegs)
		return 0;
	for (k = 0; k < nsegs; k++)
		wm_buf_printf(&path, "%s%.*s", k ? "::" : "", (int)segs[k].n, st->d + segs[k].a);
	if (!path.ptr)
		return WM_ENOMEM;
	error = push(st->info, IMP_RUST_PATH, path.ptr, path.size, start,
		(uint32_t)(segs[nsegs - 1].a + segs[nsegs - 1].n), (uint32_t)segs[0].a,
		(uint32_t)(segs[nsegs - 1].a + segs[nsegs - 1].n), level);
	wm_buf_dispose(&path);
	if (error < 0)
		return error;
	s = &st->info->imports[st->info->nimports - 1];
	s->star = star;
	s->guard = rmodule_level(st) ? 0 : IMP_GUARD_FUNCTION;
	scope = rscope(st);
	if ((st->nmods && !scope) || (scope && !(s->alias = wm_strdup(scope))))
		return WM_ENOMEM;
	for (k = 0; k < nsegs && !error; k++)
		error = imp_stmt_name(s, st->d + segs[k].a, segs[k].n, k + 1 == nsegs && alen ? st->d + alias : NULL,
			alen, (uint32_t)segs[k].a, (uint32_t)(segs[k].a + segs[k].n));
	return error;
}

/*
 * A use tree at the cursor (`a::b`, `a::b as c`, `a::*`, `a::{b, c::d}`),
 * after the segments already read. Returns 1 when the tree is not one we
 * understand (a macro's `$crate`, hostile input); the caller then skips
 * the statement as before.
 */
static int ruse_tree(struct rstate *st, struct rlex *x, struct rseg *segs, size_t nsegs,
	unsigned level, uint32_t start, int nest)
{
	const char *d = st->d;
	size_t a, n;
	int error;

	if (nest > RMAX_DEPTH)
		return 1;
	for (;;) {
		if (!rskip(x))
			return 1;
		if (d[x->i] == '*') {
			x->i++;
			return ruse_leaf(st, segs, nsegs, level, start, 0, 0, true);
		}
		if (d[x->i] == '{') {
			x->i++;
			for (;;) {
				if (!rskip(x))
					return 1;
				if (d[x->i] == '}') {
					x->i++;
					return 0;
				}
				if ((error = ruse_tree(st, x, segs, nsegs, level, start, nest + 1)) != 0)
					return error;
				if (!rskip(x))
					return 1;
				if (d[x->i] == ',')
					x->i++;
				else if (d[x->i] != '}')
					return 1;
			}
		}
		if (!is_ident(d[x->i]) || nsegs == RMAX_SEGS || !(n = rident(x, &a)))
			return 1;
		segs[nsegs].a = a;
		segs[nsegs++].n = n;
		if (!rskip(x))
			return 1;
		if (d[x->i] == ':' && x->i + 1 < st->size && d[x->i + 1] == ':') {
			x->i += 2;
			continue;
		}
		if (rword(x, "as")) {
			size_t b, bn;

			x->i += 2;
			if (!rskip(x))
				return 1;
			if (d[x->i] == '_' && (x->i + 1 >= st->size || !is_ident(d[x->i + 1]))) {
				b = x->i++;
				bn = 1;
			} else if (!(bn = rident(x, &b))) {
				return 1;
			}
			return ruse_leaf(st, segs, nsegs, level, start, b, bn, false);
		}
		return ruse_leaf(st, segs, nsegs, level, start, 0, 0, false);
	}
}

static int extract_rust(imp_info *info, const char *d, size_t size)
{
	static const char *const items[] = { "fn", "struct", "enum", "trait", "type", "union",
		"const", "static", "macro_rules" };
	struct rstate st;
	struct rlex x = { d, size, 0 };
	size_t path_a = 0, path_b = 0;
	bool has_path = false;
	wm_buf mod = WM_BUF_INIT;
	int error = 0;

	memset(&st, 0, sizeof(st));
	st.info = info;
	st.d = d;
	st.size = size;
	st.item_start = true;
	st.vis_next = SIZE_MAX;
	while (!error && rskip(&x)) {
		char c = d[x.i];
		size_t k, a, n;
		bool item_start = st.item_start;

		st.item_start = false;
		if (c == '{') {
			if (st.depth < RMAX_DEPTH)
				st.brace[st.depth] = (unsigned char)st.pending;
			st.depth++;
			x.i++;
			has_path = false;
			st.pending = RB_OTHER;
			st.item_start = true;
			st.export = false;
		} else if (c == '}') {
			/* unbalanced input must not take the depth below the file */
			if (st.depth > 0)
				st.depth--;
			x.i++;
			while (st.nmods && st.mod_depth[st.nmods - 1] > st.depth)
				st.nmods--;
			has_path = false;
			st.item_start = true;
			st.export = false;
		} else if (c == ';') {
			x.i++;
			has_path = false;
			st.pending = RB_OTHER;
			st.item_start = true;
			st.export = false;
		} else if (c == '#' && x.i + 1 < size && d[x.i + 1] == '[') {
			/* #[path = "x.rs"] */
			x.i += 2;
			st.item_start = true;
			if (rskip(&x) && rword(&x, "macro_export")) {
				st.export = true;
			} else if (rskip(&x) && rword(&x, "cfg_attr")) {
				/* #[cfg_attr(cond, path = "..")]: which file depends on the build */
				size_t e = x.i;

				while (e < size && d[e] != ']' && d[e] != '\n')
					e++;
				for (k = x.i; k + 4 < e; k++)
					if (!memcmp(d + k, "path", 4) && !is_ident(d[k + 4]) && !is_ident(d[k - 1])) {
						path_a = path_b = k;
						has_path = true;
					}
			} else if (rskip(&x) && rword(&x, "path")) {
				x.i += 4;
				if (rskip(&x) && d[x.i] == '=') {
					/* not rskip: it would skip the string we want */
					for (x.i++; x.i < size && (d[x.i] == ' ' || d[x.i] == '\t'); x.i++)
						;
					if (x.i < size && d[x.i] == '"') {
						path_a = x.i + 1;
						for (path_b = path_a; path_b < size && d[path_b] != '"'; path_b++)
							;
						has_path = true;
					}
				}
			}
			/* the attribute's own tokens are skipped like any others; `]` keeps item_start */
		} else if (c == ']') {
			x.i++;
			st.item_start = true;
		} else if (rword(&x, "pub")) {
			/* `pub`, `pub(crate)`, `pub(in a::b)`: a fix may insert an attribute before it */
			st.vis_at = x.i;
			x.i += 3;
			if (rskip(&x) && d[x.i] == '(') {
				size_t e = x.i;

				while (e < size && d[e] != ')' && d[e] != ';' && d[e] != '{')
					e++;
				if (e < size && d[e] == ')')
					x.i = e + 1;
			}
			if (rskip(&x))
				st.vis_next = x.i;
			st.item_start = item_start;
		} else if (rword(&x, "mod")) {
			uint32_t start = (uint32_t)(st.vis_next == x.i ? st.vis_at : x.i);

			x.i += 3;
			if (!rskip(&x) || !(n = rident(&x, &a)) || !rskip(&x))
				continue;
			if ((error = imp_info_def(info, d + a, n)) < 0)
				break;
			if (d[x.i] == '{') {
				if ((error = ritem(&st, a, n, IMP_RUST_ITEM_MOD)) < 0)
					break;
				if (st.nmods < RMAX_DEPTH) {
					st.mod_at[st.nmods] = a;
					st.mod_len[st.nmods] = n;
					st.mod_depth[st.nmods++] = st.depth + 1;
				}
				st.pending = RB_MOD;
				continue;   /* the brace itself is counted above */
			}
			if (d[x.i] != ';')
				continue;
			wm_buf_clear(&mod);
			for (k = 0; k < st.nmods; k++)
				wm_buf_printf(&mod, "%.*s/", (int)st.mod_len[k], d + st.mod_at[k]);
			wm_buf_put(&mod, d + a, n);
			if (!mod.ptr)
				return WM_ENOMEM;
			if ((error = push(info, IMP_RUST_MOD, mod.ptr, mod.size, start, (uint32_t)x.i + 1,
					(uint32_t)a, (uint32_t)(a + n), 0)) < 0)
				break;
			if (has_path) {
				imp_stmt *s = &info->imports[info->nimports - 1];

				/* the literal's bytes, so that a fix can rewrite it */
				if (!(s->alias = wm_strndup(d + path_a, path_b - path_a)) ||
				    (path_b > path_a && (error = imp_stmt_name(s, d + path_a, path_b - path_a, NULL, 0,
						(uint32_t)path_a, (uint32_t)path_b)) < 0))
					error = error < 0 ? error : WM_ENOMEM;
			}
			has_path = false;
		} else if (rword(&x, "use") || rword(&x, "extern")) {
			bool ext = d[x.i] == 'e';
			uint32_t start = (uint32_t)x.i;
			unsigned level = 0;

			x.i += ext ? 6 : 3;
			if (ext) {
				if (!rskip(&x))
					break;
				if (!rword(&x, "crate")) {
					/* extern "C" { fn f(); }: its items are the module's */
					if (d[x.i] == '{')
						st.pending = RB_EXTERN;
					continue;
				}
				x.i += 5;
			}
			if (!rskip(&x))
				break;
			if (d[x.i] == ':' && x.i + 1 < size && d[x.i + 1] == ':') {
				x.i += 2;
				level = 1;
				if (!rskip(&x))
					break;
			}
			if (!ext) {
				/* every leaf of the tree, for path resolution; then the old pass from here */
				struct rlex y = x;
				struct rseg segs[RMAX_SEGS];

				if ((error = ruse_tree(&st, &y, segs, 0, level, start, 0)) < 0)
					break;
				error = 0;
			}
			if (!(n = rident(&x, &a)))
				continue;
			if (!(n == 5 && !memcmp(d + a, "crate", 5)) && !(n == 4 && !memcmp(d + a, "self", 4)) &&
			    !(n == 5 && !memcmp(d + a, "super", 5)) && !(n == 4 && !memcmp(d + a, "Self", 4)) &&
			    (error = push(info, IMP_RUST_USE, d + a, n, start, (uint32_t)(a + n), (uint32_t)a,
					(uint32_t)(a + n), ext)) < 0)
				break;
			if (ext) {
				struct rlex y = x;
				size_t b, bn;

				if ((error = imp_info_def(info, d + a, n)) < 0)
					break;
				/* `extern crate a as b;` binds b */
				if (rskip(&y) && rword(&y, "as") && (y.i += 2, rskip(&y)) && (bn = rident(&y, &b)) > 0)
					error = ritem(&st, b, bn, IMP_RUST_ITEM_EXTERN);
				else
					error = ritem(&st, a, n, IMP_RUST_ITEM_EXTERN);
				if (error < 0)
					break;
			}
			/* every name the statement binds may start another use path */
			{
				int group = 0;   /* braces of `use a::{b, c::{d}}` are not blocks */

				while (!error && rskip(&x) && !(group == 0 && (d[x.i] == ';' || d[x.i] == '}'))) {
					if (is_ident(d[x.i])) {
						n = rident(&x, &a);
						if (!n)
							x.i++;
						else
							error = imp_info_def(info, d + a, n);
						continue;
					}
					if (d[x.i] == '*')
						info->dynamic = true;   /* a glob import binds unknown names */
					group += d[x.i] == '{' ? 1 : d[x.i] == '}' ? -1 : 0;
					x.i++;
				}
			}
		} else if (is_ident(c)) {
			size_t at = x.i;

			for (k = 0; k < sizeof(items) / sizeof(items[0]); k++)
				if (rword(&x, items[k]))
					break;
			n = rident(&x, &a);
			if (!n)
				x.i++;
			if (k == sizeof(items) / sizeof(items[0])) {
				/*
				 * An item macro may define any name (serde's crate_root!(),
				 * include!(...)): the module's names are unknown. Only at the
				 * start of an item: `const X: T = concat!(..)` defines X alone.
				 */
				if (n && item_start && rskip(&x) && d[x.i] == '!' &&
				    (x.i + 1 >= size || d[x.i + 1] != '=')) {
					if (st.depth == 0)
						info->dynamic = true;
					if ((error = ritem(&st, at, 0, IMP_RUST_ITEM_ANY)) < 0)
						break;
				}
				/* `unsafe`, `async`, `extern "C"` before fn keep the item's start */
				if ((n == 6 && !memcmp(d + a, "unsafe", 6)) || (n == 5 && !memcmp(d + a, "async", 5)) ||
				    (n == 4 && !memcmp(d + a, "impl", 4)) || (n == 4 && !memcmp(d + a, "auto", 4)) ||
				    (n == 7 && !memcmp(d + a, "default", 7)))
					st.item_start = item_start;
				continue;
			}
			if (!rskip(&x))
				continue;
			if (d[x.i] == '!')
				x.i++;
			if (!rskip(&x))
				continue;
			/* `const fn f`, `const unsafe fn`: the fn is the item; `static mut X` */
			if ((k == 6 || k == 7) && (rword(&x, "fn") || rword(&x, "unsafe") || rword(&x, "async") ||
			    rword(&x, "extern"))) {
				st.item_start = true;
				continue;
			}
			if (k == 7 && rword(&x, "mut")) {
				x.i += 3;
				if (!rskip(&x))
					continue;
			}
			if ((n = rident(&x, &a)) > 0 && !(n == 1 && d[a] == '_')) {
				error = imp_info_def(info, d + a, n);
				if (!error)
					error = ritem(&st, a, n, k == 8 ? (st.export ? IMP_RUST_ITEM_EXPORT : IMP_RUST_ITEM_MACRO)
						: IMP_RUST_ITEM_PLAIN);
			}
			st.export = false;
		} else {
			x.i++;
		}
	}
	wm_buf_dispose(&mod);
	wm_buf_dispose(&st.scope);
	return error;
}

int imp_native_extract(imp_info **out, wm_lang lang, const char *path, const char *data, size_t size)
{
	imp_info *info;
	int error;

	(void)path;
	*out = NULL;
	if (!(info = wm_calloc(1, sizeof(*info))))
		return WM_ENOMEM;
	info->lang = lang;
	if (lang == WM_LANG_GO)
		error = extract_go(info, data, size);
	else if (lang == WM_LANG_RUST)
		error = extract_rust(info, data, size);
	else
		error = extract_c(info, data, size);
	if (error < 0) {
		imp_info_free(info);
		return error;
	}
	imp_info_finish(info);
	*out = info;
	return 0;
}

/* --- what the repository declares ---------------------------------------- */

static int add_inc(imp_index *idx, const char *dir, size_t len)
{
	char **grown;
	size_t i;

	while (len > 0 && dir[len - 1] == '/')
		len--;
	if (len >= 2 && dir[0] == '.' && dir[1] == '/')
		dir += 2, len -= 2;
	if (len == 1 && dir[0] == '.')
		len = 0;
	for (i = 0; i < idx->ninc; i++)
		if (strlen(idx->inc_dirs[i]) == len && !strncmp(idx->inc_dirs[i], dir, len))
			return 0;
	if (!(grown = wm_reallocarray(idx->inc_dirs, idx->ninc + 1, sizeof(*grown))))
		return WM_ENOMEM;
	idx->inc_dirs = grown;
	if (!(idx->inc_dirs[idx->ninc] = wm_strndup(dir, len)))
		return WM_ENOMEM;
	idx->ninc++;
	return 0;
}

/*
 * compile_commands.json holds absolute paths. The repository's root is
 * what is left of an entry's "file" once a world path is taken off its
 * end; -I directories below that root become repository paths.
 */
static int load_compile_commands(imp_index *idx)
{
	wm_blob blob = WM_BLOB_INIT;
	json_t *root = NULL, *e;
	json_error_t jerr;
	wm_buf top = WM_BUF_INIT, words = WM_BUF_INIT, abs = WM_BUF_INIT, rel = WM_BUF_INIT;
	size_t i, k;
	int error = 0;

	if (!imp_index_file(idx, "compile_commands.json") ||
	    wm_world_read(&blob, idx->world, "compile_commands.json") < 0)
		return 0;
	if (!(root = json_loadb(blob.data, blob.size, 0, &jerr)) || !json_is_array(root))
		goto done;
	json_array_foreach(root, i, e) {
		const char *file = json_string_value(json_object_get(e, "file")), *s;

		if (!file || file[0] != '/' || top.size)
			continue;
		for (s = file + 1; *s; s++)
			if (s[-1] == '/' && imp_index_file(idx, s)) {
				wm_buf_put(&top, file, (size_t)(s - file));
				break;
			}
	}
	if (!top.ptr)
		goto done;
	json_array_foreach(root, i, e) {
		json_t *args = json_object_get(e, "arguments"), *a;
		const char *cmd = json_string_value(json_object_get(e, "command"));
		const char *dir = json_string_value(json_object_get(e, "directory"));
		char *w, *nl;
		bool want = false;

		/* "arguments", or "command" split at blanks (quoting is rare in -I) */
		wm_buf_clear(&words);
		if (json_is_array(args)) {
			json_array_foreach(args, k, a)
				if (json_is_string(a))
					wm_buf_printf(&words, "%s\n", json_string_value(a));
		} else if (cmd) {
			for (; *cmd; cmd++)
				wm_buf_putc(&words, *cmd == ' ' || *cmd == '\t' ? '\n' : *cmd);
			wm_buf_putc(&words, '\n');
		}
		for (w = words.ptr; w && !error && (nl = strchr(w, '\n')); w = nl + 1) {
			const char *d = NULL;

			*nl = '\0';
			if (want)
				d = w, want = false;
			else if (!strcmp(w, "-I") || !strcmp(w, "-iquote") || !strcmp(w, "-isystem"))
				want = true;
			else if (!strncmp(w, "-I", 2))
				d = w + 2;
			if (!d || !*d)
				continue;
			wm_buf_clear(&abs);
			if (d[0] == '/')
				wm_buf_puts(&abs, d);
			else
				wm_buf_printf(&abs, "%s/%s", dir ? dir : "", d);
			if (!abs.ptr || strncmp(abs.ptr, top.ptr, top.size))
				continue;
			if (imp_normalise(&rel, "", abs.ptr + top.size, abs.size - top.size) && rel.ptr &&
			    imp_index_dir(idx, rel.ptr))
				error = add_inc(idx, rel.ptr, rel.size);
		}
		if (error < 0)
			break;
	}
done:
	json_decref(root);
	wm_buf_dispose(&top);
	wm_buf_dispose(&words);
	wm_buf_dispose(&abs);
	wm_buf_dispose(&rel);
	wm_blob_release(&blob);
	return error;
}

/*
 * A `replace` of go.mod or go.work: old [version] => new [version]. A new
 * that is a directory of the repository is where imports of old resolve
 * (the directory's own go.mod names it as a module); any other target (a
 * module version, a directory outside the repository) makes old a
 * requirement, which is all that can be checked.
 */
static int go_replace(imp_index *idx, const char *dir, const char *d, size_t j, size_t eol)
{
	wm_buf to = WM_BUF_INIT;
	size_t a, al, b;
	int error = 0;

	for (a = j; j < eol && d[j] != ' ' && d[j] != '\t'; j++)
		;
	al = j - a;
	while (j + 1 < eol && !(d[j] == '=' && d[j + 1] == '>'))
		j++;
	if (!al || j + 1 >= eol)
		return 0;
	for (j += 2; j < eol && (d[j] == ' ' || d[j] == '\t'); j++)
		;
	for (b = j; j < eol && d[j] != ' ' && d[j] != '\t' && d[j] != '\r'; j++)
		;
	if ((j - b >= 2 && d[b] == '.' && (d[b + 1] == '/' || (d[b + 1] == '.' && j - b >= 3 && d[b + 2] == '/'))) &&
	    imp_normalise(&to, dir, d + b, j - b) && to.ptr && imp_index_dir(idx, to.ptr)) {
		char *v = wm_strdup(to.ptr);

		if (!v || (error = imp_map_put(&idx->goreplace, d + a, al, v)) < 0) {
			wm_free(v);
			error = error < 0 ? error : WM_ENOMEM;
		}
	} else {
		error = imp_map_put(&idx->goreqs, d + a, al, (void *)1);
	}
	wm_buf_dispose(&to);
	return error;
}

/*
 * go.mod (`module`, `require`, `replace`) and go.work (`use`, `replace`),
 * one directive a line or in a `directive ( ... )` block.
 */
static int load_go_mod(imp_index *idx, const char *path, const char *d, size_t size)
{
	const char *slash = strrchr(path, '/');
	wm_buf dir = WM_BUF_INIT, p = WM_BUF_INIT;
	size_t i = 0;
	int block = 0;   /* 'r'equire, 'p' replace, 'u'se, 'o'ther */
	int error = 0;

	wm_buf_put(&dir, path, slash ? (size_t)(slash - path) : 0);
	wm_buf_puts(&dir, "");
	if (!dir.ptr)
		return WM_ENOMEM;
	while (i < size && !error) {
		size_t eol = i, j = i, a;
		int kind = 0;

		while (eol < size && d[eol] != '\n')
			eol++;
		while (j < eol && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (block && j < eol && d[j] == ')') {
			block = 0;
			goto next;
		}
		if (block) {
			kind = block;
		} else if (eol - j > 7 && !memcmp(d + j, "module ", 7)) {
			char *m;

			for (j += 7; j < eol && (d[j] == ' ' || d[j] == '"'); j++)
				;
			for (a = j; j < eol && d[j] != ' ' && d[j] != '"' && d[j] != '\r'; j++)
				;
			if (!(m = wm_strndup(d + a, j - a))) {
				error = WM_ENOMEM;
				break;
			}
			if ((error = imp_map_put(&idx->gomods, dir.ptr, dir.size, m)) < 0)
				wm_free(m);
			goto next;
		} else {
			static const char *const words[] = { "require", "replace", "use", "exclude", "retract",
				"godebug", "tool", "ignore" };
			size_t w, wl = 0;

			for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
				wl = strlen(words[w]);
				if (eol - j > wl && !memcmp(d + j, words[w], wl) && (d[j + wl] == ' ' ||
				    d[j + wl] == '\t' || d[j + wl] == '('))
					break;
			}
			if (w == sizeof(words) / sizeof(words[0]))
				goto next;
			kind = w == 0 ? 'r' : w == 1 ? 'p' : w == 2 ? 'u' : 'o';
			for (j += wl; j < eol && (d[j] == ' ' || d[j] == '\t'); j++)
				;
			if (j < eol && d[j] == '(') {
				block = kind;
				goto next;
			}
		}
		if (j >= eol || d[j] == '/')
			goto next;
		if (kind == 'r') {
			for (a = j; j < eol && d[j] != ' ' && d[j] != '\t'; j++)
				;
			if (j > a)
				error = imp_map_put(&idx->goreqs, d + a, j - a, (void *)1);
		} else if (kind == 'p') {
			error = go_replace(idx, dir.ptr, d, j, eol);
		} else if (kind == 'u') {
			/* a workspace module outside the repository: its module path is unknown */
			for (a = j; j < eol && d[j] != ' ' && d[j] != '\t' && d[j] != '\r' && d[j] != '/'; j++)
				;
			while (j < eol && d[j] != ' ' && d[j] != '\t' && d[j] != '\r')
				j++;
			wm_buf_clear(&p);
			if (!imp_normalise(&p, dir.ptr, d + a, j - a) || !p.ptr || !imp_map_has(&idx->gomods, p.ptr))
				idx->go_outside = true;
		}
next:
		i = eol + 1;
	}
	wm_buf_dispose(&dir);
	wm_buf_dispose(&p);
	return error;
}

static int put_crate(imp_index *idx, const char *s, size_t n)
{
	wm_buf b = WM_BUF_INIT;
	size_t i;
	int error;

	for (i = 0; i < n; i++)
		wm_buf_putc(&b, s[i] == '-' ? '_' : s[i]);
	if (!b.ptr)
		return WM_ENOMEM;
	error = imp_map_put(&idx->rustdeps, b.ptr, b.size, (void *)1);
	wm_buf_dispose(&b);
	return error;
}

/* Cargo.toml: keys of the dependency tables, and package and lib names. */
static int load_cargo(imp_index *idx, const char *d, size_t size)
{
	size_t i = 0;
	int section = 0;   /* 1: a dependency table, 2: [package] or [lib], 3: [dependencies.x] */
	int error = 0;

	while (i < size && !error) {
		size_t eol = i, j = i, a;

		while (eol < size && d[eol] != '\n')
			eol++;
		while (j < eol && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (j < eol && d[j] == '[') {
			const char *h = d + j;
			size_t hl = eol - j;

			section = 0;
			if ((hl >= 9 && !memcmp(h, "[package]", 9)) || (hl >= 5 && !memcmp(h, "[lib]", 5)))
				section = 2;
			/* [dependencies], [dev-dependencies.x], [target.'cfg(..)'.build-dependencies] */
			else
				for (a = 0; a + 12 <= hl; a++)
					if (!memcmp(h + a, "dependencies", 12)) {
						section = 1;
						if (a + 12 < hl && h[a + 12] == '.') {
							size_t b = a + 13, c = b;

							while (c < hl && h[c] != ']')
								c++;
							error = put_crate(idx, h + b, c - b);
							section = 3;
						}
						break;
					}
		} else if (section == 1 && j < eol && (is_ident(d[j]) || d[j] == '"')) {
			if (d[j] == '"')
				j++;
			for (a = j; j < eol && (is_ident(d[j]) || d[j] == '-'); j++)
				;
			error = put_crate(idx, d + a, j - a);
		} else if (section == 2 && eol - j > 4 && !memcmp(d + j, "name", 4)) {
			for (j += 4; j < eol && (d[j] == ' ' || d[j] == '=' || d[j] == '"'); j++)
				;
			for (a = j; j < eol && d[j] != '"'; j++)
				;
			error = put_crate(idx, d + a, j - a);
		}
		i = eol + 1;
	}
	return error;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Index paths by file name, so "did you mean" is not a scan of the world per include. */
static int by_base(imp_index *idx, const char *path, const char *base)
{
	void **v = imp_map_get(&idx->bybase, base, strlen(base));
	wm_buf list = WM_BUF_INIT;
	int error;

	if (v) {
		wm_buf_puts(&list, *v);
		wm_buf_putc(&list, '\n');
	}
	wm_buf_puts(&list, path);
	if (!list.ptr)
		return WM_ENOMEM;
	if (v) {
		wm_free(*v);
		*v = wm_buf_detach(&list);
		return 0;
	}
	if ((error = imp_map_put(&idx->bybase, base, strlen(base), list.ptr)) < 0)
		wm_buf_dispose(&list);
	return error;
}

static int native_load(imp_index *idx)
{
	const wm_config *cfg = wm_scan_config(idx->scan);
	const char *const *list;
	size_t n, i, count = wm_world_count(idx->world);
	int error = 0;

	if (idx->native_loaded)
		return 0;
	idx->native_loaded = true;
	list = wm_config_list(cfg, "imports.include_dirs", &n);
	for (i = 0; i < n && !error; i++)
		error = add_inc(idx, list[i], strlen(list[i]));
	if (error < 0 || (error = load_compile_commands(idx)) < 0)
		return error;
	for (i = 0; i < count && !error; i++) {
		const char *p = wm_world_entry(idx->world, i)->path, *slash = strrchr(p, '/');
		const char *b = slash ? slash + 1 : p;
		wm_blob blob = WM_BLOB_INIT;

		if ((error = by_base(idx, p, b)) < 0)
			break;
		if (ends_with(p, ".go")) {
			error = imp_map_put(&idx->godirs, p, slash ? (size_t)(slash - p) : 0, (void *)1);
			continue;
		}
		if (strcmp(b, "go.mod") && strcmp(b, "Cargo.toml"))
			continue;
		if (wm_world_read(&blob, idx->world, p) < 0)
			continue;
		if (!strcmp(b, "go.mod")) {
			error = load_go_mod(idx, p, blob.data, blob.size);
		} else {
			idx->cargo = true;
			error = load_cargo(idx, blob.data, blob.size);
		}
		wm_blob_release(&blob);
	}
	/* go.work names modules by directory, so it is read once every go.mod is */
	for (i = 0; i < count && !error; i++) {
		const char *p = wm_world_entry(idx->world, i)->path, *slash = strrchr(p, '/');
		wm_blob blob = WM_BLOB_INIT;

		if (strcmp(slash ? slash + 1 : p, "go.work") || wm_world_read(&blob, idx->world, p) < 0)
			continue;
		error = load_go_mod(idx, p, blob.data, blob.size);
		wm_blob_release(&blob);
	}
	return error;
}

/* --- checking ------------------------------------------------------------ */

/*
 * Whether a directory on the way to `path` is a symbolic link (a world
 * file): what lies behind it is not in the index, so nothing can be said.
 */
static bool behind_link(const imp_index *idx, const char *path)
{
	const char *s;

	for (s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
		if (imp_map_get(&idx->files, path, (size_t)(s - path)))
			return true;
	return false;
}

static bool exists(const imp_index *idx, const char *path)
{
	return imp_index_file(idx, path) || behind_link(idx, path);
}

static bool touches_changed(const imp_index *idx, const char *path)
{
	return imp_map_has(&idx->changed, path);
}

/*
 * dna.contracts on an edge that resolved to `target`. A dependent (a file
 * this run did not change) is checked only when the target changed, as
 * for Python: otherwise the edge is the same as before the change.
 */
static int contract(const imp_ctx *ctx, const imp_stmt *s, const char *target)
{
	if (!ctx->idx->ncontracts || (ctx->dependent && !touches_changed(ctx->idx, target)))
		return 0;
	return imp_contract_check(ctx, s, target, NULL);
}

static void dir_of(wm_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	wm_buf_clear(out);
	wm_buf_put(out, path, slash ? (size_t)(slash - path) : 0);
	wm_buf_puts(out, "");
}

/* Where a file of relative path `rel` exists anywhere in the repository. */
static bool somewhere(wm_buf *out, const imp_index *idx, const char *rel)
{
	const char *base = strrchr(rel, '/'), *k;
	size_t rl = strlen(rel);
	void **v;

	base = base ? base + 1 : rel;
	if (!(v = imp_map_get(&idx->bybase, base, strlen(base))))
		return false;
	for (k = *v; *k; ) {
		size_t kl = strcspn(k, "\n");

		if (kl > rl && k[kl - rl - 1] == '/' && !memcmp(k + kl - rl, rel, rl)) {
			wm_buf_clear(out);
			wm_buf_put(out, k, kl);
			wm_buf_puts(out, "");
			return out->ptr != NULL;
		}
		k += kl + (k[kl] == '\n');
	}
	return false;
}

static int check_include(const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	wm_buf dir = WM_BUF_INIT, p = WM_BUF_INIT, msg = WM_BUF_INIT, rep = WM_BUF_INIT;
	wm_buf from = WM_BUF_INIT;
	wm_fix fix = { NULL, NULL, 0 };
	wm_edit edit;
	const char *moved_to = NULL;
	bool touch = false, quoted = s->level == 1, other_dir = false;
	size_t i;
	int error = 0;

	if (!quoted && !wm_config_bool(wm_scan_config(ctx->scan), "imports.check_system_includes"))
		goto done;
	dir_of(&dir, ctx->path);
	/* candidates in the compiler's order: the includer's directory (quoted only), then -I */
	for (i = quoted ? 0 : 1; i <= idx->ninc; i++) {
		const char *base = i == 0 ? dir.ptr : idx->inc_dirs[i - 1];
		void **v;

		if (!imp_normalise(&p, base, s->module, strlen(s->module)))
			continue;
		if (exists(idx, p.ptr)) {
			error = contract(ctx, s, p.ptr);
			goto done;
		}
		if (touches_changed(idx, p.ptr))
			touch = true;
		if (!moved_to && (v = imp_map_get(&idx->moved, p.ptr, p.size)) && **(char **)v) {
			moved_to = *v;
			if ((error = wm_buf_puts(&from, p.ptr)) < 0)
				goto done;
		}
	}
	if (ctx->dependent && !touch)
		goto done;
	if (moved_to) {
		const char *ob = strrchr(s->module, '/'), *nb = strrchr(moved_to, '/');
		size_t keep = ob ? (size_t)(ob + 1 - s->module) : 0;

		nb = nb ? nb + 1 : moved_to;
		/*
		 * A rename within the directory the include resolved in (the
		 * includer's or an include directory) keeps the include's
		 * spelling of that directory.
		 */
		dir_of(&rep, moved_to);
		{
			wm_buf od = WM_BUF_INIT;

			dir_of(&od, from.ptr);
			if (!strcmp(od.ptr ? od.ptr : "", rep.ptr ? rep.ptr : "")) {
				wm_buf_clear(&rep);
				wm_buf_printf(&rep, "%.*s%s", (int)keep, s->module, nb);
				edit.path = (char *)ctx->path;
				edit.start_byte = s->mod_start;
				edit.end_byte = s->mod_end;
				edit.replacement = rep.ptr;
				fix.description = "include the renamed header";
				fix.edits = &edit;
				fix.nedits = 1;
			}
			wm_buf_dispose(&od);
		}
		error = wm_buf_printf(&msg, "'%s' was renamed to %s in this change", s->module, moved_to);
	} else if (somewhere(&rep, idx, s->module)) {
		const char *other = rep.ptr;

		other_dir = true;
		error = wm_buf_printf(&msg, "'%s' is not next to %s or in an include directory; "
			"did you mean %s? (add %.*s to imports.include_dirs if the build has it)", s->module,
			ctx->path, other, (int)(strlen(other) - strlen(s->module) - 1), other);
	} else {
		error = wm_buf_printf(&msg, "'%s' is not in the repository (next to %s or in an include "
			"directory)", s->module, ctx->path);
	}
	/*
	 * Without include directories (no imports.include_dirs, no
	 * compile_commands.json) wm cannot know the build's -I flags: a header
	 * found elsewhere in the repository is most likely on one of them (curl:
	 * 991 of 994 such includes), and one found nowhere may be generated at
	 * build time. Those are reported low, not as errors that fail the gate;
	 * a header renamed in this change is an error either way.
	 */
	if (error >= 0)
		error = imp_emit_severity(ctx, "unresolved-import", false,
			moved_to || idx->ninc ? WM_SEV_NONE : other_dir ? WM_SEV_INFO : WM_SEV_WARNING,
			s->mod_start, s->mod_end, msg.ptr, fix.nedits ? &fix : NULL);
done:
	wm_buf_dispose(&dir);
	wm_buf_dispose(&p);
	wm_buf_dispose(&from);
	wm_buf_dispose(&msg);
	wm_buf_dispose(&rep);
	return error;
}

/* The go.mod governing a file: the nearest in its directory or above. */
static const char *go_module(wm_buf *moddir, const imp_index *idx, const char *path)
{
	dir_of(moddir, path);
	for (;;) {
		void **v = imp_map_get(&idx->gomods, moddir->ptr, moddir->size);
		char *slash;

		if (v)
			return *v;
		if (!moddir->size)
			return NULL;
		slash = strrchr(moddir->ptr, '/');
		moddir->size = slash ? (size_t)(slash - moddir->ptr) : 0;
		moddir->ptr[moddir->size] = '\0';
	}
}

/*
 * Top-level elements of the standard library's import paths (Go 1.22, and
 * iter, structs, unique, weak of later releases), sorted; "C" is cgo.
 */
static const char *const go_std[] = {
	"C", "archive", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context",
	"crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go",
	"hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime",
	"net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv",
	"strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode", "unique",
	"unsafe", "weak",
};

static bool go_is_std(const char *imp, size_t first)
{
	size_t i;

	for (i = 0; i < sizeof(go_std) / sizeof(go_std[0]); i++)
		if (strlen(go_std[i]) == first && !memcmp(go_std[i], imp, first))
			return true;
	return false;
}

static bool go_required(const imp_index *idx, const char *p)
{
	size_t n = strlen(p);

	/* a required module is a prefix of the import, at a path boundary */
	while (n > 0) {
		if (imp_map_get(&idx->goreqs, p, n))
			return true;
		while (n > 0 && p[n - 1] != '/')
			n--;
		if (n > 0)
			n--;
	}
	return false;
}

/*
 * dna.contracts on a Go import. The edge points at a package, which is a
 * directory, but globs are written for files: `**` below pkg/internal does
 * not match the directory pkg/internal itself, and a glob ending in `*.go`
 * matches no directory at all. So a contract forbids the import when it
 * forbids the package's files, checked on one .go file of the directory
 * (a test file only when there is nothing else); all files of a directory
 * match the same directory globs.
 */
static int go_contract(const imp_ctx *ctx, const imp_stmt *s, const char *pkg)
{
	const wm_world *world = ctx->idx->world;
	size_t lo = 0, hi = wm_world_count(world), count = hi;
	const char *file = NULL, *test = NULL;
	wm_buf prefix = WM_BUF_INIT, shown = WM_BUF_INIT;
	int error = 0;

	if (*pkg && (error = wm_buf_printf(&prefix, "%s/", pkg)) < 0)
		goto done;
	/* world entries are in byte order: the paths below a directory are contiguous */
	while (prefix.size && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(wm_world_entry(world, mid)->path, prefix.ptr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < count && !file; lo++) {
		const char *e = wm_world_entry(world, lo)->path, *rest = e + prefix.size;
		size_t n = strlen(rest);

		if (prefix.size && strncmp(e, prefix.ptr, prefix.size))
			break;
		if (strchr(rest, '/') || n < 4 || strcmp(rest + n - 3, ".go"))
			continue;
		if (n >= 8 && !strcmp(rest + n - 8, "_test.go"))
			test = test ? test : e;
		else
			file = e;
	}
	/* The message names the package: which of its files was checked is beside the point. */
	if ((file || test) && (error = wm_buf_printf(&shown, "package %s/", *pkg ? pkg : ".")) == 0)
		error = imp_contract_check(ctx, s, file ? file : test, shown.ptr);
done:
	wm_buf_dispose(&prefix);
	wm_buf_dispose(&shown);
	return error;
}

/* The import path of repository directory `dir`: under the module (or replacement) that holds it. */
static int go_import_path(wm_buf *out, const imp_index *idx, const char *dir)
{
	const char *best = NULL;
	size_t i, bl = 0, dl = strlen(dir);
	bool any = false;

	/* gomods maps a directory to its module path, goreplace a module path to a directory */
	for (i = 0; i < idx->gomods.cap + idx->goreplace.cap; i++) {
		bool mods = i < idx->gomods.cap;
		const char *k = mods ? idx->gomods.keys[i] : idx->goreplace.keys[i - idx->gomods.cap];
		const char *v = mods ? idx->gomods.vals[i] : idx->goreplace.vals[i - idx->gomods.cap];
		const char *d = mods ? k : v, *m = mods ? v : k;
		size_t l;

		if (!k || !v || !*m)
			continue;
		l = strlen(d);
		if ((l && (strncmp(dir, d, l) || (dir[l] && dir[l] != '/'))) || (any && l <= bl))
			continue;
		best = m, bl = l, any = true;
	}
	if (!best)
		return WM_ENOTFOUND;
	wm_buf_clear(out);
	wm_buf_puts(out, best);
	if (dl > bl)
		wm_buf_printf(out, "/%s", dir + bl + (bl ? 1 : 0));
	return out->ptr ? 0 : WM_ENOMEM;
}

/*
 * Where this change moved the package in directory `dir`: every .go file
 * renamed out of it went to one directory, which has .go files. NULL when
 * they were deleted or scattered (no single new import path).
 */
static int go_moved_dir(wm_buf *out, bool *found, const imp_index *idx, const char *dir)
{
	size_t i, dl = strlen(dir);

	*found = false;
	wm_buf_clear(out);
	for (i = 0; i < idx->moved.cap; i++) {
		const char *from = idx->moved.keys[i], *to = idx->moved.vals[i], *slash;
		size_t tl;

		if (!from || !ends_with(from, ".go") || strncmp(from, dir, dl) || (dl && from[dl] != '/') ||
		    strchr(from + dl + (dl ? 1 : 0), '/'))
			continue;
		if (!*to)
			return (*found = false, 0);
		slash = strrchr(to, '/');
		tl = slash ? (size_t)(slash - to) : 0;
		if (*found && (out->size != tl || strncmp(out->ptr, to, tl)))
			return (*found = false, 0);
		if (!*found) {
			wm_buf_put(out, to, tl);
			wm_buf_puts(out, "");
			if (!out->ptr)
				return WM_ENOMEM;
		}
		*found = true;
	}
	if (*found && !imp_map_has(&idx->godirs, out->ptr))
		*found = false;
	return 0;
}

static int check_go(const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	wm_buf md = WM_BUF_INIT, p = WM_BUF_INIT, msg = WM_BUF_INIT, nd = WM_BUF_INIT, ni = WM_BUF_INIT;
	wm_fix fix = { NULL, NULL, 0 };
	wm_edit edit;
	const char *imp = s->module, *best = NULL, *bestdir = NULL;
	size_t i, bl = 0, first = strcspn(imp, "/");
	int error = 0;

	if (!go_module(&md, idx, ctx->path))
		goto done;
	/*
	 * The longest module path of the repository that prefixes the import:
	 * a go.mod's module (go.work uses them from their directories), or a
	 * `replace` with a directory of the repository.
	 */
	for (i = 0; i < idx->gomods.cap + idx->goreplace.cap; i++) {
		bool mods = i < idx->gomods.cap;
		const char *k = mods ? idx->gomods.keys[i] : idx->goreplace.keys[i - idx->gomods.cap];
		const char *v = mods ? idx->gomods.vals[i] : idx->goreplace.vals[i - idx->gomods.cap];
		const char *m = mods ? v : k, *d = mods ? k : v;
		size_t ml;

		if (!k || !v || !(ml = strlen(m)) || strncmp(imp, m, ml) || (imp[ml] && imp[ml] != '/') || ml <= bl)
			continue;
		best = m, bestdir = d, bl = ml;
	}
	if (best) {
		bool touch = false, found;

		if (imp[bl])
			imp_normalise(&p, bestdir, imp + bl + 1, strlen(imp + bl + 1));
		else
			wm_buf_puts(&p, bestdir);
		if (!p.ptr)
			goto done;
		for (i = 0; i < idx->changed.cap && !touch; i++) {
			const char *c = idx->changed.keys[i];
			size_t pl = p.size;

			touch = c && !strncmp(c, p.ptr, pl) && (pl == 0 || c[pl] == '/');
		}
		if (imp_map_has(&idx->godirs, p.ptr)) {
			if (idx->ncontracts && (!ctx->dependent || touch))
				error = go_contract(ctx, s, p.ptr);
			goto done;
		}
		if (ctx->dependent && !touch)
			goto done;
		if ((error = go_moved_dir(&nd, &found, idx, p.ptr)) < 0)
			goto done;
		if (found && (error = go_import_path(&ni, idx, nd.ptr)) == WM_ENOTFOUND)
			found = false, error = 0;
		if (error < 0)
			goto done;
		if (found) {
			/* only the path inside the quotes: the alias and the quote style stay */
			edit.path = (char *)ctx->path;
			edit.start_byte = s->mod_start;
			edit.end_byte = s->mod_end;
			edit.replacement = ni.ptr;
			fix.description = "import the moved package from its new path";
			fix.edits = &edit;
			fix.nedits = 1;
			error = wm_buf_printf(&msg, "package '%s' moved to %s in this change (import \"%s\")",
				imp, nd.ptr, ni.ptr);
		} else {
			error = wm_buf_printf(&msg, "package '%s' should be the directory %s of module %s, "
				"which has no .go files", imp, *p.ptr ? p.ptr : ".", best);
		}
		if (error >= 0)
			error = imp_emit(ctx, "unresolved-import", false, s->mod_start, s->mod_end, msg.ptr,
				fix.nedits ? &fix : NULL);
		goto done;
	}
	if (ctx->dependent || go_is_std(imp, first) || go_required(idx, imp) || idx->go_outside)
		goto done;
	/* vendored */
	wm_buf_printf(&p, "%s%svendor/%s", md.ptr, md.size ? "/" : "", imp);
	if (p.ptr && imp_map_has(&idx->godirs, p.ptr))
		goto done;
	if (!memchr(imp, '.', first)) {
		/* in module mode a path without a dot in its first element is std or nothing */
		if ((error = wm_buf_printf(&msg, "'%s' is neither in the standard library nor a package "
				"of a module of the repository", imp)) < 0)
			goto done;
		error = imp_emit(ctx, "unresolved-import", false, s->mod_start, s->mod_end, msg.ptr, NULL);
		goto done;
	}
	if ((error = wm_buf_printf(&msg, "'%s' is not in the standard library, a package of the "
			"module, or required by go.mod", imp)) < 0)
		goto done;
	error = imp_emit(ctx, "undeclared-dependency", false, s->mod_start, s->mod_end, msg.ptr, NULL);
done:
	wm_buf_dispose(&md);
	wm_buf_dispose(&p);
	wm_buf_dispose(&msg);
	wm_buf_dispose(&nd);
	wm_buf_dispose(&ni);
	return error;
}

/*
 * The directory a Rust file's `mod x;` looks in: its own for a crate root
 * (lib.rs, main.rs, build.rs, files of bin/, tests/, examples/, benches/)
 * or mod.rs, else a directory named after the file.
 */
static void rust_mod_dir(wm_buf *out, const char *path, bool *root)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t dl = slash ? (size_t)(slash - path) : 0;

	*root = !strcmp(base, "lib.rs") || !strcmp(base, "main.rs") || !strcmp(base, "mod.rs") ||
		!strcmp(base, "build.rs");
	if (!*root && slash) {
		const char *pd = path + dl, *ps = pd;

		while (ps > path && ps[-1] != '/')
			ps--;
		*root = (pd - ps == 3 && !memcmp(ps, "bin", 3)) || (pd - ps == 5 && !memcmp(ps, "tests", 5)) ||
			(pd - ps == 8 && !memcmp(ps, "examples", 8)) || (pd - ps == 7 && !memcmp(ps, "benches", 7));
	}
	wm_buf_clear(out);
	wm_buf_put(out, path, dl);
	if (!*root)
		wm_buf_printf(out, "%s%.*s", dl ? "/" : "", (int)(dot ? (size_t)(dot - base) : strlen(base)), base);
	wm_buf_puts(out, "");
}

/* Whether a Rust file is a crate root by Cargo's conventions (not a mod.rs). */
static bool rust_is_root(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	bool root;
	wm_buf unused = WM_BUF_INIT;

	if (!strcmp(base, "mod.rs"))
		return false;
	rust_mod_dir(&unused, path, &root);
	wm_buf_dispose(&unused);
	return root;
}

/* `to` relative to the directory `from` ("" is the root), with ../ as needed. */
static int rel_path(wm_buf *out, const char *from, const char *to)
{
	size_t fl = strlen(from), common = 0, i;

	/* the longest common prefix that ends at a directory boundary of both */
	for (i = 0; i < fl && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	if (i == fl && fl && to[i] == '/')
		common = fl + 1;
	wm_buf_clear(out);
	for (i = common; i < fl; i++)
		if (i == common || from[i - 1] == '/')
			wm_buf_puts(out, "../");
	wm_buf_puts(out, to + common);
	return out->ptr ? 0 : WM_ENOMEM;
}

/*
 * Where `#[path]` of a `mod` declared in `file` is relative to: the file's
 * directory, or inside inline modules, the module directory with their
 * names appended (rustc's rules, as rust-analyzer's ModDir implements them).
 */
static void rust_path_base(wm_buf *out, const char *file, const char *module)
{
	const char *inl = strrchr(module, '/');
	bool root;

	if (!inl) {
		dir_of(out, file);
		return;
	}
	rust_mod_dir(out, file, &root);
	wm_buf_printf(out, "%s%.*s", out->size ? "/" : "", (int)(inl - module), module);
}

/*
 * The fix for a `mod x;` whose file this change renamed to `to`.
 *
 * The declaration keeps its name and gains `#[path = "..."]`. Renaming it
 * to the file's new name would also rename the module: every path that
 * names it (use declarations, expressions, macros, and for a `pub mod`
 * other crates) would have to change with it, and a lexical rewrite cannot
 * find them all, so it could leave code that no longer compiles; renaming
 * a public module is an API decision besides. With the attribute every
 * path stays valid, `use crate::x::...` included, and one line changes;
 * renaming the module remains the author's choice.
 *
 * A module loaded through #[path] finds its own `mod y;` files next to
 * itself, as a mod.rs does. So the attribute is only correct when the new
 * file is a mod.rs or declares no module files; otherwise no fix.
 */
static int rust_mod_fix(wm_fix *fix, wm_edit *edit, wm_buf *text, const imp_ctx *ctx,
	const imp_stmt *s, const char *to)
{
	const imp_info *moved = NULL;
	wm_buf base = WM_BUF_INIT, rel = WM_BUF_INIT;
	size_t i, ls;
	int error = 0;

	if (!ends_with(to, "/mod.rs") && strcmp(to, "mod.rs")) {
		if ((error = imp_index_info(&moved, ctx->idx, to)) < 0 || !moved)
			goto done;
		for (i = 0; i < moved->nimports; i++)
			if (moved->imports[i].kind == IMP_RUST_MOD && !moved->imports[i].alias)
				goto done;
	}
	rust_path_base(&base, ctx->path, s->module);
	if (!base.ptr || (error = rel_path(&rel, base.ptr, to)) < 0)
		goto done;
	wm_buf_clear(text);
	edit->path = (char *)ctx->path;
	if (s->alias && s->nnames) {
		/* an existing #[path]: rewrite its literal */
		edit->start_byte = s->names[0].start;
		edit->end_byte = s->names[0].end;
		wm_buf_puts(text, rel.ptr);
	} else {
		/* its own line before the item (indented like it), or before it on a shared line */
		for (ls = s->start; ls > 0 && (ctx->data[ls - 1] == ' ' || ctx->data[ls - 1] == '\t'); ls--)
			;
		edit->start_byte = edit->end_byte = s->start;
		if (ls == 0 || ctx->data[ls - 1] == '\n')
			wm_buf_printf(text, "#[path = \"%s\"]\n%.*s", rel.ptr, (int)(s->start - ls), ctx->data + ls);
		else
			wm_buf_printf(text, "#[path = \"%s\"] ", rel.ptr);
	}
	if (!text->ptr) {
		error = WM_ENOMEM;
		goto done;
	}
	edit->replacement = text->ptr;
	fix->description = "load the renamed module file with #[path]";
	fix->edits = edit;
	fix->nedits = 1;
done:
	wm_buf_dispose(&base);
	wm_buf_dispose(&rel);
	return error;
}

/* The new path of a file this change renamed, or NULL. */
static const char *moved_to(const imp_index *idx, const char *path)
{
	void **v = imp_map_get(&idx->moved, path, strlen(path));

	return v && **(char **)v ? *v : NULL;
}

static int check_rust_mod(const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	wm_buf md = WM_BUF_INIT, a = WM_BUF_INIT, b = WM_BUF_INIT, msg = WM_BUF_INIT, text = WM_BUF_INIT;
	wm_fix fix = { NULL, NULL, 0 };
	wm_edit edit;
	const char *to = NULL;
	bool root;
	int error = 0;

	if (s->alias && !*s->alias) {
		goto done;   /* #[cfg_attr(.., path = ..)] */
	} else if (s->alias) {
		rust_path_base(&md, ctx->path, s->module);
		if (!imp_normalise(&a, md.ptr, s->alias, strlen(s->alias)))
			goto done;
		if (exists(idx, a.ptr)) {
			error = contract(ctx, s, a.ptr);
			goto done;
		}
		if (ctx->dependent && !touches_changed(idx, a.ptr))
			goto done;
		if ((to = moved_to(idx, a.ptr)))
			error = wm_buf_printf(&msg, "module file %s (#[path]) was renamed to %s in this change",
				a.ptr, to);
		else
			error = wm_buf_printf(&msg, "module file %s (#[path]) is not in the repository", a.ptr);
	} else {
		rust_mod_dir(&md, ctx->path, &root);
		wm_buf_printf(&a, "%s%s%s.rs", md.ptr, md.size ? "/" : "", s->module);
		wm_buf_printf(&b, "%s%s%s/mod.rs", md.ptr, md.size ? "/" : "", s->module);
		if (!a.ptr || !b.ptr) {
			error = WM_ENOMEM;
			goto done;
		}
		if (exists(idx, a.ptr) || exists(idx, b.ptr)) {
			error = contract(ctx, s, exists(idx, a.ptr) ? a.ptr : b.ptr);
			goto done;
		}
		if (!root) {
			/* a crate root Cargo names by [lib] path or [[bin]] path */
			wm_buf alt = WM_BUF_INIT;
			bool found;

			dir_of(&md, ctx->path);
			wm_buf_printf(&alt, "%s%s%s.rs", md.ptr, md.size ? "/" : "", s->module);
			found = alt.ptr && imp_index_file(idx, alt.ptr);
			if (!found) {
				wm_buf_clear(&alt);
				wm_buf_printf(&alt, "%s%s%s/mod.rs", md.ptr, md.size ? "/" : "", s->module);
				found = alt.ptr && imp_index_file(idx, alt.ptr);
			}
			if (found)
				error = contract(ctx, s, alt.ptr);
			wm_buf_dispose(&alt);
			if (found)
				goto done;
		}
		if (ctx->dependent && !touches_changed(idx, a.ptr) && !touches_changed(idx, b.ptr))
			goto done;
		if ((to = moved_to(idx, a.ptr)) || (to = moved_to(idx, b.ptr)))
			error = wm_buf_printf(&msg, "module '%s': %s was renamed to %s in this change",
				s->module, moved_to(idx, a.ptr) ? a.ptr : b.ptr, to);
		else
			error = wm_buf_printf(&msg, "module '%s' needs %s or %s, and neither is in the repository",
				s->module, a.ptr, b.ptr);
	}
	if (error >= 0 && to && ends_with(to, ".rs"))
		error = rust_mod_fix(&fix, &edit, &text, ctx, s, to);
	if (error >= 0 && to && !fix.nedits)
		error = wm_buf_puts(&msg, " (no #[path] fix: the module declares module files of its own, "
			"which #[path] would look for next to it; rename the declaration and the paths that name it)");
	if (error >= 0)
		error = imp_emit(ctx, "unresolved-import", false, s->mod_start, s->mod_end, msg.ptr,
			fix.nedits ? &fix : NULL);
done:
	wm_buf_dispose(&md);
	wm_buf_dispose(&a);
	wm_buf_dispose(&b);
	wm_buf_dispose(&msg);
	wm_buf_dispose(&text);
	return error;
}

/* --- Rust paths: use crate::a::b::Item ----------------------------------- */

/*
 * A `use` path is resolved the way rustc walks it, one segment at a time
 * through the module tree: a module is a file plus the inline modules
 * within it, `mod x;` leads to a file (x.rs, x/mod.rs, #[path]), `mod x
 * { }` to an inline module, and a name the module binds with `use` (a
 * re-export) is followed to what it names. The last segment must be a
 * module or a name the module defines; past an item (an enum's variants,
 * associated items) nothing is checked.
 *
 * Whatever cannot be known makes the answer "unknown", never a finding:
 * a module with a glob import or an item macro (it may bind any name), a
 * `mod` whose file is missing (reported at the `mod` itself), a re-export
 * of another crate, #[cfg_attr(.., path)], a file no crate root reaches by
 * the conventions, more re-export hops than RMAX_HOPS.
 */

#define RMAX_HOPS 16

struct rmod {
	wm_buf file;   /**< the file */
	wm_buf inl;    /**< inline modules within it, "a/b" ("" for the file's top) */
	wm_buf dir;    /**< where the file's own `mod x;` files are */
};

enum { RW_OK, RW_UNKNOWN, RW_FAIL };
enum { RL_NONE, RL_ANY, RL_ITEM, RL_MOD, RL_USE, RL_UNKNOWN };

struct rwalk {
	const imp_ctx *ctx;
	int hops;            /**< re-exports still to follow */
	int depth;           /**< 0 for the path being checked, more inside a re-export */
	bool touched;        /**< a file read on the way changed in this run */
	bool uncertain;      /**< a step guessed (a plain path inside a re-export) */
	bool failed;         /**< fail_* hold the first failure of the checked path */
	const imp_stmt *self;/**< the leaf being checked: it binds its own last name, but cannot resolve it */
	size_t fail_seg;
	struct rmod fail_mod;
};

static void rmod_dispose(struct rmod *m)
{
	wm_buf_dispose(&m->file);
	wm_buf_dispose(&m->inl);
	wm_buf_dispose(&m->dir);
}

static int rmod_set(struct rmod *m, const char *file, const char *inl, size_t il, const char *dir)
{
	/* the arguments may point into m itself */
	wm_buf f = WM_BUF_INIT, i = WM_BUF_INIT, d = WM_BUF_INIT;

	wm_buf_puts(&f, file);
	wm_buf_put(&i, inl, il);
	wm_buf_puts(&i, "");
	wm_buf_puts(&d, dir);
	rmod_dispose(m);
	m->file = f, m->inl = i, m->dir = d;
	return f.ptr && i.ptr && d.ptr ? 0 : WM_ENOMEM;
}

/* A module at the top of a file found by the conventions. */
static int rmod_file(struct rmod *m, const char *file)
{
	wm_buf dir = WM_BUF_INIT;
	bool root;
	int error;

	rust_mod_dir(&dir, file, &root);
	error = dir.ptr ? rmod_set(m, file, "", 0, dir.ptr) : WM_ENOMEM;
	wm_buf_dispose(&dir);
	return error;
}

static int rinfo(const imp_info **out, struct rwalk *w, const char *file)
{
	if (touches_changed(w->ctx->idx, file))
		w->touched = true;
	return imp_index_info(out, w->ctx->idx, file);
}

static bool rscope_is(const imp_stmt *s, const struct rmod *m)
{
	return s->alias ? m->inl.size && !strcmp(s->alias, m->inl.ptr) : !m->inl.size;
}

/* The name a use leaf binds, or NULL (a glob, `as _`). */
static const char *rbinds(const imp_stmt *s)
{
	const imp_name *last;

	if (s->star || !s->nnames)
		return NULL;
	last = &s->names[s->nnames - 1];
	if (last->alias)
		return strcmp(last->alias, "_") ? last->alias : NULL;
	if (!strcmp(last->name, "self"))
		return s->nnames >= 2 ? s->names[s->nnames - 2].name : NULL;
	return last->name;
}

/* Whether `mod name;` of scope `inl` is this IMP_RUST_MOD statement. */
static bool rmod_decl_is(const imp_stmt *s, const char *inl, const char *name)
{
	const char *slash = strrchr(s->module, '/');
	size_t il = slash ? (size_t)(slash - s->module) : 0;

	return !strcmp(slash ? slash + 1 : s->module, name) && strlen(inl) == il &&
		!strncmp(s->module, inl, il);
}

/* The file of `mod name;` declared in module m (next: at its top). */
static int rmod_child(int *out, struct rmod *next, struct rwalk *w, const struct rmod *m,
	const imp_stmt *s, const char *name)
{
	imp_index *idx = w->ctx->idx;
	wm_buf base = WM_BUF_INIT, p = WM_BUF_INIT, dir = WM_BUF_INIT;
	int error = 0;

	*out = RL_UNKNOWN;
	if (s->alias && !*s->alias)
		goto done;
	if (s->alias) {
		/* a #[path] file owns its directory, as a mod.rs does */
		rust_path_base(&base, m->file.ptr, s->module);
		if (!base.ptr || !imp_normalise(&p, base.ptr, s->alias, strlen(s->alias)) || !p.ptr)
			goto done;
		if (touches_changed(idx, p.ptr))
			w->touched = true;
		if (!imp_index_file(idx, p.ptr))
			goto done;
		dir_of(&dir, p.ptr);
	} else {
		wm_buf_printf(&base, "%s%s%s%s%s", m->dir.ptr, m->dir.size ? "/" : "", m->inl.ptr,
			m->inl.size ? "/" : "", name);
		wm_buf_printf(&p, "%s.rs", base.ptr);
		if (!base.ptr || !p.ptr) {
			error = WM_ENOMEM;
			goto done;
		}
		if (touches_changed(idx, p.ptr))
			w->touched = true;
		if (!imp_index_file(idx, p.ptr)) {
			wm_buf_clear(&p);
			wm_buf_printf(&p, "%s/mod.rs", base.ptr);
			if (!p.ptr) {
				error = WM_ENOMEM;
				goto done;
			}
			if (touches_changed(idx, p.ptr))
				w->touched = true;
			if (!imp_index_file(idx, p.ptr))
				goto done;   /* the `mod` itself is reported */
		}
		wm_buf_puts(&dir, base.ptr);
	}
	if (!dir.ptr)
		wm_buf_puts(&dir, "");
	if ((error = rmod_set(next, p.ptr, "", 0, dir.ptr ? dir.ptr : "")) < 0)
		goto done;
	*out = RL_MOD;
done:
	wm_buf_dispose(&base);
	wm_buf_dispose(&p);
	wm_buf_dispose(&dir);
	return error;
}

/*
 * What `name` is in module m: RL_MOD (next is the module), RL_ITEM, RL_USE
 * (*use binds it), RL_UNKNOWN, RL_ANY (not found, but the module may bind
 * anything), RL_NONE.
 */
static int rlookup(int *out, const imp_stmt **use, struct rmod *next, struct rwalk *w,
	const struct rmod *m, const char *name)
{
	const imp_info *info;
	size_t i;
	bool any = false;
	int found = RL_NONE, error;

	*out = RL_UNKNOWN;
	*use = NULL;
	if ((error = rinfo(&info, w, m->file.ptr)) < 0 || !info)
		return error;
	for (i = 0; i < info->nimports; i++) {
		const imp_stmt *s = &info->imports[i];

		if (s->kind == IMP_RUST_MOD && rmod_decl_is(s, m->inl.ptr, name))
			return rmod_child(out, next, w, m, s, name);
		if (s->kind == IMP_RUST_ITEM && rscope_is(s, m)) {
			if (s->level == IMP_RUST_ITEM_ANY) {
				any = true;
			} else if (!strcmp(s->module, name)) {
				if (s->level == IMP_RUST_ITEM_MOD) {
					wm_buf inl = WM_BUF_INIT;

					wm_buf_printf(&inl, "%s%s%s", m->inl.ptr, m->inl.size ? "/" : "", name);
					error = inl.ptr ? rmod_set(next, m->file.ptr, inl.ptr, inl.size, m->dir.ptr)
						: WM_ENOMEM;
					wm_buf_dispose(&inl);
					*out = RL_MOD;
					return error;
				}
				if (found == RL_NONE)
					found = s->level == IMP_RUST_ITEM_EXTERN ? RL_UNKNOWN : RL_ITEM;
			}
		} else if (s->kind == IMP_RUST_PATH && !s->guard && rscope_is(s, m)) {
			const char *b = rbinds(s);

			if (s->star)
				any = true;
			else if (b && !strcmp(b, name) && found == RL_NONE && s != w->self) {
				found = RL_USE;
				*use = s;
			}
		}
	}
	*out = found != RL_NONE ? found : any ? RL_ANY : RL_NONE;
	return 0;
}

/*
 * Whether a #[macro_export] macro_rules! `name` is defined in any file of
 * the crate whose root is `root`: such macros are names of the crate root
 * wherever they are written. Only asked before reporting, so a byte search
 * picks the few files worth reading.
 */
static int rexported_macro(bool *out, struct rwalk *w, const char *root, const char *name)
{
	imp_index *idx = w->ctx->idx;
	wm_buf dir = WM_BUF_INIT;
	size_t i, k, count = wm_world_count(idx->world), nl = strlen(name);
	int error = 0;

	*out = false;
	dir_of(&dir, root);
	for (i = 0; i < count && !*out && !error; i++) {
		const char *p = wm_world_entry(idx->world, i)->path;
		const imp_info *info;
		wm_blob blob = WM_BLOB_INIT;
		bool maybe = false;

		if (!ends_with(p, ".rs") || strncmp(p, dir.ptr ? dir.ptr : "", dir.size) ||
		    (dir.size && p[dir.size] != '/'))
			continue;
		if (wm_world_read(&blob, idx->world, p) < 0)
			continue;
		for (k = 0; k + nl <= blob.size && !maybe; k++)
			maybe = blob.data[k] == name[0] && !memcmp(blob.data + k, name, nl);
		wm_blob_release(&blob);
		if (!maybe || (error = imp_index_info(&info, idx, p)) < 0 || !info)
			continue;
		for (k = 0; k < info->nimports && !*out; k++)
			*out = info->imports[k].kind == IMP_RUST_ITEM &&
				info->imports[k].level == IMP_RUST_ITEM_EXPORT && !strcmp(info->imports[k].module, name);
	}
	wm_buf_dispose(&dir);
	return error;
}

#define RMAX_PARENTS 4

/*
 * The modules that declare the file module m (at its top) with `mod x;`:
 * for .../p/x.rs or .../p/x/mod.rs, p.rs, p/mod.rs, p/lib.rs, p/main.rs, or
 * an inline module of such a file one or two levels up. None for a crate
 * root, or when the declaration uses #[path] (then nothing is known).
 */
static int rparents(struct rmod *out, size_t *n, struct rwalk *w, const char *file)
{
	static const char *const forms[] = { ".rs", "mod.rs", "lib.rs", "main.rs" };
	wm_buf own = WM_BUF_INIT, cand = WM_BUF_INIT;
	const char *name, *pdir_end;
	size_t k, f, i;
	bool root;
	int error = 0;

	*n = 0;
	if (rust_is_root(file))
		goto done;
	rust_mod_dir(&own, file, &root);
	if (!own.ptr || !own.size)
		goto done;
	name = strrchr(own.ptr, '/');
	name = name ? name + 1 : own.ptr;
	pdir_end = name > own.ptr ? name - 1 : own.ptr;
	for (k = 0; k < 3 && *n < RMAX_PARENTS; k++) {
		/* the last k directories of p are inline modules of the parent file */
		const char *split = pdir_end, *inl;
		size_t pl;

		for (i = 0; i < k && split > own.ptr; i++)
			while (--split > own.ptr && *split != '/')
				;
		if (i < k)
			break;
		pl = (size_t)(split - own.ptr);
		inl = k ? (split == own.ptr ? split : split + 1) : "";
		for (f = 0; f < sizeof(forms) / sizeof(forms[0]) && *n < RMAX_PARENTS; f++) {
			const imp_info *info;

			if (f == 0 && !pl)
				continue;
			wm_buf_clear(&cand);
			wm_buf_printf(&cand, "%.*s%s%s", (int)pl, own.ptr, f && pl ? "/" : "", forms[f]);
			if (!cand.ptr) {
				error = WM_ENOMEM;
				goto done;
			}
			if (!imp_index_file(w->ctx->idx, cand.ptr))
				continue;
			if ((error = rinfo(&info, w, cand.ptr)) < 0)
				goto done;
			for (i = 0; info && i < info->nimports; i++) {
				const imp_stmt *s = &info->imports[i];
				wm_buf il = WM_BUF_INIT;
				bool is;

				if (s->kind != IMP_RUST_MOD || s->alias)
					continue;
				wm_buf_put(&il, inl, k ? (size_t)(pdir_end - inl) : 0);
				wm_buf_puts(&il, "");
				is = il.ptr && rmod_decl_is(s, il.ptr, name);
				if (is && ((error = rmod_file(&out[*n], cand.ptr)) < 0 ||
				    (error = rmod_set(&out[*n], cand.ptr, il.ptr, il.size, out[*n].dir.ptr)) < 0)) {
					wm_buf_dispose(&il);
					goto done;
				}
				wm_buf_dispose(&il);
				if (is) {
					(*n)++;
					break;
				}
			}
		}
	}
done:
	wm_buf_dispose(&own);
	wm_buf_dispose(&cand);
	return error;
}

/*
 * A file of tests/ (examples/, benches/, bin/) is a crate root by Cargo's
 * autodiscovery, but with `autotests = false` and a [[test]] path it may
 * be a module of a sibling instead (ripgrep: tests/tests.rs declares `mod
 * util;`). Such siblings are roots of the file too.
 */
static int rsiblings(wm_buf *roots, size_t *n, struct rwalk *w, const char *file)
{
	const wm_world *world = w->ctx->idx->world;
	const char *slash = strrchr(file, '/'), *stem = slash ? slash + 1 : file;
	size_t dl = slash ? (size_t)(slash - file) + 1 : 0, sl = strlen(stem) - 3, i, k, count;
	int error = 0;

	if (!strcmp(stem, "main.rs") || !strcmp(stem, "lib.rs") || !strcmp(stem, "build.rs") ||
	    !ends_with(stem, ".rs"))
		return 0;
	count = wm_world_count(world);
	for (i = 0; i < count && *n < RMAX_PARENTS && !error; i++) {
		const char *p = wm_world_entry(world, i)->path;
		const imp_info *info;

		if (strncmp(p, file, dl) || strchr(p + dl, '/') || !ends_with(p, ".rs") || !strcmp(p, file))
			continue;
		if ((error = rinfo(&info, w, p)) < 0 || !info)
			continue;
		for (k = 0; k < info->nimports; k++) {
			const imp_stmt *s = &info->imports[k];

			if (s->kind == IMP_RUST_MOD && !s->alias && strlen(s->module) == sl &&
			    !strncmp(s->module, stem, sl)) {
				error = wm_buf_puts(&roots[(*n)++], p);
				break;
			}
		}
	}
	return error;
}

/*
 * The crate roots whose module trees reach `file`, climbing `mod`
 * declarations; *known is false when a climb ends at a file that is not a
 * root by the conventions.
 */
static int rroots(wm_buf *roots, size_t *n, bool *known, struct rwalk *w, const char *file, int depth)
{
	struct rmod parents[RMAX_PARENTS];
	size_t np = 0, i;
	int error = 0;

	memset(parents, 0, sizeof(parents));
	if (depth > RMAX_DEPTH) {
		*known = false;
		return 0;
	}
	if (rust_is_root(file)) {
		for (i = 0; i < *n; i++)
			if (!strcmp(roots[i].ptr, file))
				return 0;
		if (*n < RMAX_PARENTS && (error = wm_buf_puts(&roots[(*n)++], file)) < 0)
			return error;
		return rsiblings(roots, n, w, file);
	}
	if ((error = rparents(parents, &np, w, file)) < 0)
		goto done;
	if (!np)
		*known = false;
	for (i = 0; i < np && !error; i++)
		error = rroots(roots, n, known, w, parents[i].file.ptr, depth + 1);
done:
	for (i = 0; i < RMAX_PARENTS; i++)
		rmod_dispose(&parents[i]);
	return error;
}

static int rwalk(int *res, int *kind, struct rmod *m, struct rwalk *w, const imp_name *segs,
	size_t i, size_t n);

/*
 * Follow `use` leaf s of module m to what it names (a re-export), into
 * *kind and m. A broken re-export is reported where it is written, so
 * here it only makes the answer unknown.
 */
static int rfollow(int *res, int *kind, struct rmod *m, struct rwalk *w, const imp_stmt *s)
{
	size_t n = s->nnames;
	int error = 0, r;

	*res = RW_UNKNOWN;
	if (--w->hops < 0 || s->level == 1 || !n)
		return 0;
	if (!strcmp(s->names[n - 1].name, "self"))
		n--;
	w->depth++;
	if (!strcmp(s->names[0].name, "crate")) {
		wm_buf roots[RMAX_PARENTS] = { WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT };
		size_t nr = 0, i;
		bool known = true;

		if ((error = rroots(roots, &nr, &known, w, m->file.ptr, 0)) >= 0 && known && nr == 1 &&
		    (error = rmod_file(m, roots[0].ptr)) >= 0)
			error = rwalk(res, kind, m, w, s->names, 1, n);
		for (i = 0; i < RMAX_PARENTS; i++)
			wm_buf_dispose(&roots[i]);
	} else if (!strcmp(s->names[0].name, "self") || !strcmp(s->names[0].name, "super")) {
		error = rwalk(res, kind, m, w, s->names, 0, n);
	} else {
		/* 2018: a path may start at a name of the module; else it is another crate */
		const imp_stmt *use;
		struct rmod next = { WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT };

		if ((error = rlookup(&r, &use, &next, w, m, s->names[0].name)) >= 0 &&
		    (r == RL_MOD || r == RL_ITEM || r == RL_USE)) {
			w->uncertain = true;
			error = rwalk(res, kind, m, w, s->names, 0, n);
		}
		rmod_dispose(&next);
	}
	w->depth--;
	if (*res == RW_FAIL)
		*res = RW_UNKNOWN;
	return error;
}

/*
 * Walk segments i..n from module m. RW_OK with *kind RL_MOD (m is the
 * module reached) or RL_ITEM; RW_FAIL records where the first time.
 */
static int rwalk(int *res, int *kind, struct rmod *m, struct rwalk *w, const imp_name *segs,
	size_t i, size_t n)
{
	struct rmod next = { WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT };
	struct rmod parents[RMAX_PARENTS];
	int error = 0, r;

	memset(parents, 0, sizeof(parents));
	*res = RW_UNKNOWN;
	*kind = RL_MOD;
	for (; i < n; i++) {
		const char *name = segs[i].name;
		const imp_stmt *use;
		bool exported;

		if (!strcmp(name, "self"))
			continue;
		if (!strcmp(name, "super")) {
			size_t np = 0, k;
			char *slash;

			if (m->inl.size) {
				slash = strrchr(m->inl.ptr, '/');
				m->inl.size = slash ? (size_t)(slash - m->inl.ptr) : 0;
				m->inl.ptr[m->inl.size] = '\0';
				continue;
			}
			if ((error = rparents(parents, &np, w, m->file.ptr)) < 0)
				goto done;
			/* one parent, or the module is compiled in several places: unknown */
			if (np != 1)
				goto done;
			error = rmod_set(m, parents[0].file.ptr, parents[0].inl.ptr, parents[0].inl.size,
				parents[0].dir.ptr);
			for (k = 0; k < np; k++)
				rmod_dispose(&parents[k]);
			if (error < 0)
				goto done;
			continue;
		}
		if (!strcmp(name, "crate") || !strcmp(name, "Self"))
			goto done;
		if ((error = rlookup(&r, &use, &next, w, m, name)) < 0)
			goto done;
		switch (r) {
		case RL_MOD:
			if ((error = rmod_set(m, next.file.ptr, next.inl.ptr, next.inl.size, next.dir.ptr)) < 0)
				goto done;
			continue;
		case RL_ITEM:
			*kind = RL_ITEM;
			*res = RW_OK;
			goto done;
		case RL_USE:
			if ((error = rfollow(&r, kind, m, w, use)) < 0 || r != RW_OK)
				goto done;
			if (*kind == RL_ITEM) {
				*res = RW_OK;
				goto done;
			}
			continue;
		case RL_NONE:
			break;
		default:
			goto done;
		}
		/* not there: a crate root also holds #[macro_export] macros of any of its files */
		if (!m->inl.size && rust_is_root(m->file.ptr)) {
			if ((error = rexported_macro(&exported, w, m->file.ptr, name)) < 0)
				goto done;
			if (exported) {
				*kind = RL_ITEM;
				*res = RW_OK;
				goto done;
			}
		}
		*res = RW_FAIL;
		if (!w->depth && !w->failed) {
			w->failed = true;
			w->fail_seg = i;
			error = rmod_set(&w->fail_mod, m->file.ptr, m->inl.ptr, m->inl.size, m->dir.ptr);
		}
		goto done;
	}
	*res = RW_OK;
done:
	rmod_dispose(&next);
	for (i = 0; i < RMAX_PARENTS; i++)
		rmod_dispose(&parents[i]);
	return error;
}

/* Up to three names of module m close to `name`: " (did you mean a, b?)". */
static int rdid_you_mean(wm_buf *msg, struct rwalk *w, const struct rmod *m, const char *name)
{
	const imp_info *info;
	size_t max = strlen(name) <= 4 ? 1 : 2, d, i, shown = 0;
	int error;

	if ((error = rinfo(&info, w, m->file.ptr)) < 0 || !info)
		return error;
	for (d = 0; d <= max && shown < 3; d++) {
		for (i = 0; i < info->nimports && shown < 3; i++) {
			const imp_stmt *s = &info->imports[i];
			const char *c = NULL, *slash;

			if (s->kind == IMP_RUST_ITEM && rscope_is(s, m) && s->level != IMP_RUST_ITEM_ANY)
				c = s->module;
			else if (s->kind == IMP_RUST_PATH && !s->guard && rscope_is(s, m) && s != w->self)
				c = rbinds(s);
			else if (s->kind == IMP_RUST_MOD && (slash = strrchr(s->module, '/')) ?
			    (size_t)(slash - s->module) == m->inl.size && !strncmp(s->module, m->inl.ptr, m->inl.size) :
			    s->kind == IMP_RUST_MOD && !m->inl.size)
				c = slash ? slash + 1 : s->module;
			if (!c || imp_distance(name, c, max) != d)
				continue;
			if ((error = wm_buf_printf(msg, "%s%s", shown ? ", " : " (did you mean ", c)) < 0)
				return error;
			shown++;
		}
	}
	return shown ? wm_buf_puts(msg, "?)") : 0;
}

/* `use crate::a::b::Item` (or self::, super::): every segment must resolve. */
static int check_rust_path(const imp_ctx *ctx, const imp_stmt *s)
{
	struct rwalk w;
	struct rmod m = { WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT };
	wm_buf roots[RMAX_PARENTS] = { WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT, WM_BUF_INIT };
	wm_buf msg = WM_BUF_INIT;
	const char *first;
	size_t n = s->nnames, nr = 0, i;
	bool known = true, last;
	int error = 0, res = RW_UNKNOWN, r, kind, fails = 0;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.self = s;
	if (s->level == 1 || !n)
		goto done;
	first = s->names[0].name;
	if (strcmp(first, "crate") && strcmp(first, "self") && strcmp(first, "super"))
		goto done;
	if (!strcmp(s->names[n - 1].name, "self"))
		n--;
	if (!strcmp(first, "crate")) {
		/* a file in several crates resolves if any of them has the path */
		if ((error = rroots(roots, &nr, &known, &w, ctx->path, 0)) < 0 || !known || !nr)
			goto done;
		for (i = 0; i < nr && res != RW_OK; i++) {
			w.hops = RMAX_HOPS;
			if ((error = rmod_file(&m, roots[i].ptr)) < 0 ||
			    (error = rwalk(&r, &kind, &m, &w, s->names, 1, n)) < 0)
				goto done;
			if (r == RW_FAIL)
				fails++;
			else
				res = r;
		}
		if (fails == (int)nr)
			res = RW_FAIL;
	} else {
		w.hops = RMAX_HOPS;
		if ((error = rmod_file(&m, ctx->path)) < 0 ||
		    (error = rmod_set(&m, ctx->path, s->alias ? s->alias : "", s->alias ? strlen(s->alias) : 0,
				m.dir.ptr)) < 0 ||
		    (error = rwalk(&res, &kind, &m, &w, s->names, 0, n)) < 0)
			goto done;
	}
	/* dna.contracts: the edge points at the module file the path reached */
	if (res == RW_OK && m.file.ptr && strcmp(m.file.ptr, ctx->path) &&
	    (error = contract(ctx, s, m.file.ptr)) < 0)
		goto done;
	if (res != RW_FAIL || !w.failed || w.uncertain || (ctx->dependent && !w.touched))
		goto done;
	last = w.fail_seg + 1 == s->nnames && !s->star;
	for (i = 0; i < w.fail_seg; i++)
		wm_buf_printf(&msg, "%s%s", i ? "::" : "", s->names[i].name);
	if (!w.fail_seg)
		wm_buf_puts(&msg, "self");
	wm_buf_printf(&msg, " (%s%s%s) %s '%s'", w.fail_mod.file.ptr, w.fail_mod.inl.size ? ", inline mod " : "",
		w.fail_mod.inl.ptr, last ? "defines no" : "has no module or item", s->names[w.fail_seg].name);
	if ((error = rdid_you_mean(&msg, &w, &w.fail_mod, s->names[w.fail_seg].name)) < 0)
		goto done;
	{
		/* the path as written, then where it broke */
		wm_buf full = WM_BUF_INIT;

		wm_buf_printf(&full, "%s: module %s", s->module, msg.ptr ? msg.ptr : "");
		if (!full.ptr) {
			error = WM_ENOMEM;
			goto done;
		}
		error = imp_emit(ctx, last ? "unresolved-name" : "unresolved-import", false,
			s->names[w.fail_seg].start, s->names[w.fail_seg].end, full.ptr, NULL);
		wm_buf_dispose(&full);
	}
done:
	rmod_dispose(&m);
	rmod_dispose(&w.fail_mod);
	for (i = 0; i < RMAX_PARENTS; i++)
		wm_buf_dispose(&roots[i]);
	wm_buf_dispose(&msg);
	return error;
}

/*
 * Whether the crate root of a file defines `name` (a module, an item, or a
 * name it imports). Only files below <crate>/src/ (not src/bin/) are known
 * to belong to the library or main crate; a root with glob imports or item
 * macros may bind anything. `root` names the root file that defines it,
 * or else the first root read: left empty, nothing is known and `found`
 * stays false.
 */
static int crate_root_defines(bool *found, wm_buf *root, const imp_ctx *ctx, const char *name)
{
	static const char *const roots[] = { "src/lib.rs", "src/main.rs" };
	imp_index *idx = ctx->idx;
	wm_buf crate = WM_BUF_INIT, p = WM_BUF_INIT;
	size_t i;
	int error = 0;

	*found = false;
	wm_buf_clear(root);
	dir_of(&crate, ctx->path);
	for (;;) {
		char *slash;

		wm_buf_clear(&p);
		wm_buf_printf(&p, "%s%sCargo.toml", crate.ptr, crate.size ? "/" : "");
		if (!p.ptr) {
			error = WM_ENOMEM;
			goto done;
		}
		if (imp_index_file(idx, p.ptr))
			break;
		if (!crate.size)
			goto done;
		slash = strrchr(crate.ptr, '/');
		crate.size = slash ? (size_t)(slash - crate.ptr) : 0;
		crate.ptr[crate.size] = '\0';
	}
	if (crate.size)
		wm_buf_putc(&crate, '/');
	wm_buf_puts(&crate, "");
	if (!crate.ptr || strncmp(ctx->path, crate.ptr, crate.size) ||
	    strncmp(ctx->path + crate.size, "src/", 4) || !strncmp(ctx->path + crate.size, "src/bin/", 8))
		goto done;
	for (i = 0; i < 2; i++) {
		const imp_info *info;

		wm_buf_clear(&p);
		wm_buf_printf(&p, "%s%s", crate.ptr, roots[i]);
		if (!p.ptr || (error = imp_index_info(&info, idx, p.ptr)) < 0)
			goto done;
		if (!info)
			continue;
		if (info->dynamic || imp_info_defines(info, name)) {
			*found = true;
			wm_buf_clear(root);
			error = wm_buf_puts(root, p.ptr);
			goto done;
		}
		if (!root->size) {
			*found = false;
			wm_buf_puts(root, p.ptr);
		}
	}
done:
	wm_buf_dispose(&crate);
	wm_buf_dispose(&p);
	return error;
}

static int check_rust_use(const imp_ctx *ctx, const imp_info *info, const imp_stmt *s)
{
	static const char *const sysroot[] = { "std", "core", "alloc", "proc_macro", "test" };
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	if (ctx->dependent || !ctx->idx->cargo || imp_map_has(&ctx->idx->rustdeps, s->module))
		goto done;
	for (i = 0; i < sizeof(sysroot) / sizeof(sysroot[0]); i++)
		if (!strcmp(s->module, sysroot[i]))
			goto done;
	/* `use` paths may start at a name of the file (2018 uniform paths) */
	if (!s->level && imp_info_defines(info, s->module))
		goto done;
	if (!s->level && s->module[0] >= 'A' && s->module[0] <= 'Z')
		goto done;   /* an enum or type from a glob or the prelude, not a crate */
	{
		/* Rust 2015: `use a::b` is crate-relative, so `a` may be a module of the root */
		wm_buf root = WM_BUF_INIT;
		bool found;

		error = crate_root_defines(&found, &root, ctx, s->module);
		wm_buf_dispose(&root);
		if (error < 0 || found)
			goto done;
	}
	if ((error = wm_buf_printf(&msg, "crate '%s' is not declared in Cargo.toml, and not a module "
			"of this file", s->module)) < 0)
		goto done;
	error = imp_emit(ctx, "undeclared-dependency", false, s->mod_start, s->mod_end, msg.ptr, NULL);
done:
	wm_buf_dispose(&msg);
	return error;
}

int imp_native_check(const imp_ctx *ctx, const imp_info *info)
{
	size_t i;
	int error;

	if ((error = native_load(ctx->idx)) < 0)
		return error;
	for (i = 0; i < info->nimports && !error; i++) {
		const imp_stmt *s = &info->imports[i];

		switch (s->kind) {
		case IMP_INCLUDE:
			error = check_include(ctx, s);
			break;
		case IMP_GO:
			error = check_go(ctx, s);
			break;
		case IMP_RUST_MOD:
			error = check_rust_mod(ctx, s);
			break;
		case IMP_RUST_USE:
			error = check_rust_use(ctx, info, s);
			break;
		case IMP_RUST_PATH:
			error = check_rust_path(ctx, s);
			break;
		default:
			break;
		}
	}
	return error;
}
