/*
 * drift.c - the drift detector: every place a project writes its version,
 * compared with the one place that decides it.
 *
 * Drift is a property of the whole tree, not of a changed file, so the
 * detector works in scan_repo over the scanned world: the index in a hook
 * (so a commit that bumps one file and not the others is caught before it
 * exists), HEAD in CI, the working tree by hand. It runs in four steps:
 *
 * 1. Find the version-bearing files by name (drift_kind_of), read them from
 *    the world and extract their values with exact byte ranges
 *    (drift_sources.c). Vendored trees and test fixtures are skipped: their
 *    manifests are data, not this project's version.
 * 2. Group them into units: the repository root, and every directory whose
 *    manifest states a version or a package name (an npm workspace package,
 *    a Cargo crate, a Python package of a monorepo). A file belongs to the
 *    nearest unit above it. Packages of a monorepo version independently, so
 *    values are only compared within a unit.
 * 3. Choose each unit's canonical value: `version.source` for the root when
 *    set; else the primary manifest by a fixed priority (pyproject, setup.cfg,
 *    setup.py, package.json, Cargo.toml, gemspec, pom.xml, Chart.yaml,
 *    CMake, autoconf, Meson, VERSION), following dynamic versions to where
 *    the literal lives (setuptools attr:/file:, hatch's path, Cargo's
 *    version.workspace, setuptools-scm to the tag). A private package.json
 *    beside another ecosystem's manifest is tooling and is not compared. The
 *    reason for the choice goes into every message.
 * 4. Judge: values that differ (version-mismatch, with a fix that rewrites
 *    only the value's bytes), values invalid for their ecosystem
 *    (invalid-version), tags ahead of or disagreeing with the root version
 *    (tag-mismatch), sibling packages pinned to ranges that exclude each
 *    other's version (internal-pin, with a fix that keeps the operator), and
 *    a version with no CHANGELOG entry (changelog-missing, with a heading
 *    stub as the fix).
 *
 * "Changed in this change" needs the commit the change is measured against:
 * wm_targets.base (HEAD for --staged, the merge base for --diff). With no
 * base (--all, --rev) there is no change, so changelog-missing instead
 * reports a canonical version newer than every CHANGELOG entry: a release
 * whose notes were never written.
 *
 * Findings are in files other than the one being scanned (scan_repo has no
 * file), so positions and `wm: ignore[...]` suppressions are computed here
 * from the bytes read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "drift.h"

#define NO_UNIT ((size_t)-1)

static const wm_rule_info rules[] = {
	{
		"version-mismatch", WM_SEV_ERROR,
		"A version-bearing file disagrees with the canonical version.",
		"The project's version is written in several files and one of them says something "
		"else than the canonical one (the `version.source` of .wm.yml, or the primary "
		"manifest). Users, package indexes and tools then disagree on what was released. "
		"The fix rewrites only the version text in this file to the canonical value; if "
		"this file is the one that is right, bump the canonical file instead."
	},
	{
		"tag-mismatch", WM_SEV_ERROR,
		"A release tag disagrees with the manifest version.",
		"The newest release tag on this branch is newer than the version the manifest "
		"states, or the commit is tagged as a release of a different version. Either the "
		"bump was forgotten or the tag names the wrong version. The tag pattern is "
		"`version.tag_pattern` (default `v?X.Y.Z`)."
	},
	{
		"internal-pin", WM_SEV_ERROR,
		"A sibling package is pinned to a range that excludes its current version.",
		"In a monorepo (npm workspaces, a Cargo workspace, Python path dependencies) a "
		"package depends on a sibling through a version range that its current version "
		"does not satisfy, so installs resolve an old published copy or fail. The fix "
		"keeps the operator and points the range at the current version."
	},
	{
		"changelog-missing", WM_SEV_WARNING,
		"The current version has no CHANGELOG entry.",
		"The version was bumped in this change (or, scanning everything, is newer than "
		"every CHANGELOG entry) but the CHANGELOG has no heading for it. The fix inserts "
		"a heading stub in the style of the newest entry, to be filled in."
	},
	{
		"invalid-version", WM_SEV_ERROR,
		"A version string is not valid for its ecosystem.",
		"pip (PEP 440), npm, Cargo and Helm (SemVer 2.0.0) reject or misorder this "
		"version, so the package cannot be published or is sorted wrongly. Write it in "
		"the ecosystem's syntax (1.2.3rc1 for Python, 1.2.3-rc.1 for SemVer)."
	},
};

typedef struct file_rec {
	char *path;
	char *dir;            /* "" for the root */
	drift_kind kind;
	wm_blob blob;
	drift_extract x;
	size_t unit;
} file_rec;

typedef struct unit {
	char *dir;
	const file_rec *manifest;   /* the primary manifest, or NULL */
	const file_rec *canon_file; /* where the canonical value is, NULL for a tag */
	const drift_value *canon;
	char *canon_text;
	drift_ver canon_ver;
	bool has_canon;
	drift_scheme eco;           /* of the package name: PEP440, SEMVER (npm), NUMERIC (Cargo) */
	char *why;
} unit;

typedef struct tag {
	char *name;
	char *version;
	drift_ver ver;
	git_oid commit;
} tag;

typedef struct run {
	wm_scan *scan;
	const wm_config *cfg;
	const wm_world *world;
	wm_repo *repo;
	git_repository *git;
	file_rec **files;           /* each allocated alone: units point at them */
	size_t nfiles;
	unit *units;
	size_t nunits;
	tag *tags;
	size_t ntags;
	bool tags_loaded;
	bool have_head;
	git_oid head;
	const char *head_tag;       /* a release tag on HEAD, borrowed from tags */
} run;

/* --- paths ----------------------------------------------------------------- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return wm_strndup(path, slash ? (size_t)(slash - path) : 0);
}

/* Whether `path` is inside directory `dir` ("" is the root). */
static bool is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return n == 0 || (!strncmp(path, dir, n) && path[n] == '/');
}

/* Directories whose manifests are someone else's, or test data. */
static bool in_foreign_dir(const char *path)
{
	static const char *const skip[] = { "node_modules", "vendor", "third_party", "3rdparty",
		".git", "test", "tests", "testdata", "fixtures", "__fixtures__", "__tests__" };
	const char *p = path, *slash;
	size_t i, n;

	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
			if (strlen(skip[i]) == n && !memcmp(p, skip[i], n))
				return true;
		p = slash + 1;
	}
	return false;
}

static bool ignored(const run *r, const char *path)
{
	const char *const *globs;
	size_t n, i;

	if (wm_config_path_excluded(r->cfg, path))
		return true;
	globs = wm_config_list(r->cfg, "detectors.drift.exclude", &n);
	for (i = 0; i < n; i++)
		if (wm_glob_match(globs[i], path))
			return true;
	globs = wm_config_list(r->cfg, "version.ignore", &n);
	for (i = 0; i < n; i++)
		if (wm_glob_match(globs[i], path))
			return true;
	return false;
}

static bool listed_extra(const run *r, const char *path)
{
	const char *const *files;
	size_t n, i;

	files = wm_config_list(r->cfg, "version.files", &n);
	for (i = 0; i < n; i++)
		if (!strcmp(files[i], path))
			return true;
	return false;
}

/* Depth of `path`'s directory below `dir`. */
static int depth_below(const char *path, const char *dir)
{
	const char *p = path + (*dir ? strlen(dir) + 1 : 0);
	int depth = 0;

	for (; *p; p++)
		depth += *p == '/';
	return depth;
}

/* --- reading ---------------------------------------------------------------- */

static file_rec *find_file(run *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i]->path, path))
			return r->files[i];
	return NULL;
}

/*
 * Read and extract one file of the world. A file that cannot be read (gone,
 * a symlink, a submodule, too large, binary) is skipped: it holds no version
 * the project publishes.
 */
static int load_file(file_rec **out, run *r, const char *path, drift_kind kind)
{
	const wm_entry *entry;
	int64_t max_size = wm_config_int(r->cfg, "paths.max_file_size");
	file_rec *f, **files;
	int error = 0;

	*out = find_file(r, path);
	if (*out)
		return 0;
	entry = wm_world_lookup(r->world, path);
	if (!entry || entry->mode == WM_MODE_LINK || entry->mode == WM_MODE_GITLINK)
		return 0;
	if (!(files = wm_reallocarray(r->files, r->nfiles + 1, sizeof(*files))))
		return WM_ENOMEM;
	r->files = files;
	if (!(f = wm_calloc(1, sizeof(*f))))
		return WM_ENOMEM;
	f->kind = kind;
	f->unit = NO_UNIT;
	if (!(f->path = wm_strdup(path)) || !(f->dir = dir_of(path))) {
		error = WM_ENOMEM;
		goto fail;
	}
	if ((error = wm_world_read(&f->blob, r->world, path)) < 0) {
		error = error == WM_ENOTFOUND ? 0 : error;
		goto fail;
	}
	if ((max_size > 0 && f->blob.size > (uint64_t)max_size) ||
	    wm_syntax_is_binary(f->blob.data, f->blob.size))
		goto fail;
	if ((error = drift_extract_file(&f->x, kind, path, f->blob.data, f->blob.size)) < 0)
		goto fail;
	r->files[r->nfiles++] = f;
	*out = f;
	return 0;
fail:
	wm_blob_release(&f->blob);
	wm_free(f->path);
	wm_free(f->dir);
	wm_free(f);
	return error;
}

static bool is_manifest_kind(drift_kind k)
{
	return k <= DRIFT_MESON;
}

/* Whether a manifest makes its directory a unit of its own. */
static bool defines_unit(const file_rec *f)
{
	const drift_manifest *m = &f->x.manifest;

	if (!is_manifest_kind(f->kind))
		return false;
	if (f->x.nvalues > 0 || m->dynamic || m->from_tags)
		return true;
	/* A named package without a version (a private npm package) still owns its files. */
	return m->name && f->kind <= DRIFT_CHART;
}

static int load_all(run *r)
{
	size_t i, n = wm_world_count(r->world);
	file_rec *f;
	int error = 0;

	/* Manifests and whole-repository files first; Python modules need the units. */
	for (i = 0; i < n && !error; i++) {
		const wm_entry *e = wm_world_entry(r->world, i);
		drift_kind kind;

		if (listed_extra(r, e->path)) {
			kind = drift_kind_of(e->path);
			error = load_file(&f, r, e->path, kind == DRIFT__KINDS ? DRIFT_EXTRA : kind);
			continue;
		}
		kind = drift_kind_of(e->path);
		if (kind == DRIFT__KINDS || kind == DRIFT_PY_VERSION || in_foreign_dir(e->path) ||
		    ignored(r, e->path))
			continue;
		error = load_file(&f, r, e->path, kind);
	}
	return error;
}

/*
 * `__version__` modules: only a package's own top-level modules
 * (unit/pkg/__init__.py, unit/src/pkg/_version.py), not every __init__.py of
 * a large tree.
 */
static int load_python_modules(run *r)
{
	size_t i, u, n = wm_world_count(r->world);
	file_rec *f;
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		const wm_entry *e = wm_world_entry(r->world, i);
		int depth;

		if (drift_kind_of(e->path) != DRIFT_PY_VERSION || in_foreign_dir(e->path) ||
		    ignored(r, e->path))
			continue;
		for (u = 0; u < r->nunits; u++) {
			const char *dir = r->units[u].dir;
			const char *rest = e->path + (*dir ? strlen(dir) + 1 : 0);

			if (!is_under(e->path, dir))
				continue;
			depth = depth_below(e->path, dir);
			if (depth == 1 || (depth == 2 && !strncmp(rest, "src/", 4)))
				break;
		}
		if (u < r->nunits)
			error = load_file(&f, r, e->path, DRIFT_PY_VERSION);
	}
	return error;
}

/* --- units -------------------------------------------------------------------- */

static int add_unit(run *r, const char *dir)
{
	unit *units;
	size_t i;

	for (i = 0; i < r->nunits; i++)
		if (!strcmp(r->units[i].dir, dir))
			return 0;
	if (!(units = wm_reallocarray(r->units, r->nunits + 1, sizeof(*units))))
		return WM_ENOMEM;
	r->units = units;
	memset(&units[r->nunits], 0, sizeof(*units));
	if (!(units[r->nunits].dir = wm_strdup(dir)))
		return WM_ENOMEM;
	r->nunits++;
	return 0;
}

static size_t unit_of_dir(const run *r, const char *dir);

static void assign_units(run *r)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		r->files[i]->unit = unit_of_dir(r, r->files[i]->dir);
}

/* The unit a directory belongs to: the deepest unit at or above it. */
static size_t unit_of_dir(const run *r, const char *dir)
{
	size_t u, best = 0, best_len = 0;

	for (u = 0; u < r->nunits; u++) {
		size_t n = strlen(r->units[u].dir);

		if (n > best_len && (!strcmp(dir, r->units[u].dir) || is_under(dir, r->units[u].dir))) {
			best_len = n;
			best = u;
		}
	}
	return best;
}

/*
 * Whether a file speaks for its unit: a README, VERSION or CHANGELOG does
 * only in the unit's own directory (docs/README.md is about something else).
 */
static bool speaks_for_unit(const run *r, const file_rec *f);

/*
 * Whether the unit has a version source other than `m` that is not just a
 * mention (README, CHANGELOG): then a private package.json is tooling.
 */
static bool unit_has_other_source(const run *r, const unit *u, const file_rec *m)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		const file_rec *f = r->files[i];

		if (f == m || f->unit != (size_t)(u - r->units) || !f->x.nvalues ||
		    f->kind == DRIFT_PACKAGE_JSON || f->kind == DRIFT_README ||
		    f->kind == DRIFT_CHANGELOG || f->kind == DRIFT_EXTRA || !speaks_for_unit(r, f))
			continue;
		return true;
	}
	return false;
}

static bool speaks_for_unit(const run *r, const file_rec *f)
{
	if (f->kind != DRIFT_README && f->kind != DRIFT_VERSION_FILE && f->kind != DRIFT_CHANGELOG)
		return true;
	return !strcmp(f->dir, r->units[f->unit].dir) || listed_extra(r, f->path);
}

/*
 * The unit a value is judged in: its file's, except a chart's appVersion,
 * which is the version of the application around the chart, not the chart's.
 */
static size_t unit_of_value(const run *r, const file_rec *f, const drift_value *v)
{
	char *parent;
	size_t u;

	if (v->kind != DRIFT_CHART_APP || !*f->dir)
		return f->unit;
	if (!(parent = dir_of(f->dir)))
		return f->unit;
	u = unit_of_dir(r, parent);
	wm_free(parent);
	return u;
}

static const char *eco_name(drift_kind k)
{
	switch (k) {
	case DRIFT_PYPROJECT:
	case DRIFT_SETUP_CFG:
	case DRIFT_SETUP_PY:
		return "Python package";
	case DRIFT_PACKAGE_JSON:
		return "npm package";
	case DRIFT_CARGO:
		return "Cargo crate";
	case DRIFT_GEMSPEC:
		return "Ruby gem";
	case DRIFT_POM:
		return "Maven project";
	case DRIFT_CHART:
		return "Helm chart";
	default:
		return "project";
	}
}

static drift_scheme eco_of(drift_kind k)
{
	switch (k) {
	case DRIFT_PYPROJECT:
	case DRIFT_SETUP_CFG:
	case DRIFT_SETUP_PY:
		return DRIFT_PEP440;
	case DRIFT_PACKAGE_JSON:
		return DRIFT_SEMVER;
	case DRIFT_CARGO:
		return DRIFT_NUMERIC;
	default:
		return DRIFT_LOOSE;
	}
}

static const drift_value *value_with_note(const file_rec *f, const char *note)
{
	size_t i;

	for (i = 0; f && i < f->x.nvalues; i++)
		if (!note || !strcmp(f->x.values[i].note, note))
			return &f->x.values[i];
	return NULL;
}

static int set_canon(unit *u, const file_rec *f, const drift_value *v, const char *fmt, ...) WM_PRINTF(4, 5);

static int set_canon(unit *u, const file_rec *f, const drift_value *v, const char *fmt, ...)
{
	wm_buf why = WM_BUF_INIT;
	va_list ap;
	int error;

	if (drift_ver_parse(&u->canon_ver, v->text, strlen(v->text)) < 0)
		return 0; /* not a version at all: nothing can be compared with it */
	va_start(ap, fmt);
	error = wm_buf_vprintf(&why, fmt, ap);
	va_end(ap);
	if (error < 0 || !(u->canon_text = wm_strdup(v->text))) {
		wm_buf_dispose(&why);
		return WM_ENOMEM;
	}
	u->why = wm_buf_detach(&why);
	u->canon_file = f;
	u->canon = v;
	u->has_canon = u->why != NULL;
	return u->has_canon ? 0 : WM_ENOMEM;
}

/* The module file of a setuptools `attr:` ("pkg.sub.__version__"), under the unit. */
static int follow_attr(file_rec **out, run *r, const char *dir, const char *attr)
{
	static const char *const forms[][2] = { { "", ".py" }, { "", "/__init__.py" },
		{ "src/", ".py" }, { "src/", "/__init__.py" } };
	const char *last = strrchr(attr, '.');
	char module[256], path[600];
	size_t i, n;
	int error;

	*out = NULL;
	if (!last || (n = (size_t)(last - attr)) >= sizeof(module))
		return 0;
	memcpy(module, attr, n);
	module[n] = '\0';
	for (i = 0; i < n; i++)
		if (module[i] == '.')
			module[i] = '/';
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s%s%s", dir, *dir ? "/" : "", forms[i][0], module, forms[i][1]);
		if ((error = load_file(out, r, path, DRIFT_PY_VERSION)) < 0)
			return error;
		if (*out)
			return 0;
	}
	return 0;
}

static int load_tags(run *r);

/* Step 3 for one unit (see the top of the file). */
static int choose_canon(run *r, unit *u, bool root)
{
	const char *source = root ? wm_config_string(r->cfg, "version.source") : NULL;
	const drift_value *v;
	file_rec *f;
	size_t i;
	int k, error;

	if (source && *source) {
		if ((error = load_file(&f, r, source, drift_kind_of(source) == DRIFT__KINDS ?
				DRIFT_EXTRA : drift_kind_of(source))) < 0)
			return error;
		if (f && (v = value_with_note(f, NULL)) != NULL)
			return set_canon(u, f, v, "%s (%s) is the canonical version: set by version.source in .wm.yml",
				f->path, v->note);
	}
	for (k = 0; k < DRIFT_CHANGELOG; k++) {
		for (i = 0; i < r->nfiles; i++) {
			file_rec *m = r->files[i];
			const drift_manifest *man = &m->x.manifest;
			char path[600];

			if (m->kind != (drift_kind)k || m->unit != (size_t)(u - r->units))
				continue;
			if ((is_manifest_kind(m->kind) && strcmp(m->dir, u->dir)) || !speaks_for_unit(r, m))
				continue;
			/* A private package.json beside another source of the version is tooling
			 * (npm never publishes it): e.g. a C project pinning npm dev tools. */
			if (m->kind == DRIFT_PACKAGE_JSON && man->private_pkg &&
			    (u->manifest ? u->manifest != m : unit_has_other_source(r, u, m)))
				continue;
			if (is_manifest_kind(m->kind) && !u->manifest && defines_unit(m)) {
				u->manifest = m;
				u->eco = eco_of(m->kind);
			}
			if ((v = value_with_note(m, m->kind == DRIFT_CHART ? "version" : NULL)) != NULL) {
				if (!is_manifest_kind(m->kind))
					return set_canon(u, m, v, "%s (%s) is the canonical version: no manifest of "
						"this %s states one, and it comes first among its version-bearing files",
						m->path, v->note, *u->dir ? "package" : "repository");
				return set_canon(u, m, v, "%s (%s) is the canonical version: the primary manifest of "
					"this %s", m->path, v->note, eco_name(m->kind));
			}
			if (man->from_workspace) {
				file_rec *ws = NULL;

				if ((error = load_file(&ws, r, "Cargo.toml", DRIFT_CARGO)) < 0)
					return error;
				if ((v = value_with_note(ws, "[workspace.package].version")) != NULL)
					return set_canon(u, ws, v, "Cargo.toml ([workspace.package].version) is the "
						"canonical version: %s inherits it with version.workspace = true", m->path);
			}
			if (man->dynamic_file) {
				snprintf(path, sizeof(path), "%s%s%s", m->dir, *m->dir ? "/" : "", man->dynamic_file);
				if ((error = load_file(&f, r, path, drift_kind_of(path) == DRIFT__KINDS ?
						DRIFT_EXTRA : drift_kind_of(path))) < 0)
					return error;
				if (f && (v = value_with_note(f, NULL)) != NULL)
					return set_canon(u, f, v, "%s (%s) is the canonical version: %s declares the "
						"version dynamic and reads it from there", f->path, v->note, m->path);
			}
			if (man->dynamic_attr) {
				if ((error = follow_attr(&f, r, m->dir, man->dynamic_attr)) < 0)
					return error;
				if (f && (v = value_with_note(f, NULL)) != NULL)
					return set_canon(u, f, v, "%s (%s) is the canonical version: %s reads the version "
						"from the attribute %s", f->path, v->note, m->path, man->dynamic_attr);
			}
			if (man->from_tags && root) {
				/* Only a tagged commit has a version that files could repeat. */
				if ((error = load_tags(r)) < 0)
					return error;
				if (r->head_tag) {
					size_t t;

					for (t = 0; t < r->ntags; t++)
						if (!strcmp(r->tags[t].name, r->head_tag))
							break;
					if (t < r->ntags) {
						u->canon_ver = r->tags[t].ver;
						if (!(u->canon_text = wm_strdup(r->tags[t].version)))
							return WM_ENOMEM;
						if (!(u->why = wm_strdup("the release tag on HEAD is the canonical version: "
								"the manifest takes its version from git tags")))
							return WM_ENOMEM;
						u->has_canon = true;
						return 0;
					}
				}
				return 0;
			}
		}
	}
	return 0;
}

/* --- findings ------------------------------------------------------------------ */

static int emit(run *r, const char *rule, const file_rec *f, uint32_t start, uint32_t end,
	const char *message, const char *replacement, const char *fix_description)
{
	wm_finding fd = WM_FINDING_INIT;
	wm_edit edit;
	wm_fix fix;

	fd.rule = (char *)rule;
	fd.path = f->path;
	fd.start_byte = start;
	fd.end_byte = end;
	fd.message = (char *)message;
	if (replacement) {
		edit.path = f->path;
		edit.start_byte = start;
		edit.end_byte = end;
		edit.replacement = (char *)replacement;
		fix.description = (char *)fix_description;
		fix.edits = &edit;
		fix.nedits = 1;
		fd.fix = &fix;
	}
	return wm_emit_in(r->scan, &fd, f->blob.data, f->blob.size);
}

static const char *scheme_name(drift_scheme s)
{
	return s == DRIFT_PEP440 ? "a PEP 440 version (Python)" : s == DRIFT_SEMVER ?
		"a SemVer 2.0.0 version (npm, Cargo, Helm)" : "a plain numeric version (CMake: up to four integers)";
}

static int check_invalid(run *r)
{
	wm_buf msg = WM_BUF_INIT;
	size_t i, j;
	int error = 0;

	for (i = 0; i < r->nfiles && !error; i++) {
		const file_rec *f = r->files[i];

		for (j = 0; j < f->x.nvalues && !error; j++) {
			const drift_value *v = &f->x.values[j];

			if (v->scheme == DRIFT_LOOSE || drift_ver_valid(v->scheme, v->text, strlen(v->text)))
				continue;
			wm_buf_clear(&msg);
			if ((error = wm_buf_printf(&msg, "\"%s\" (%s) is not %s", v->text, v->note,
					scheme_name(v->scheme))) < 0)
				break;
			error = emit(r, "invalid-version", f, v->start, v->end, msg.ptr, NULL, NULL);
		}
	}
	wm_buf_dispose(&msg);
	return error;
}

static int check_mismatch(run *r, const unit *u)
{
	wm_buf msg = WM_BUF_INIT, rep = WM_BUF_INIT, desc = WM_BUF_INIT;
	size_t i, j;
	drift_ver v;
	int error = 0, c;

	for (i = 0; i < r->nfiles && !error; i++) {
		const file_rec *f = r->files[i];

		if (f->kind == DRIFT_CHANGELOG || !speaks_for_unit(r, f))
			continue;
		/* npm tooling beside another source of the version, and Cargo's member lists, are not ours. */
		if (f->kind == DRIFT_PACKAGE_JSON && f->x.manifest.private_pkg && u->canon_file != f &&
		    (u->manifest ? u->manifest->kind != DRIFT_PACKAGE_JSON : u->canon_file != NULL))
			continue;
		for (j = 0; j < f->x.nvalues && !error; j++) {
			const drift_value *val = &f->x.values[j];

			if (unit_of_value(r, f, val) != (size_t)(u - r->units) || val == u->canon ||
			    drift_ver_parse(&v, val->text, strlen(val->text)) < 0)
				continue;
			/* A Cargo member's own version when it inherits the workspace's. */
			if (f->kind == DRIFT_CARGO && !strcmp(val->note, "[workspace.package].version") &&
			    u->canon_file != f && f->x.manifest.name)
				continue;
			c = val->scheme == DRIFT_NUMERIC ? drift_ver_cmp_release(&v, &u->canon_ver) :
				drift_ver_cmp(&v, &u->canon_ver);
			if (c == 0)
				continue;
			wm_buf_clear(&msg);
			wm_buf_clear(&rep);
			wm_buf_clear(&desc);
			if ((error = wm_buf_printf(&msg, "version %s (%s) differs from %s; %s", val->text,
					val->note, u->canon_text, u->why)) < 0 ||
			    (error = drift_ver_render(&rep, val->scheme, &u->canon_ver, u->canon_text)) < 0 ||
			    (error = wm_buf_printf(&desc, "set the version to %s", rep.ptr)) < 0)
				break;
			error = emit(r, "version-mismatch", f, val->start, val->end, msg.ptr, rep.ptr, desc.ptr);
		}
	}
	wm_buf_dispose(&msg);
	wm_buf_dispose(&rep);
	wm_buf_dispose(&desc);
	return error;
}

/* --- tags ---------------------------------------------------------------------- */

/*
 * Match a tag against the pattern: `X.Y.Z` stands for the version, and a
 * character followed by `?` is optional (`v?X.Y.Z` takes v1.2.3 and 1.2.3).
 * @return the start of the version inside `name`, or NULL
 */
static const char *match_tag(const char *pattern, const char *name)
{
	const char *ph = strstr(pattern, "X.Y.Z");
	size_t suffix, n = strlen(name);

	if (!ph)
		return NULL;
	suffix = strlen(ph + 5);
	if (n < suffix || strcmp(name + n - suffix, ph + 5))
		return NULL;
	/* The prefix: literal characters, each maybe optional. */
	for (const char *p = pattern; p < ph; p++) {
		bool optional = p + 1 < ph && p[1] == '?';

		if (*name == *p)
			name++;
		else if (!optional)
			return NULL;
		if (optional)
			p++;
	}
	return name;
}

static int tag_cb(const char *refname, git_oid *oid, void *payload)
{
	run *r = payload;
	const char *pattern = wm_config_string(r->cfg, "version.tag_pattern");
	const char *name = refname + strlen("refs/tags/");
	const char *ver = match_tag(pattern ? pattern : "v?X.Y.Z", name);
	git_object *obj = NULL, *commit = NULL;
	size_t suffix, vlen;
	tag *t;
	int error = 0;

	if (!ver || !*ver || ver[0] < '0' || ver[0] > '9')
		return 0;
	suffix = strlen(strstr(pattern ? pattern : "v?X.Y.Z", "X.Y.Z") + 5);
	vlen = strlen(ver) - suffix;
	if (git_object_lookup(&obj, r->git, oid, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		goto done; /* a tag of a tree or blob is no release */
	if (!(t = wm_reallocarray(r->tags, r->ntags + 1, sizeof(*t)))) {
		error = WM_ENOMEM;
		goto done;
	}
	r->tags = t;
	t = &t[r->ntags];
	memset(t, 0, sizeof(*t));
	if (drift_ver_parse(&t->ver, ver, vlen) < 0)
		goto done;
	if (!(t->name = wm_strdup(name)) || !(t->version = wm_strndup(ver, vlen))) {
		wm_free(t->name);
		error = WM_ENOMEM;
		goto done;
	}
	git_oid_cpy(&t->commit, git_object_id(commit));
	r->ntags++;
done:
	git_object_free(commit);
	git_object_free(obj);
	return error;
}

static int cmp_tags_newest_first(const void *a, const void *b)
{
	const tag *x = a, *y = b;
	int c = drift_ver_cmp(&y->ver, &x->ver);

	return c ? c : strcmp(x->name, y->name);
}

static int load_tags(run *r)
{
	size_t i;
	int error;

	if (r->tags_loaded)
		return 0;
	r->tags_loaded = true;
	/* "HEAD" is the commit under review: HEAD itself, or the one --rev names. */
	{
		wm_oid commit;

		if (wm_world_commit(r->world, &commit)) {
			git_oid_fromraw(&r->head, commit.id);
			r->have_head = true;
		} else {
			r->have_head = git_reference_name_to_id(&r->head, r->git, "HEAD") == 0;
		}
	}
	if ((error = git_tag_foreach(r->git, tag_cb, r)) < 0 && error != GIT_ENOTFOUND) {
		if (error == WM_ENOMEM)
			return error;
		/* No tags readable: nothing to compare. */
		return 0;
	}
	if (r->ntags > 1)
		qsort(r->tags, r->ntags, sizeof(*r->tags), cmp_tags_newest_first);
	for (i = 0; r->have_head && i < r->ntags; i++)
		if (git_oid_equal(&r->tags[i].commit, &r->head) &&
		    (!r->head_tag || drift_ver_cmp(&r->tags[i].ver, &r->tags[0].ver) > 0))
			r->head_tag = r->tags[i].name;
	return 0;
}

/*
 * The canonical value as HEAD's commit has it (a copy in *out, NULL when
 * HEAD has no such file or value): a unit whose HEAD version is the HEAD
 * tag's was released by that tag.
 */
static int head_value(char **out, run *r, const unit *u)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	drift_extract x;
	file_rec tmp;
	const drift_value *v;
	int error = 0;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	if (git_commit_lookup(&commit, r->git, &r->head) < 0 || git_commit_tree(&tree, commit) < 0 ||
	    git_tree_entry_bypath(&entry, tree, u->canon_file->path) < 0 ||
	    git_blob_lookup(&blob, r->git, git_tree_entry_id(entry)) < 0)
		goto done;
	if ((error = drift_extract_file(&x, u->canon_file->kind, u->canon_file->path,
			git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob))) < 0)
		goto done;
	memset(&tmp, 0, sizeof(tmp));
	tmp.x = x;
	if ((v = value_with_note(&tmp, u->canon->note)) != NULL && !(*out = wm_strdup(v->text)))
		error = WM_ENOMEM;
done:
	drift_extract_dispose(&x);
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

static int check_tags(run *r, const unit *u, bool root)
{
	wm_buf msg = WM_BUF_INIT, rep = WM_BUF_INIT, desc = WM_BUF_INIT;
	const tag *newest = NULL, *on_head = NULL;
	wm_world_kind kind = wm_world_kind_of(r->world);
	char *at_head = NULL;
	drift_ver hv;
	bool released;
	size_t i;
	int error;

	if (!u->canon_file || !u->has_canon)
		return 0;
	if ((error = load_tags(r)) < 0 || !r->have_head)
		goto done;
	/* The newest release on this branch: the highest version among tags HEAD descends from. */
	/* Tags are sorted newest first, so the first reachable one ends the (costly) walk. */
	for (i = 0; root && i < r->ntags && !newest; i++) {
		const tag *t = &r->tags[i];

		if (git_oid_equal(&t->commit, &r->head) ||
		    git_graph_descendant_of(r->git, &r->head, &t->commit) == 1)
			newest = t;
	}
	for (i = 0; i < r->ntags; i++)
		if (r->head_tag && !strcmp(r->tags[i].name, r->head_tag))
			on_head = &r->tags[i];
	if (newest && drift_ver_cmp(&newest->ver, &u->canon_ver) > 0) {
		if ((error = wm_buf_printf(&msg, "tag %s is newer than version %s; %s", newest->name,
				u->canon_text, u->why)) < 0)
			goto done;
		error = emit(r, "tag-mismatch", u->canon_file, u->canon->start, u->canon->end, msg.ptr, NULL, NULL);
		goto done;
	}
	/*
	 * A release commit tagged with another version. Not in a hook: HEAD is
	 * the previous commit there, and bumping after a release is the normal
	 * flow. A package of a monorepo is held to the tag only when HEAD's
	 * commit gave it the tag's version (the tag released it); then a change
	 * of the working tree away from it is restored by the fix.
	 */
	if (!on_head || kind == WM_WORLD_INDEX || drift_ver_cmp(&on_head->ver, &u->canon_ver) == 0)
		goto done;
	if ((error = head_value(&at_head, r, u)) < 0)
		goto done;
	released = at_head && drift_ver_parse(&hv, at_head, strlen(at_head)) == 0 &&
		drift_ver_cmp(&hv, &on_head->ver) == 0;
	if (!root && !released)
		goto done;
	if ((error = wm_buf_printf(&msg, "this commit is tagged %s but the version is %s%s; %s",
			on_head->name, u->canon_text, released ? " (the commit itself says the tag's version)" : "",
			u->why)) < 0)
		goto done;
	if (released) {
		if ((error = wm_buf_puts(&rep, at_head)) < 0 ||
		    (error = wm_buf_printf(&desc, "restore the released version %s", at_head)) < 0)
			goto done;
	}
	error = emit(r, "tag-mismatch", u->canon_file, u->canon->start, u->canon->end, msg.ptr,
		released ? rep.ptr : NULL, released ? desc.ptr : NULL);
done:
	wm_free(at_head);
	wm_buf_dispose(&msg);
	wm_buf_dispose(&rep);
	wm_buf_dispose(&desc);
	return error;
}

/* --- changelog ------------------------------------------------------------------- */

/* Whether the canonical value changed against the base commit of this change. */
static int version_bumped(bool *out, run *r, const unit *u)
{
	const wm_targets *targets = wm_scan_targets(r->scan);
	wm_world *base = NULL;
	wm_blob blob = WM_BLOB_INIT;
	drift_extract x;
	const drift_value *old = NULL;
	char hex[41];
	size_t i;
	int error = 0;

	*out = false;
	memset(&x, 0, sizeof(x));
	for (i = 0; i < targets->count; i++)
		if (!strcmp(targets->items[i].path, u->canon_file->path))
			break;
	if (i == targets->count || targets->items[i].change == WM_CHANGE_DELETED)
		return 0;
	if (wm_oid_is_zero(&targets->base)) {
		*out = true; /* the first commit: every version is new */
		return 0;
	}
	wm_oid_fmt(hex, &targets->base);
	if ((error = wm_world_open(&base, wm_world_repo(r->world), WM_WORLD_COMMIT, hex)) < 0)
		goto done;
	if ((error = wm_world_read(&blob, base, targets->items[i].old_path ? targets->items[i].old_path :
			u->canon_file->path)) < 0) {
		if (error == WM_ENOTFOUND) {
			*out = true;
			error = 0;
		}
		goto done;
	}
	if ((error = drift_extract_file(&x, u->canon_file->kind, u->canon_file->path, blob.data, blob.size)) < 0)
		goto done;
	old = value_with_note(&(file_rec){ .x = x }, u->canon->note);
	*out = !old || strcmp(old->text, u->canon_text) != 0;
done:
	drift_extract_dispose(&x);
	wm_blob_release(&blob);
	wm_world_free(base);
	return error;
}

static bool has_heading(const drift_extract *x, const drift_ver *v)
{
	size_t i;
	drift_ver h;

	for (i = 0; i < x->nheadings; i++)
		if (drift_ver_parse(&h, x->headings[i], strlen(x->headings[i])) == 0 && drift_ver_cmp(&h, v) == 0)
			return true;
	return false;
}

/* The heading stub, spelt like the newest entry, with the file's line ending. */
static int changelog_stub(wm_buf *out, const file_rec *f, const char *version)
{
	const drift_extract *x = &f->x;
	const char *nl = (f->blob.size && memchr(f->blob.data, '\r', f->blob.size)) ? "\r\n" : "\n";
	size_t title, i;
	int error = 0;

	if (x->nheadings == 0 && f->blob.size && f->blob.data[f->blob.size - 1] != '\n')
		error = wm_buf_puts(out, nl);
	if (x->nheadings == 0 && !error)
		error = wm_buf_puts(out, nl);
	if (!error && x->heading_style == 0 && x->nheadings) {
		for (i = 0; i < (size_t)x->atx_level && !error; i++)
			error = wm_buf_putc(out, '#');
		if (!error)
			error = wm_buf_putc(out, ' ');
	} else if (!error && x->nheadings == 0) {
		error = wm_buf_puts(out, "## ");
	}
	title = out->size;
	if (!error)
		error = wm_buf_printf(out, "%s%s%s", x->heading_prefix ? x->heading_prefix : "", version,
			x->heading_suffix ? x->heading_suffix : "");
	title = out->size - title;
	if (!error)
		error = wm_buf_puts(out, nl);
	if (!error && x->nheadings && x->heading_style != 0) {
		for (i = 0; i < title && !error; i++)
			error = wm_buf_putc(out, x->underline);
		if (!error)
			error = wm_buf_puts(out, nl);
	}
	if (!error && x->nheadings)
		error = wm_buf_puts(out, nl);
	return error;
}

static int check_changelog(run *r, const unit *u)
{
	wm_buf msg = WM_BUF_INIT, stub = WM_BUF_INIT, desc = WM_BUF_INIT;
	const file_rec *log = NULL;
	const wm_targets *targets = wm_scan_targets(r->scan);
	wm_world_kind kind = wm_world_kind_of(r->world);
	bool change_mode = kind == WM_WORLD_INDEX || (kind == WM_WORLD_HEAD && !wm_oid_is_zero(&targets->base));
	bool report = false;
	drift_ver top;
	size_t i;
	int error = 0;

	if (!u->has_canon || !u->canon_file)
		return 0;
	for (i = 0; i < r->nfiles && !log; i++)
		if (r->files[i]->kind == DRIFT_CHANGELOG && !strcmp(r->files[i]->dir, u->dir) &&
		    r->files[i]->unit == (size_t)(u - r->units))
			log = r->files[i];
	if (!log || has_heading(&log->x, &u->canon_ver))
		return 0;
	if (change_mode) {
		if ((error = version_bumped(&report, r, u)) < 0)
			goto done;
	} else {
		/* No change to judge: a version newer than every entry is a release without notes. */
		report = log->x.nheadings > 0;
		for (i = 0; i < log->x.nheadings && report; i++)
			if (drift_ver_parse(&top, log->x.headings[i], strlen(log->x.headings[i])) == 0 &&
			    drift_ver_cmp(&top, &u->canon_ver) >= 0)
				report = false;
	}
	if (!report)
		goto done;
	if ((error = wm_buf_printf(&msg, "%s has no entry for version %s%s; %s", log->path, u->canon_text,
			change_mode ? ", which this change introduces" : "", u->why)) < 0 ||
	    (error = changelog_stub(&stub, log, u->canon_text)) < 0 ||
	    (error = wm_buf_printf(&desc, "add a heading for %s to %s", u->canon_text, log->path)) < 0)
		goto done;
	error = emit(r, "changelog-missing", log, log->x.insert_at, log->x.insert_at, msg.ptr, stub.ptr, desc.ptr);
done:
	wm_buf_dispose(&msg);
	wm_buf_dispose(&stub);
	wm_buf_dispose(&desc);
	return error;
}

/* --- internal pins ------------------------------------------------------------ */

/* Package names compare as their ecosystem does: PEP 503 for Python, exactly otherwise. */
static bool same_package(drift_scheme eco, const char *a, const char *b)
{
	if (eco != DRIFT_PEP440)
		return !strcmp(a, b);
	for (;;) {
		bool sa = *a == '-' || *a == '_' || *a == '.', sb = *b == '-' || *b == '_' || *b == '.';

		if (sa != sb)
			return false;
		if (sa) {
			while (*a == '-' || *a == '_' || *a == '.')
				a++;
			while (*b == '-' || *b == '_' || *b == '.')
				b++;
			continue;
		}
		if (!*a || !*b)
			return *a == *b;
		if ((*a | 32) != (*b | 32))
			return false;
		a++;
		b++;
	}
}

static int check_pins(run *r)
{
	wm_buf msg = WM_BUF_INIT, rep = WM_BUF_INIT, desc = WM_BUF_INIT;
	size_t i, j, k;
	int error = 0, ok;

	for (i = 0; i < r->nfiles && !error; i++) {
		const file_rec *f = r->files[i];

		for (j = 0; j < f->x.manifest.ndeps && !error; j++) {
			const drift_dep *d = &f->x.manifest.deps[j];

			for (k = 0; k < r->nunits; k++) {
				const unit *u = &r->units[k];
				drift_scheme eco = d->syntax == DRIFT_NUMERIC ? DRIFT_NUMERIC : d->syntax;

				if (!u->manifest || !u->has_canon || u->eco != eco || !u->manifest->x.manifest.name ||
				    u->manifest == f || !same_package(eco, u->manifest->x.manifest.name, d->name))
					continue;
				ok = drift_range_admits(d->syntax, d->range, strlen(d->range), &u->canon_ver);
				if (ok != 0)
					break;
				wm_buf_clear(&msg);
				wm_buf_clear(&rep);
				wm_buf_clear(&desc);
				if ((error = wm_buf_printf(&msg, "%s requires %s \"%s\", which excludes its current "
						"version %s; %s", f->path, d->name, d->range, u->canon_text, u->why)) < 0)
					break;
				error = drift_range_retarget(&rep, d->range, strlen(d->range), u->canon_text);
				if (error == WM_ENOTFOUND) {
					error = emit(r, "internal-pin", f, d->start, d->end, msg.ptr, NULL, NULL);
					break;
				}
				if (error < 0 || (error = wm_buf_printf(&desc, "require %s \"%s\"", d->name, rep.ptr)) < 0)
					break;
				error = emit(r, "internal-pin", f, d->start, d->end, msg.ptr, rep.ptr, desc.ptr);
				break;
			}
		}
	}
	wm_buf_dispose(&msg);
	wm_buf_dispose(&rep);
	wm_buf_dispose(&desc);
	return error;
}

/* --- the detector --------------------------------------------------------------- */

static void run_dispose(run *r)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		drift_extract_dispose(&r->files[i]->x);
		wm_blob_release(&r->files[i]->blob);
		wm_free(r->files[i]->path);
		wm_free(r->files[i]->dir);
		wm_free(r->files[i]);
	}
	wm_free(r->files);
	for (i = 0; i < r->nunits; i++) {
		wm_free(r->units[i].dir);
		wm_free(r->units[i].canon_text);
		wm_free(r->units[i].why);
	}
	wm_free(r->units);
	for (i = 0; i < r->ntags; i++) {
		wm_free(r->tags[i].name);
		wm_free(r->tags[i].version);
	}
	wm_free(r->tags);
}

static int scan_repo(wm_scan *scan)
{
	run r;
	size_t i, n;
	int error;

	memset(&r, 0, sizeof(r));
	r.scan = scan;
	r.cfg = wm_scan_config(scan);
	r.world = wm_scan_world(scan);
	r.repo = wm_world_repo(r.world);
	r.git = wm_repo_git(r.repo);

	if ((error = load_all(&r)) < 0 || (error = add_unit(&r, "")) < 0)
		goto done;
	for (i = 0, n = r.nfiles; i < n; i++)
		if (defines_unit(r.files[i]) && (error = add_unit(&r, r.files[i]->dir)) < 0)
			goto done;
	if ((error = load_python_modules(&r)) < 0)
		goto done;
	assign_units(&r);
	for (i = 0; i < r.nunits; i++)
		if ((error = choose_canon(&r, &r.units[i], i == 0)) < 0)
			goto done;
	/* Files read while following dynamic versions belong to units too. */
	assign_units(&r);
	if ((error = check_invalid(&r)) < 0)
		goto done;
	for (i = 0; i < r.nunits; i++) {
		if (!r.units[i].has_canon)
			continue;
		if ((error = check_mismatch(&r, &r.units[i])) < 0 ||
		    (error = check_changelog(&r, &r.units[i])) < 0 ||
		    (error = check_tags(&r, &r.units[i], i == 0)) < 0)
			goto done;
	}
	error = check_pins(&r);
done:
	run_dispose(&r);
	return error;
}

const wm_detector wm_detector_drift = {
	"drift",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	NULL,
	scan_repo,
	NULL,
};
