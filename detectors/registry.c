/*
 * registry.c - the built-in detectors, in the order they run.
 *
 * wm-scan and the per-detector executables take their detectors from here;
 * libwm itself knows none of them (detectors are built on the public API).
 */
#include "registry.h"
#include "docs.h"
#include "imports.h"
#include "drift.h"
#include "antibody.h"
#include "syntax.h"
#include "health.h"

const wm_detector *const wm_detectors_builtin[] = {
	&wm_detector_syntax,
	&wm_detector_docs,
	&wm_detector_imports,
	&wm_detector_drift,
	&wm_detector_antibody,
	/* Last: it reads the health of the whole tree, not the run's findings. */
	&wm_detector_health,
};

const size_t wm_detectors_builtin_count =
	sizeof(wm_detectors_builtin) / sizeof(wm_detectors_builtin[0]);
