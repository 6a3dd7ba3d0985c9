/*
 * syntax_registry.c - which language a file is written in.
 *
 * The registry answers from the path first (whole file names, then the
 * extension) and only then from a `#!` line, because a path is free to look
 * at and says what the author meant; a shebang only matters for scripts
 * without an extension (bin/deploy, manage).
 *
 * Case: extensions match exactly first, so `.C` and `.H` are C++ as gcc and
 * make treat them (a lowercase `.c`/`.h` is C). Any other extension then
 * matches case-insensitively (`.PY`, `.Json`, `.CPP`), since files committed
 * from case-insensitive file systems keep whatever case a tool gave them and
 * no other upper-case extension means something different.
 *
 * A leading dot does not start an extension (`.py` alone is a hidden file
 * named ".py", as Python's os.path.splitext sees it).
 *
 * JSON: the grammar accepts // and block comments but not trailing commas
 * or JSON5 syntax, so only `.json`, `.jsonc` and machine-written lock files
 * are JSON here. `.eslintrc`, `.prettierrc` and `.babelrc` are left out on
 * purpose: each may hold YAML or JSON5, and calling them JSON would turn
 * valid files into syntax errors.
 */
#include <string.h>
#include <strings.h>

#include "wm/syntax.h"

static const char *const lang_names[WM_LANG__COUNT] = {
	"none", "python", "javascript", "typescript", "tsx", "c", "cpp",
	"go", "rust", "json", "toml"
};

struct name_entry {
	const char *name;
	wm_lang lang;
};

/* Whole base names that say more than their extension (or have none). */
static const struct name_entry file_names[] = {
	{ "Cargo.lock", WM_LANG_TOML },
	{ "Pipfile", WM_LANG_TOML },
	{ "poetry.lock", WM_LANG_TOML },
	{ "uv.lock", WM_LANG_TOML },
	{ "pdm.lock", WM_LANG_TOML },
	{ "Pipfile.lock", WM_LANG_JSON },
	{ "composer.lock", WM_LANG_JSON },
	{ "flake.lock", WM_LANG_JSON },
};

static const struct name_entry extensions[] = {
	{ "py", WM_LANG_PYTHON }, { "pyi", WM_LANG_PYTHON }, { "pyw", WM_LANG_PYTHON },
	{ "js", WM_LANG_JAVASCRIPT }, { "mjs", WM_LANG_JAVASCRIPT },
	{ "cjs", WM_LANG_JAVASCRIPT }, { "jsx", WM_LANG_JAVASCRIPT },
	/* `.d.ts` needs no entry of its own: its last extension is `.ts`. */
	{ "ts", WM_LANG_TYPESCRIPT }, { "mts", WM_LANG_TYPESCRIPT }, { "cts", WM_LANG_TYPESCRIPT },
	{ "tsx", WM_LANG_TSX },
	{ "c", WM_LANG_C }, { "h", WM_LANG_C },
	{ "C", WM_LANG_CPP }, { "H", WM_LANG_CPP },
	{ "cc", WM_LANG_CPP }, { "cpp", WM_LANG_CPP }, { "cxx", WM_LANG_CPP },
	{ "c++", WM_LANG_CPP }, { "hpp", WM_LANG_CPP }, { "hh", WM_LANG_CPP },
	{ "hxx", WM_LANG_CPP }, { "h++", WM_LANG_CPP }, { "ipp", WM_LANG_CPP },
	{ "tcc", WM_LANG_CPP }, { "inl", WM_LANG_CPP },
	{ "go", WM_LANG_GO },
	{ "rs", WM_LANG_RUST },
	{ "json", WM_LANG_JSON }, { "jsonc", WM_LANG_JSON },
	{ "toml", WM_LANG_TOML },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A shebang line is short; reading further only invites pathological input. */
#define SHEBANG_MAX 256

const char *wm_lang_name(wm_lang lang)
{
	if ((unsigned)lang >= WM_LANG__COUNT)
		return "none";
	return lang_names[lang];
}

wm_lang wm_lang_from_name(const char *name)
{
	size_t i;

	if (!name)
		return WM_LANG_NONE;
	for (i = 1; i < WM_LANG__COUNT; i++) {
		if (!strcmp(name, lang_names[i]))
			return (wm_lang)i;
	}
	return WM_LANG_NONE;
}

static wm_lang lang_by_extension(const char *ext)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(extensions); i++) {
		if (!strcmp(ext, extensions[i].name))
			return extensions[i].lang;
	}
	for (i = 0; i < ARRAY_SIZE(extensions); i++) {
		if (!strcasecmp(ext, extensions[i].name))
			return extensions[i].lang;
	}
	return WM_LANG_NONE;
}

static wm_lang lang_by_path(const char *path)
{
	const char *base, *dot;
	size_t i;

	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (i = 0; i < ARRAY_SIZE(file_names); i++) {
		if (!strcmp(base, file_names[i].name))
			return file_names[i].lang;
	}
	dot = strrchr(base, '.');
	if (!dot || dot == base || !dot[1])
		return WM_LANG_NONE;
	return lang_by_extension(dot + 1);
}

/* "python3.11" is python; so are "python", "python2", "pypy3". */
static bool is_python(const char *s, size_t len)
{
	size_t i = 0;

	if (len >= 6 && !strncmp(s, "python", 6))
		i = 6;
	else if (len >= 4 && !strncmp(s, "pypy", 4))
		i = 4;
	else
		return false;
	for (; i < len; i++) {
		if ((s[i] < '0' || s[i] > '9') && s[i] != '.')
			return false;
	}
	return true;
}

static wm_lang lang_by_interpreter(const char *s, size_t len)
{
	const char *base = s + len;

	/* "/usr/bin/python3" and "python3" name the same interpreter. */
	while (base > s && base[-1] != '/')
		base--;
	len -= (size_t)(base - s);
	s = base;
	if (is_python(s, len))
		return WM_LANG_PYTHON;
	if ((len == 4 && !strncmp(s, "node", 4)) || (len == 6 && !strncmp(s, "nodejs", 6)))
		return WM_LANG_JAVASCRIPT;
	if ((len == 7 && !strncmp(s, "ts-node", 7)) || (len == 4 && !strncmp(s, "deno", 4)))
		return WM_LANG_TYPESCRIPT;
	return WM_LANG_NONE;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static wm_lang lang_by_shebang(const char *data, size_t size)
{
	const char *p, *end, *word;
	bool after_env = false, skip_next = false;

	if (!data || size < 3 || data[0] != '#' || data[1] != '!')
		return WM_LANG_NONE;
	end = memchr(data, '\n', size < SHEBANG_MAX ? size : SHEBANG_MAX);
	if (!end)
		end = data + (size < SHEBANG_MAX ? size : SHEBANG_MAX);
	if (end > data && end[-1] == '\r')
		end--;

	/*
	 * "#!/usr/bin/env -S python3 -u" and "#!/usr/bin/env FOO=1 node": after
	 * env, options and variable assignments come before the interpreter.
	 */
	for (p = data + 2;;) {
		size_t len;

		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			return WM_LANG_NONE;
		word = p;
		while (p < end && !is_blank(*p))
			p++;
		len = (size_t)(p - word);
		if (skip_next) {
			skip_next = false;
			continue;
		}
		if (after_env && (word[0] == '-' || memchr(word, '=', len))) {
			/* "-u NAME" and "-C DIR" take the next word with them. */
			skip_next = len == 2 && (word[1] == 'u' || word[1] == 'C');
			continue;
		}
		if (!after_env && lang_by_interpreter(word, len) == WM_LANG_NONE &&
		    len >= 3 && !strncmp(word + len - 3, "env", 3) &&
		    (len == 3 || word[len - 4] == '/')) {
			after_env = true;
			continue;
		}
		return lang_by_interpreter(word, len);
	}
}

wm_lang wm_syntax_detect(const char *path, const char *data, size_t size)
{
	wm_lang lang = WM_LANG_NONE;

	if (path)
		lang = lang_by_path(path);
	if (lang == WM_LANG_NONE)
		lang = lang_by_shebang(data, size);
	return lang;
}

bool wm_syntax_is_binary(const char *data, size_t size)
{
	/* git's buffer_is_binary(): a NUL in the first 8000 bytes. */
	if (!data)
		return false;
	return memchr(data, '\0', size < 8000 ? size : 8000) != NULL;
}
