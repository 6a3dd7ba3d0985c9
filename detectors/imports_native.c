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
			if (eol - j >= 6 && !memcmp(d + j, "import", 6) && !is_ident(d[j + 6])) {
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

static int extract_rust(imp_info *info, const char *d, size_t size)
{
	static const char *const items[] = { "fn", "struct", "enum", "trait", "type", "union",
		"const", "static", "macro_rules" };
	struct rlex x = { d, size, 0 };
	size_t mod_at[RMAX_DEPTH], mod_len[RMAX_DEPTH], nmods = 0, path_a = 0, path_b = 0;
	int mod_depth[RMAX_DEPTH], depth = 0;
	bool has_path = false;
	wm_buf mod = WM_BUF_INIT;
	int error = 0;

	while (!error && rskip(&x)) {
		char c = d[x.i];
		size_t k, a, n;

		if (c == '{') {
			depth++;
			x.i++;
			has_path = false;
		} else if (c == '}') {
			depth--;
			x.i++;
			while (nmods && mod_depth[nmods - 1] > depth)
				nmods--;
			has_path = false;
		} else if (c == ';') {
			x.i++;
			has_path = false;
		} else if (c == '#' && x.i + 1 < size && d[x.i + 1] == '[') {
			/* #[path = "x.rs"] */
			x.i += 2;
			if (rskip(&x) && rword(&x, "cfg_attr")) {
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
		} else if (rword(&x, "mod")) {
			uint32_t start = (uint32_t)x.i;

			x.i += 3;
			if (!rskip(&x) || !(n = rident(&x, &a)) || !rskip(&x))
				continue;
			if ((error = imp_info_def(info, d + a, n)) < 0)
				break;
			if (d[x.i] == '{') {
				if (nmods < RMAX_DEPTH) {
					mod_at[nmods] = a;
					mod_len[nmods] = n;
					mod_depth[nmods++] = depth + 1;
				}
				continue;   /* the brace itself is counted above */
			}
			if (d[x.i] != ';')
				continue;
			wm_buf_clear(&mod);
			for (k = 0; k < nmods; k++)
				wm_buf_printf(&mod, "%.*s/", (int)mod_len[k], d + mod_at[k]);
			wm_buf_put(&mod, d + a, n);
			if (!mod.ptr)
				return WM_ENOMEM;
			if ((error = push(info, IMP_RUST_MOD, mod.ptr, mod.size, start, (uint32_t)x.i + 1,
					(uint32_t)a, (uint32_t)(a + n), 0)) < 0)
				break;
			if (has_path && !(info->imports[info->nimports - 1].alias =
					wm_strndup(d + path_a, path_b - path_a)))
				error = WM_ENOMEM;
			has_path = false;
		} else if (rword(&x, "use") || rword(&x, "extern")) {
			bool ext = d[x.i] == 'e';
			uint32_t start = (uint32_t)x.i;

			x.i += ext ? 6 : 3;
			if (ext) {
				if (!rskip(&x) || !rword(&x, "crate"))
					continue;
				x.i += 5;
			}
			if (!rskip(&x))
				break;
			if (d[x.i] == ':' && x.i + 1 < size && d[x.i + 1] == ':') {
				x.i += 2;
				if (!rskip(&x))
					break;
			}
			if (!(n = rident(&x, &a)))
				continue;
			if (!ext && n == 5 && !memcmp(d + a, "crate", 5)) {
				/* `use crate::a::...`: `a` must be a name of the crate root */
				struct rlex y = x;
				size_t b, bn;

				if (rskip(&y) && y.i + 1 < size && d[y.i] == ':' && d[y.i + 1] == ':') {
					y.i += 2;
					if (rskip(&y) && (bn = rident(&y, &b)) > 0 && rskip(&y) && y.i + 1 < size &&
					    d[y.i] == ':' && d[y.i + 1] == ':' &&
					    (error = push(info, IMP_RUST_USE, d + b, bn, start, (uint32_t)(b + bn),
							(uint32_t)b, (uint32_t)(b + bn), 2)) < 0)
						break;
				}
			}
			if (!(n == 5 && !memcmp(d + a, "crate", 5)) && !(n == 4 && !memcmp(d + a, "self", 4)) &&
			    !(n == 5 && !memcmp(d + a, "super", 5)) && !(n == 4 && !memcmp(d + a, "Self", 4)) &&
			    (error = push(info, IMP_RUST_USE, d + a, n, start, (uint32_t)(a + n), (uint32_t)a,
					(uint32_t)(a + n), ext)) < 0)
				break;
			if (ext && (error = imp_info_def(info, d + a, n)) < 0)
				break;
			/* every name the statement binds may start another use path */
			{
				int group = 0;   /* braces of `use a::{b, c::{d}}` are not blocks */

				while (!error && rskip(&x) && !(group == 0 && (d[x.i] == ';' || d[x.i] == '}'))) {
					if (is_ident(d[x.i])) {
						n = rident(&x, &a);
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
			for (k = 0; k < sizeof(items) / sizeof(items[0]); k++)
				if (rword(&x, items[k]))
					break;
			n = rident(&x, &a);
			if (!n)
				x.i++;
			if (k == sizeof(items) / sizeof(items[0])) {
				/* an item macro at the top may define any name (serde's crate_root!()) */
				if (depth == 0 && n && rskip(&x) && d[x.i] == '!' &&
				    (x.i + 1 >= size || d[x.i + 1] != '='))
					info->dynamic = true;
				continue;
			}
			if (!rskip(&x))
				continue;
			if (d[x.i] == '!')
				x.i++;
			if (rskip(&x) && (n = rident(&x, &a)) > 0)
				error = imp_info_def(info, d + a, n);
		} else {
			x.i++;
		}
	}
	wm_buf_dispose(&mod);
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

/* go.mod: `module x`, and `require x v` / `require ( x v ... )`. */
static int load_go_mod(imp_index *idx, const char *path, const char *d, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t i = 0;
	bool block = false;
	int error = 0;

	while (i < size && !error) {
		size_t eol = i, j = i, a;

		while (eol < size && d[eol] != '\n')
			eol++;
		while (j < eol && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (!block && eol - j > 7 && !memcmp(d + j, "module ", 7)) {
			char *m;

			for (j += 7; j < eol && (d[j] == ' ' || d[j] == '"'); j++)
				;
			for (a = j; j < eol && d[j] != ' ' && d[j] != '"' && d[j] != '\r'; j++)
				;
			if (!(m = wm_strndup(d + a, j - a)))
				return WM_ENOMEM;
			if ((error = imp_map_put(&idx->gomods, path, slash ? (size_t)(slash - path) : 0, m)) < 0)
				wm_free(m);
		} else if (!block && eol - j >= 8 && !memcmp(d + j, "require", 7) && (d[j + 7] == ' ' || d[j + 7] == '(')) {
			for (j += 7; j < eol && d[j] == ' '; j++)
				;
			if (j < eol && d[j] == '(')
				block = true;
			else
				goto req;
		} else if (block && j < eol && d[j] == ')') {
			block = false;
		} else if (block && j < eol && d[j] != '/') {
req:
			for (a = j; j < eol && d[j] != ' ' && d[j] != '\t'; j++)
				;
			if (j > a)
				error = imp_map_put(&idx->goreqs, d + a, j - a, (void *)1);
		}
		i = eol + 1;
	}
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
	return imp_contract_check(ctx, s, target);
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
	wm_buf prefix = WM_BUF_INIT;
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
	if (file || test)
		error = imp_contract_check(ctx, s, file ? file : test);
done:
	wm_buf_dispose(&prefix);
	return error;
}

static int check_go(const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	wm_buf md = WM_BUF_INIT, p = WM_BUF_INIT, msg = WM_BUF_INIT;
	const char *imp = s->module, *best = NULL, *bestdir = NULL;
	size_t i, bl = 0, first = strcspn(imp, "/");
	int error = 0;

	if (!go_module(&md, idx, ctx->path))
		goto done;
	/* the longest module path of the repository that prefixes the import */
	for (i = 0; i < idx->gomods.cap; i++) {
		const char *m = idx->gomods.vals[i], *d = idx->gomods.keys[i];
		size_t ml;

		if (!d || !m || !(ml = strlen(m)) || strncmp(imp, m, ml) || (imp[ml] && imp[ml] != '/') || ml <= bl)
			continue;
		best = m, bestdir = d, bl = ml;
	}
	if (best) {
		bool touch = false;

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
		if ((error = wm_buf_printf(&msg, "package '%s' should be the directory %s of module %s, "
				"which has no .go files", imp, *p.ptr ? p.ptr : ".", best)) < 0)
			goto done;
		error = imp_emit(ctx, "unresolved-import", false, s->mod_start, s->mod_end, msg.ptr, NULL);
		goto done;
	}
	if (ctx->dependent || go_is_std(imp, first) || go_required(idx, imp))
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

static int check_rust_mod(const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	wm_buf md = WM_BUF_INIT, a = WM_BUF_INIT, b = WM_BUF_INIT, msg = WM_BUF_INIT;
	bool root;
	int error = 0;

	if (s->alias && !*s->alias) {
		goto done;   /* #[cfg_attr(.., path = ..)] */
	} else if (s->alias) {
		/* #[path] is relative to the declaring file's directory */
		dir_of(&md, ctx->path);
		if (!imp_normalise(&a, md.ptr, s->alias, strlen(s->alias)))
			goto done;
		if (exists(idx, a.ptr)) {
			error = contract(ctx, s, a.ptr);
			goto done;
		}
		if (ctx->dependent && !touches_changed(idx, a.ptr))
			goto done;
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
		error = wm_buf_printf(&msg, "module '%s' needs %s or %s, and neither is in the repository",
			s->module, a.ptr, b.ptr);
	}
	if (error >= 0)
		error = imp_emit(ctx, "unresolved-import", false, s->mod_start, s->mod_end, msg.ptr, NULL);
done:
	wm_buf_dispose(&md);
	wm_buf_dispose(&a);
	wm_buf_dispose(&b);
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

/*
 * dna.contracts on `use crate::a::b::...`: the edge points at the deepest
 * module of the path that has a file (a.rs or a/mod.rs next to the crate
 * root, then b.rs or b/mod.rs in a's directory, ...); what follows is an
 * item of that file. The segments after `a` are read from the text.
 */
static int crate_contract(const imp_ctx *ctx, const imp_stmt *s, const char *root)
{
	imp_index *idx = ctx->idx;
	wm_buf dir = WM_BUF_INIT, f = WM_BUF_INIT, target = WM_BUF_INIT;
	const char *seg = s->module, *d = ctx->data;
	size_t sl = strlen(seg), i = s->mod_end;
	int error = 0;

	if (!idx->ncontracts)
		goto done;
	dir_of(&dir, root);
	if (!dir.ptr) {
		error = WM_ENOMEM;
		goto done;
	}
	while (sl) {
		wm_buf_clear(&f);
		if ((error = wm_buf_printf(&f, "%s%s%.*s.rs", dir.ptr, dir.size ? "/" : "", (int)sl, seg)) < 0)
			goto done;
		if (!imp_index_file(idx, f.ptr)) {
			wm_buf_clear(&f);
			if ((error = wm_buf_printf(&f, "%s%s%.*s/mod.rs", dir.ptr, dir.size ? "/" : "",
					(int)sl, seg)) < 0)
				goto done;
			if (!imp_index_file(idx, f.ptr))
				break;
		}
		wm_buf_clear(&target);
		if ((error = wm_buf_puts(&target, f.ptr)) < 0 ||
		    (error = wm_buf_printf(&dir, "%s%.*s", dir.size ? "/" : "", (int)sl, seg)) < 0)
			goto done;
		/* the next segment: `:: name`, blanks allowed */
		while (i < ctx->size && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
			i++;
		if (i + 1 >= ctx->size || d[i] != ':' || d[i + 1] != ':')
			break;
		for (i += 2; i < ctx->size && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'); i++)
			;
		for (seg = d + i; i < ctx->size && is_ident(d[i]); i++)
			;
		sl = (size_t)(d + i - seg);
	}
	if (target.size)
		error = imp_contract_check(ctx, s, target.ptr);
done:
	wm_buf_dispose(&dir);
	wm_buf_dispose(&f);
	wm_buf_dispose(&target);
	return error;
}

/* `use crate::a::b`: `a` must be a name the crate root defines. */
static int check_crate_path(const imp_ctx *ctx, const imp_stmt *s)
{
	wm_buf root = WM_BUF_INIT, msg = WM_BUF_INIT;
	bool found;
	int error = 0;

	if (ctx->dependent || (error = crate_root_defines(&found, &root, ctx, s->module)) < 0)
		goto done;
	if (found) {
		error = root.size ? crate_contract(ctx, s, root.ptr) : 0;
		goto done;
	}
	if (!root.size)
		goto done;
	if ((error = wm_buf_printf(&msg, "crate::%s: the crate root %s declares no module or item '%s'",
			s->module, root.ptr, s->module)) < 0)
		goto done;
	error = imp_emit(ctx, "unresolved-import", false, s->mod_start, s->mod_end, msg.ptr, NULL);
done:
	wm_buf_dispose(&root);
	wm_buf_dispose(&msg);
	return error;
}

static int check_rust_use(const imp_ctx *ctx, const imp_info *info, const imp_stmt *s)
{
	static const char *const sysroot[] = { "std", "core", "alloc", "proc_macro", "test" };
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	if (s->level == 2)
		return check_crate_path(ctx, s);
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
		default:
			break;
		}
	}
	return error;
}
