/*
 * fuzz_manifest.c - libFuzzer target for the version-bearing file parsers
 * of the drift detector (pyproject.toml, package.json, Cargo.toml, setup.py,
 * CMakeLists.txt, configure.ac, meson.build, gemspec, pom.xml, Chart.yaml,
 * CHANGELOG, README, __version__ ...) and the version and range parsers.
 *
 * Manifests come with the repository under review, so their parsers see
 * hostile input. The first byte picks the file kind; the rest is the file.
 * Every value extracted must lie inside the input, since fixes edit those
 * exact byte ranges.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "drift.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"pyproject.toml", "setup.cfg", "setup.py", "package.json", "Cargo.toml",
		"x.gemspec", "pom.xml", "Chart.yaml", "CMakeLists.txt", "configure.ac",
		"meson.build", "VERSION", "pkg/__init__.py", "README.md", "CHANGELOG.md",
		"CHANGES.rst",
	};
	const char *path, *text;
	drift_extract x;
	drift_ver v;
	size_t i, n;

	if (size < 1)
		return 0;
	path = paths[data[0] % (sizeof(paths) / sizeof(paths[0]))];
	text = (const char *)data + 1;
	n = size - 1;
	if (drift_extract_file(&x, drift_kind_of(path), path, text, n) == 0) {
		for (i = 0; i < x.nvalues; i++)
			if (x.values[i].start > x.values[i].end || x.values[i].end > n)
				abort();
		drift_extract_dispose(&x);
	}
	if (drift_ver_parse(&v, text, n) == 0) {
		(void)drift_ver_valid(DRIFT_PEP440, text, n);
		(void)drift_range_admits(DRIFT_SEMVER, text, n, &v);
		(void)drift_range_admits(DRIFT_NUMERIC, text, n, &v);
		(void)drift_range_admits(DRIFT_PEP440, text, n, &v);
	}
	return 0;
}
