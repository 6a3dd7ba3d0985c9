/*
 * drift.h - the version drift detector (rules version-mismatch, tag-mismatch,
 * internal-pin, changelog-missing, invalid-version) and the pieces its files
 * share: version parsing and ranges (drift_version.c), extraction of the
 * version-bearing values of each file kind (drift_sources.c), and the
 * repository-wide checks (drift.c).
 */
#ifndef WM_DETECTORS_DRIFT_H
#define WM_DETECTORS_DRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wm/wm.h>

/** Compares the version-bearing files of the scanned world (static). */
extern const wm_detector wm_detector_drift;

/* --- versions (drift_version.c) ---------------------------------------- */

/** Which rules a version string follows. */
typedef enum drift_scheme {
	DRIFT_LOOSE = 0,  /**< anything version-like: 1.2, v1.2.3-rc.1, 2.0b1 */
	DRIFT_PEP440,     /**< Python packages */
	DRIFT_SEMVER,     /**< npm, Cargo, Helm charts: SemVer 2.0.0 */
	DRIFT_NUMERIC     /**< CMake project(VERSION): up to four integers, nothing else */
} drift_scheme;

#define DRIFT_MAX_PARTS 8

/*
 * A parsed version, ordered the way PEP 440 and SemVer agree on: release
 * numbers (missing ones are zero), then dev < alpha < beta < rc < final <
 * post. Build metadata (SemVer `+x`, PEP 440 local `+x`) does not order.
 */
typedef struct drift_ver {
	uint64_t epoch;
	uint64_t rel[DRIFT_MAX_PARTS];
	unsigned nrel;
	int phase;           /**< DRIFT_PHASE_* */
	uint64_t phase_num;  /**< the 1 of rc1 / -rc.1 */
	char other[32];      /**< a SemVer pre-release that is not alpha/beta/rc/dev */
	bool post;           /**< PEP 440 .postN after the phase */
	uint64_t post_num;
	bool dev;            /**< PEP 440 .devN after a pre-release or post-release */
	uint64_t dev_num;
} drift_ver;

enum { DRIFT_PHASE_DEV = 0, DRIFT_PHASE_OTHER, DRIFT_PHASE_ALPHA, DRIFT_PHASE_BETA,
	DRIFT_PHASE_RC, DRIFT_PHASE_FINAL };

/**
 * Parse a version leniently (leading v, any of PEP 440's and SemVer's spellings).
 * @return 0, or WM_EPARSE when `s` does not look like a version at all (no message)
 */
int drift_ver_parse(drift_ver *out, const char *s, size_t len);

/** Whether `s` is valid in `scheme` (always true for DRIFT_LOOSE when it parses). */
bool drift_ver_valid(drift_scheme scheme, const char *s, size_t len);

/** <0, 0, >0 like strcmp. */
int drift_ver_cmp(const drift_ver *a, const drift_ver *b);

/** Release numbers only (for DRIFT_NUMERIC values, which cannot say rc1). */
int drift_ver_cmp_release(const drift_ver *a, const drift_ver *b);

/**
 * Spell a version the way `scheme` wants it (PEP 440 normal form, SemVer
 * `-rc.1`, release numbers only for DRIFT_NUMERIC). DRIFT_LOOSE copies
 * `text` unchanged.
 * @return 0 or WM_ENOMEM
 */
int drift_ver_render(wm_buf *out, drift_scheme scheme, const drift_ver *v, const char *text);

/**
 * Whether a dependency range admits a version.
 * `eco` is the range syntax: DRIFT_SEMVER for npm ("^1.2 || 2.x", "1 - 2"),
 * DRIFT_NUMERIC for Cargo ("1.2", "=1.0.171", ">=1, <2"), DRIFT_PEP440 for
 * Python (">=1.2,<2", "~=1.4", "==1.*").
 * @return 1 yes, 0 no, -1 when the range is not a plain version range
 *         (`workspace:*`, `file:..`, a URL, a tag): nothing to judge
 */
int drift_range_admits(drift_scheme eco, const char *range, size_t len, const drift_ver *v);

/**
 * The replacement for a range that should admit `version`: the same
 * operator in front of the new version (`^1.2.0` -> `^1.3.0`, `=1.0.171`
 * -> `=1.0.172`). Only single-comparator ranges are rewritten.
 * @return 0, WM_ENOTFOUND (no mechanical rewrite), or WM_ENOMEM
 */
int drift_range_retarget(wm_buf *out, const char *range, size_t len, const char *version);

/* --- version-bearing values (drift_sources.c) --------------------------- */

/** What kind of place a value was found in; the order is the canonical priority. */
typedef enum drift_kind {
	DRIFT_PYPROJECT = 0,  /**< [project].version / [tool.poetry].version */
	DRIFT_SETUP_CFG,
	DRIFT_SETUP_PY,
	DRIFT_PACKAGE_JSON,
	DRIFT_CARGO,          /**< [package].version or [workspace.package].version */
	DRIFT_GEMSPEC,
	DRIFT_POM,
	DRIFT_CHART,          /**< Chart.yaml version */
	DRIFT_CMAKE,
	DRIFT_CONFIGURE_AC,
	DRIFT_MESON,
	DRIFT_VERSION_FILE,   /**< VERSION, version.txt */
	DRIFT_PY_VERSION,     /**< __version__ = "..." */
	DRIFT_CHART_APP,      /**< Chart.yaml appVersion */
	DRIFT_README,
	DRIFT_EXTRA,          /**< listed in version.files */
	DRIFT_CHANGELOG,      /**< the newest heading; never rewritten */
	DRIFT__KINDS
} drift_kind;

/** One version string in one file, with its exact byte range. */
typedef struct drift_value {
	char *path;           /**< owned, repository-relative */
	drift_kind kind;
	drift_scheme scheme;  /**< what the value must be valid as */
	uint32_t start, end;  /**< byte range of the version text (quotes excluded) */
	char *text;           /**< owned copy of data[start..end) */
	char *note;           /**< owned, where exactly: "[project].version" */
} drift_value;

/** A package (or the repository root) that owns a set of values. */
typedef struct drift_dep {
	char *name;           /**< the depended-on package, as the manifest spells it */
	drift_scheme syntax;  /**< range syntax: SEMVER npm, NUMERIC Cargo, PEP440 Python */
	uint32_t start, end;  /**< byte range of the range text */
	char *range;          /**< owned copy */
	char *path;           /**< owned: the manifest */
} drift_dep;

/** What a manifest says besides its version. */
typedef struct drift_manifest {
	char *name;            /**< package name or NULL */
	bool dynamic;          /**< the version lives elsewhere */
	char *dynamic_file;    /**< file that holds it, relative to the manifest (file:, hatch path) */
	char *dynamic_attr;    /**< module attribute that holds it ("pkg.__version__", setuptools attr:) */
	bool from_tags;        /**< setuptools-scm & co.: the version is the newest tag */
	bool from_workspace;   /**< Cargo version.workspace = true */
	bool private_pkg;      /**< npm "private": true */
	char **members;        /**< owned globs: npm workspaces, Cargo workspace members */
	size_t nmembers;
	drift_dep *deps;
	size_t ndeps;
} drift_manifest;

/** Everything extracted from one file. */
typedef struct drift_extract {
	drift_value *values;
	size_t nvalues;
	drift_manifest manifest;
	/* CHANGELOG: every version named by a heading, and where to insert a new one. */
	char **headings;
	size_t nheadings;
	uint32_t insert_at;   /**< byte offset for a new top entry */
	int heading_style;    /**< 0 ATX "## ", 1 setext "===", 2 RST "---" */
	char underline;       /**< setext / RST underline character */
	int atx_level;
	char *heading_prefix; /**< "Version " / "[" ... text before the version in the top heading */
	char *heading_suffix; /**< text after it ("] - 2024-01-01" is dropped: a date is stale) */
} drift_extract;

/** The kind of a path, or DRIFT__KINDS when it bears no version by name. */
drift_kind drift_kind_of(const char *path);

/**
 * Extract the values of one file.
 * @param out filled in; free with drift_extract_dispose()
 * @param kind what drift_kind_of() said (or DRIFT_EXTRA)
 * @return 0, or WM_ENOMEM (a file that does not parse yields no values, not an error)
 */
int drift_extract_file(drift_extract *out, drift_kind kind, const char *path,
	const char *data, size_t size);

void drift_extract_dispose(drift_extract *x);

/** Free a value's strings. */
void drift_value_dispose(drift_value *v);

#endif
