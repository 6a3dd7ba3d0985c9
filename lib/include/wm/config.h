/*
 * wm/config.h - the `.wm.yml` configuration (libyaml).
 *
 * Every key has a default, so no file is needed. The file is validated
 * against one schema table: unknown keys and values of the wrong type are
 * errors with "file:line:column: message" (WM_ECONFIG, exit code 2).
 * Values are read by dotted key ("paths.exclude", "detectors.syntax.enabled").
 *
 * Keys (lib/config_schema.c is the authority):
 *
 *     fail_on                  info|warning|error|critical|never   "error"
 *     paths.include            list of globs (non-empty: only these)  []
 *     paths.exclude            list of globs                          []
 *     paths.max_file_size      integer >= 0, bytes                    1048576
 *     detectors.<d>.enabled    boolean                                true
 *     detectors.<d>.severity.<rule>[/<lang>]
 *                              off|info|warning|error|critical        unset
 *     detectors.<d>.exclude    list of globs                          []
 *     docs.style               auto|google|numpy|sphinx            "auto"
 *     docs.coverage.floor      integer 0..100, percent (0: off)       0
 *     docs.coverage.ratchet    boolean (--diff: not below merge base) false
 *     docs.fix.stubs           boolean (missing-doc carries a stub)   false
 *     docs.c_headers           list of globs ([] means include/ **)   []
 *     docs.ignore.private, .magic, .init_method, .nested_functions,
 *       .setters, .tests       boolean                                true
 *     docs.ignore.init_module, .module, .overloads  boolean           false
 *     imports.roots            list of directories (Python sys.path)  []
 *     imports.dependency_files list of extra requirements files       []
 *     imports.guarded          off|info|warning|error|critical        "off"
 *     imports.include_dirs     list of directories (C/C++)            []
 *     imports.check_system_includes  check <...> includes too         false
 *     imports.aliases          list of "PREFIX=DIR" (JS/TS)           []
 *     dna.contracts            list of "FROM must not import TO"      []
 *     version.source           path of the canonical version file     unset
 *     version.files            list of extra version-bearing files    []
 *     version.tag_pattern      release tag template (X.Y.Z: version)  "v?X.Y.Z"
 *     version.ignore           list of globs drift never reads        []
 *     antibodies.builtin       boolean: apply wm's built-in antibodies true
 *     antibodies.dirs          list of repository directories of rule
 *                              files (empty: .wm/antibodies)         []
 *     antibodies.disable       list of antibody ids not to apply      []
 *     health.<metric>.min, .max, .ideal
 *                              number: the metric's balance range (wm/health.h)  unset
 *     health.<metric>.max_drop, .max_rise
 *                              number >= 0: most it may fall/rise from the
 *                              merge base in a --diff run               unset
 *     history.detectors        list of detectors per history commit   []
 *
 * Booleans are YAML 1.1 (true/false/yes/no/on/off, any case) and never
 * quoted; integers are decimal. Files over 1 MiB, nesting deeper than 64
 * levels and more than 100000 values (counting alias expansions) are
 * rejected. An error inside a node reached through an alias is reported at
 * the anchored node's position.
 *
 * Reading a key that is not in the schema, or with the accessor of another
 * type, is a programming error: it fails an assert() in debug builds and
 * returns the zero value (false, 0, NULL) under NDEBUG.
 *
 * A wm_config is immutable once built, so it may be shared between threads.
 */
#ifndef WM_CONFIG_H
#define WM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "finding.h"

typedef struct wm_config wm_config;

/**
 * Load a configuration file.
 *
 * @param out the configuration; free with wm_config_free()
 * @param path the file; when it does not exist, `out` holds the defaults
 * @return 0, WM_ECONFIG (invalid: message has file:line:column), or WM_ERROR (unreadable)
 */
WM_EXTERN int wm_config_load(wm_config **out, const char *path);

/**
 * Parse configuration text.
 *
 * @param out the configuration; free with wm_config_free()
 * @param name file name for messages (".wm.yml")
 * @param data YAML text (need not be NUL-terminated)
 * @param size bytes of data
 * @return 0 or WM_ECONFIG
 */
WM_EXTERN int wm_config_parse(wm_config **out, const char *name, const char *data, size_t size);

/** A configuration with every default. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_config_default(wm_config **out);

/** Free a configuration. NULL is a no-op. */
WM_EXTERN void wm_config_free(wm_config *cfg);

/**
 * A boolean value by dotted key. `key` must be in the schema with type
 * bool; wildcard map levels take the actual name ("detectors.syntax.enabled").
 * @return the value, or the schema default when the file does not set it
 */
WM_EXTERN bool wm_config_bool(const wm_config *cfg, const char *key);

/** An integer value by dotted key (schema default when unset). */
WM_EXTERN int64_t wm_config_int(const wm_config *cfg, const char *key);

/**
 * A number by dotted key (a `number` row of the schema).
 * @param out the value, when there is one
 * @return whether the file sets the key or the schema has a default
 */
WM_EXTERN bool wm_config_number(const wm_config *cfg, const char *key, double *out);

/**
 * A string value by dotted key.
 * @return borrowed string living as long as cfg; the schema default when
 *         unset (which may be NULL)
 */
WM_EXTERN const char *wm_config_string(const wm_config *cfg, const char *key);

/**
 * A list of strings by dotted key.
 * @param count_out number of strings
 * @return borrowed array living as long as cfg (NULL when empty)
 */
WM_EXTERN const char *const *wm_config_list(const wm_config *cfg, const char *key, size_t *count_out);

/**
 * Check that every detector named under `detectors:` is one of `known`.
 * @return 0 or WM_ECONFIG with "file:line:column: unknown detector \"x\" (known: a, b)"
 */
WM_EXTERN int wm_config_check_detectors(const wm_config *cfg, const char *const *known, size_t nknown);

/** The severity that fails the gate (`fail_on`, default error; WM_SEV_NONE: never). */
WM_EXTERN wm_severity wm_config_fail_on(const wm_config *cfg);

/** @return whether a detector is enabled (`detectors.<name>.enabled`, default true) */
WM_EXTERN bool wm_config_detector_enabled(const wm_config *cfg, const char *detector);

/**
 * The configured severity of a rule, for a file in a language.
 *
 * Looks up `detectors.<detector>.severity.<rule>/<lang>`, then
 * `detectors.<detector>.severity.<rule>`, else returns `fallback`.
 * WM_SEV_NONE means the rule is off.
 *
 * @param lang language name ("python") or NULL
 */
WM_EXTERN wm_severity wm_config_severity(const wm_config *cfg, const char *detector,
	const char *rule, const char *lang, wm_severity fallback);

/**
 * Check that every detector named under `detectors:` is one of `known`.
 *
 * Run once the detectors are registered, so a misspelt detector name is
 * an error instead of a setting that silently does nothing.
 *
 * @param known names of the registered detectors
 * @param nknown number of names
 * @return 0 or WM_ECONFIG with "file:line:column: unknown detector \"x\" (known: a, b)"
 */
WM_EXTERN int wm_config_check_detectors(const wm_config *cfg, const char *const *known, size_t nknown);

/**
 * Whether a repository-relative path is excluded by `paths.include` /
 * `paths.exclude` (gitignore-style globs: `*`, `**`, `?`, `[...]`, a trailing
 * `/` matches a directory and everything under it; see wm_glob_match()).
 *
 * @return true when `paths.include` is non-empty and no include matches,
 *         or when any exclude matches
 */
WM_EXTERN bool wm_config_path_excluded(const wm_config *cfg, const char *path);

/**
 * Match a path against one glob, the way `paths.*` use them (gitignore's rules).
 *
 * A pattern without '/' (a trailing one aside) matches a name at any depth
 * (`*.min.js`); otherwise it is anchored at the root, a leading '/' only
 * saying so. `*`, `?` and `[...]` (`[!...]`, `[^...]`, ranges) never match
 * '/'; `**` as a whole path segment matches any number of directories
 * ("a/ ** /b", spaces added, matches a/b and a/x/y/b); '\' escapes. A match on
 * a directory covers everything below it, and a trailing '/' restricts the
 * pattern to directories (`vendor/` matches `vendor/a/b.c`, not a file
 * `vendor`). Runs in O(pattern x path) time whatever the pattern.
 *
 * @param pattern the glob; NULL or "" matches nothing
 * @param path repository-relative, '/'-separated (a trailing '/' marks a directory)
 * @return whether the path matches
 */
WM_EXTERN bool wm_glob_match(const char *pattern, const char *path);

#endif
