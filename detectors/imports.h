/*
 * imports.h - the imports detector (rules unresolved-import, unresolved-name,
 * undeclared-dependency, contract-violation), and what its files share.
 *
 * The detector is split by concern:
 *
 *   imports.c          the wm_detector: per-file checks, dependents, emitting
 *   imports_index.c    the repository index of one run (files, directories,
 *                      roots, declared dependencies, per-file facts)
 *   imports_python.c   Python: facts from a tree, resolution, fixes
 *   imports_js.c       JavaScript and TypeScript: the same
 *   imports_native.c   C/C++, Go, Rust: lexical facts, go.mod, Cargo.toml,
 *                      include directories, resolution
 *   imports_deps.c     declared dependencies from manifests, dist -> import names
 *   imports_stdlib.c   the standard library table (generated)
 *   imports_refs.c     dependents: module references per blob, cached by
 *                      blob oid between runs (wm/blobcache.h)
 *   imports_util.c     a string map, edit distance
 *
 * Per-file facts (imp_info: the imports and top-level definitions of one
 * blob) are a pure function of (language, content); imports_refs.c caches
 * the part dependents need, the module references, by blob oid.
 */
#ifndef WM_DETECTORS_IMPORTS_H
#define WM_DETECTORS_IMPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wm/wm.h>

/** Reports imports that resolve nowhere, with rename-aware fixes (static). */
extern const wm_detector wm_detector_imports;

/* --- a string-keyed hash map (open addressing, keys copied) ----------- */

typedef struct imp_map {
	char **keys;
	void **vals;
	size_t cap, count;
} imp_map;

#define IMP_MAP_INIT { NULL, NULL, 0, 0 }

/** Insert or replace; the key is copied. @return 0 or WM_ENOMEM */
int imp_map_put(imp_map *m, const char *key, size_t len, void *val);
/** @return the value slot of `key`, or NULL when absent */
void **imp_map_get(const imp_map *m, const char *key, size_t len);
/** @return whether `key` is present (NUL-terminated form) */
bool imp_map_has(const imp_map *m, const char *key);
/** Free keys, and values through free_val when not NULL. */
void imp_map_dispose(imp_map *m, void (*free_val)(void *));

/** Levenshtein distance, giving up (returning max + 1) beyond `max`. */
size_t imp_distance(const char *a, const char *b, size_t max);

/* --- per-file facts ------------------------------------------------------ */

/** Where an import sits, which decides how sure we are that it must resolve. */
enum {
	IMP_GUARD_TRY = 1,       /**< in a try whose handler catches ImportError */
	IMP_GUARD_TYPING = 2,    /**< under `if TYPE_CHECKING:` */
	IMP_GUARD_FUNCTION = 4,  /**< inside a function body */
	IMP_GUARD_COND = 8       /**< under a version or platform test */
};

enum imp_kind {
	IMP_IMPORT,   /**< Python `import a.b [as c]` (one per dotted name) */
	IMP_FROM,     /**< Python `from [.]a import n [as m]` */
	IMP_JS,       /**< JS/TS import, export-from, require(), import() */
	IMP_INCLUDE,  /**< C/C++ #include; level 1 for "...", 0 for <...> */
	IMP_GO,       /**< Go import spec */
	IMP_RUST_MOD, /**< Rust `mod x;`: module "a/x" below inline mods, alias the #[path] and
	                   names[0] its literal's bytes; start includes a `pub(...)` before it */
	IMP_RUST_USE, /**< Rust `use x::...` / `extern crate x` (level 1): module is the first segment */
	IMP_RUST_PATH,/**< Rust: one leaf of a use tree; names are its segments (the last may have an
	                   `as` alias), star for a glob, level 1 for a leading `::`, alias the inline
	                   modules around it ("a/b", NULL at the top), guard IMP_GUARD_FUNCTION when
	                   it is not an item of a module (in a fn or impl) */
	IMP_RUST_ITEM,/**< Rust: a name the module `alias` (as above) defines; level IMP_RUST_ITEM_* */
};

/*
 * Kinds of IMP_RUST_ITEM. Module names are facts of the file like its
 * imports, so they travel with the statements (and whatever caches them).
 */
enum {
	IMP_RUST_ITEM_PLAIN,   /**< fn, struct, enum, trait, type, union, const, static */
	IMP_RUST_ITEM_MOD,     /**< an inline `mod x { ... }` */
	IMP_RUST_ITEM_EXTERN,  /**< `extern crate x [as y]` */
	IMP_RUST_ITEM_MACRO,   /**< macro_rules! (textual scope; reachable by path through `use` only) */
	IMP_RUST_ITEM_EXPORT,  /**< #[macro_export] macro_rules!: a name of the crate root */
	IMP_RUST_ITEM_ANY      /**< "*": an item macro may define any name here */
};

typedef struct imp_name {
	char *name;          /**< imported name ("default" for a JS default import) */
	char *alias;         /**< `as` name, or NULL */
	uint32_t start, end; /**< bytes of the name (with its alias) as written */
} imp_name;

typedef struct imp_stmt {
	int kind;                   /**< enum imp_kind */
	char *module;               /**< dotted module without leading dots; JS: the specifier */
	unsigned level;             /**< Python: leading dots */
	char *alias;                /**< IMP_IMPORT: `as` name */
	uint32_t start, end;        /**< the statement */
	uint32_t mod_start, mod_end;/**< the module as written (dots included; JS: inside the quotes) */
	imp_name *names;
	size_t nnames;
	bool star;                  /**< `from m import *`, `export * from` */
	bool type_only;             /**< JS: `import type`, `export type` */
	unsigned guard;             /**< IMP_GUARD_* bits */
} imp_stmt;

typedef struct imp_info {
	wm_lang lang;
	imp_stmt *imports;
	size_t nimports, aimports;
	char **defs;                /**< top-level names (JS: exports), sorted, unique */
	size_t ndefs, adefs;
	bool dynamic;               /**< names cannot be known statically (PEP 562 __getattr__, globals(), CommonJS) */
	bool esm;                   /**< JS: has ES exports (named imports are checkable) */
	bool sys_modules;           /**< Python: writes sys.modules[...] (may alias submodules) */
} imp_info;

void imp_info_free(imp_info *info);
/** Append a definition (sorted later by imp_info_finish). @return 0 or WM_ENOMEM */
int imp_info_def(imp_info *info, const char *name, size_t len);
/** Append an import; `out` points into the array until the next push. */
int imp_info_push(imp_stmt **out, imp_info *info);
int imp_stmt_name(imp_stmt *stmt, const char *name, size_t len, const char *alias,
	size_t alen, uint32_t start, uint32_t end);
/** Sort and unique the definitions. */
void imp_info_finish(imp_info *info);
bool imp_info_defines(const imp_info *info, const char *name);

/** Text of a node as a new string. @return NULL on WM_ENOMEM */
char *imp_node_text(const char *data, size_t size, TSNode node);

/**
 * The imports and top-level definitions of a Python file.
 * @param out facts; free with imp_info_free()
 * @param tree a parse of data
 */
int imp_python_extract(imp_info **out, const char *data, size_t size, const TSTree *tree);

/** The imports and exports of a JavaScript or TypeScript file. */
int imp_js_extract(imp_info **out, wm_lang lang, const char *data, size_t size, const TSTree *tree);

/**
 * The includes, imports and module declarations of a C, C++, Go or Rust
 * file, from a lexical scan (no tree needed).
 * @param path the file's path (Rust module directories depend on it)
 */
int imp_native_extract(imp_info **out, wm_lang lang, const char *path, const char *data, size_t size);
/** @return whether the detector checks imports of this language */
bool imp_native_lang(wm_lang lang);

/** Normalise dir + "/" + rel ("a/./b/../c"); false when it climbs above the root. */
bool imp_normalise(wm_buf *out, const char *dir, const char *rel, size_t rl);

/* --- the repository index of one run ------------------------------------ */

/** Kinds of Python module a dotted name can resolve to. */
enum imp_mod {
	IMP_MOD_NONE = 0,
	IMP_MOD_FILE,     /**< a.py / a.pyi */
	IMP_MOD_PKG,      /**< a/__init__.py */
	IMP_MOD_NS,       /**< a/ without __init__ (namespace package) */
	IMP_MOD_OPAQUE    /**< a.pyx, a.so: exists, names unknown */
};

/* Directory flags in imp_index.dirs. */
enum { IMP_DIR = 1, IMP_DIR_PY = 2, IMP_DIR_INIT = 4 };

typedef struct imp_index {
	wm_scan *scan;
	const wm_world *world;
	imp_map files;        /**< world paths -> (void *)1 */
	imp_map dirs;         /**< directory paths -> IMP_DIR_* flags */
	imp_map infos;        /**< path -> imp_info * parsed on demand (NULL: unparsable) */
	char **roots;         /**< Python import roots, "" is the repository root */
	size_t nroots;
	imp_map pydeps;       /**< declared Python import names */
	bool pymanifest;      /**< a Python dependency manifest exists */
	imp_map jsdeps;       /**< "<dir of package.json>\n<name>" declared JS packages */
	imp_map jspkgs;       /**< directory of each package.json -> its "name" (owned string) */
	/* tsconfig baseUrl/paths: alias prefix -> target directory */
	char **alias_from, **alias_to;
	size_t naliases;
	char *base_url;       /**< unused (a baseUrl is an alias with an empty prefix) */
	bool js_loaded;       /**< tsconfig files and imports.aliases were read */
	/* renames of the run: old path -> new path ("" for a deletion) */
	imp_map moved;
	imp_map changed;      /**< paths changed, renamed away or deleted in this run */
	bool has_changes;
	/* C/C++, Go, Rust (imports_native.c), loaded on first use */
	bool native_loaded;
	char **inc_dirs;      /**< imports.include_dirs, then compile_commands.json -I/-iquote */
	size_t ninc;
	imp_map gomods;       /**< directory of each go.mod -> its module path (owned) */
	imp_map goreqs;       /**< module paths required by any go.mod */
	imp_map godirs;       /**< directories holding .go files */
	imp_map goreplace;    /**< module paths a go.mod or go.work replaces with a repository directory -> it (owned) */
	bool go_outside;      /**< a go.work uses a module outside the repository (paths of unknown modules) */
	imp_map bybase;       /**< file name -> "\n"-joined paths ending in it (owned) */
	imp_map rustdeps;     /**< crate names (`-` -> `_`) of every Cargo.toml's dependencies and packages */
	bool cargo;           /**< a Cargo.toml exists */
	/* dna.contracts, parsed */
	char **contract_from, **contract_forbid;
	size_t ncontracts;
} imp_index;

/** The run's index, built on first use and kept in wm_scan_state(). */
int imp_index_get(imp_index **out, wm_scan *scan);
void imp_index_free(imp_index *idx);
bool imp_index_file(const imp_index *idx, const char *path);
/** @return IMP_DIR_* flags of a directory ("" is the root), 0 when none */
int imp_index_dir(const imp_index *idx, const char *path);
/**
 * Facts of a world file, parsed on first request and kept for the run.
 * @param out borrowed; NULL when the file is missing, binary or unparsable
 */
int imp_index_info(const imp_info **out, imp_index *idx, const char *path);
/** Keep facts made elsewhere (the scanned target's tree); takes ownership. */
int imp_index_keep(imp_index *idx, const char *path, imp_info *info);
/**
 * Facts of a file's content, not kept. A pure function of (path's
 * language, content), except for WM_ENOTFOUND.
 * @param out facts, NULL when there is nothing to know (binary, not a
 *        checked language); free with imp_info_free()
 * @return 0, WM_ENOTFOUND (larger than paths.max_file_size, or the parse
 *         timed out: nothing known, and nothing to cache), or WM_ENOMEM
 */
int imp_index_extract(imp_info **out, imp_index *idx, const char *path, const char *data, size_t size);

/* --- dependents: the reverse import index (imports_refs.c) ------------- */

/**
 * The layout of cached references. A change to what the extractors yield
 * needs no bump: the build keys the cache on a hash of their sources
 * (WM_IMPORTS_SOURCES_ID, CMakeLists.txt).
 */
#define IMP_REFS_FORMAT 3

/** One run's search for the files that import what the run changed. */
typedef struct imp_refs imp_refs;

/**
 * Start a search: the names of the changed modules, and the blob cache
 * (`WM_IMPORTS_CACHE=off` runs without it, `=scan` searches bytes as
 * before the cache existed).
 * @param out free with imp_refs_free(); NULL when no changed file is a
 *        module of a checked language, so no file can depend on the change
 */
int imp_refs_new(imp_refs **out, imp_index *idx);
/**
 * Whether a world file's imports may name a changed module. Facts
 * computed on the way are kept in the index when they match.
 * @param out true when the file is worth checking as a dependent
 * @return 0 or WM_ENOMEM (an unreadable file is simply no dependent)
 */
int imp_refs_match(bool *out, imp_refs *refs, const wm_entry *entry);
/** Write what was computed to the cache and record the "imports-cache" metric. */
int imp_refs_finish(imp_refs *refs, wm_scan *scan);
void imp_refs_free(imp_refs *refs);
/**
 * The module references of a file, one a line, as written: Python dotted
 * names with their leading dots (and `from m import n` also as m.n, which
 * may be a submodule), JS/TS specifiers, C/C++ include paths, Go import
 * paths, Rust `mod` paths, `#[path]`s and `use` roots.
 */
int imp_refs_of(wm_buf *out, const imp_info *info);
/**
 * Whether references name one of `stems` (a module's file or directory
 * name); `path`, the referring file, resolves relative references to the
 * package they name (NULL: not resolved).
 */
bool imp_refs_name_any(const char *refs, size_t size, const imp_map *stems, const char *path);
/** The names an import of a changed module must contain (keys of `stems`). */
int imp_refs_changed_stems(imp_map *stems, const imp_index *idx);

/* --- declared dependencies ---------------------------------------------- */

/** Read Python and JS manifests of the world into the index. */
int imp_deps_load(imp_index *idx);
/** Normalised import name(s) of a distribution, appended to the map. */
int imp_deps_add_dist(imp_map *deps, const char *dist, size_t len);

/* --- the standard library ------------------------------------------------ */

typedef struct imp_stdlib_row {
	const char *name;
	unsigned char since, until;   /**< minor versions of Python 3 */
} imp_stdlib_row;

extern const imp_stdlib_row imp_stdlib_python[];
extern const size_t imp_stdlib_python_len;
bool imp_stdlib_is_python(const char *top, size_t len);
bool imp_stdlib_is_node(const char *name, size_t len);

/* --- checking ------------------------------------------------------------ */

/** What the caller of a check wants reported. */
typedef struct imp_ctx {
	wm_scan *scan;
	imp_index *idx;
	const char *path;        /**< the importing file */
	const char *data;        /**< its content */
	size_t size;
	bool current;            /**< the file wm_scan is scanning (positions are computed by the scan) */
	bool dependent;          /**< only statements touching changed files are reported */
} imp_ctx;

/**
 * Emit a finding on ctx->path with positions and suppressions handled.
 * A guarded finding takes the `imports.guarded` severity (and is dropped
 * when that is off); others the rule's.
 */
int imp_emit(const imp_ctx *ctx, const char *rule, bool guarded, uint32_t start,
	uint32_t end, const char *message, const wm_fix *fix);

/**
 * imp_emit() with a severity other than the rule's default (WM_SEV_NONE:
 * the default); the configuration still overrides it.
 */
int imp_emit_severity(const imp_ctx *ctx, const char *rule, bool guarded, wm_severity severity,
	uint32_t start, uint32_t end, const char *message, const wm_fix *fix);

int imp_python_check(const imp_ctx *ctx, const imp_info *info);
int imp_js_check(const imp_ctx *ctx, const imp_info *info);
int imp_native_check(const imp_ctx *ctx, const imp_info *info);
/**
 * dna.contracts: forbidden edges from this file's resolved imports.
 * `shown` names the target in the message (NULL: target_path), for an
 * edge to a package checked through one of its files.
 */
int imp_contract_check(const imp_ctx *ctx, const imp_stmt *stmt, const char *target_path, const char *shown);

#endif
