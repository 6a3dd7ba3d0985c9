/*
 * health.c - homeostasis at the gate: a change must keep the repository's
 * health metrics inside their configured ranges.
 *
 * In a --diff run, scan_repo computes the health of HEAD and of the merge
 * base (lib/health.c: from the immune memory when `wm-board --history`
 * already stored them, else computed and stored, with the per-blob cache
 * making the second commit cost only the files that differ) and holds
 * HEAD's metrics against `health.<metric>.min/max`, and the change against
 * `max_drop/max_rise`. The metrics are the repository's as a whole, not
 * the changed files', which is what a floor on "doc coverage" means; the
 * per-file ratchet of the docs detector (docs.coverage.ratchet) is the
 * finer tool for the changed files alone.
 *
 * Nothing is computed unless a headline metric has a range configured,
 * so the detector costs nothing in repositories that do not use it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "health.h"
#include "registry.h"

static const wm_rule_info rules[] = {
	{ "health-range", WM_SEV_ERROR, "A health metric is outside its configured range.",
	  "`health.<metric>.min` and `.max` in .wm.yml set the range a metric of the whole "
	  "repository must stay in (e.g. doc coverage at least 80%). Bring the metric back "
	  "into its range, or change the range on purpose." },
	{ "health-drop", WM_SEV_ERROR, "A health metric moved too far from the merge base.",
	  "`health.<metric>.max_drop` and `.max_rise` bound how much one change may move a "
	  "metric relative to the merge base (e.g. doc coverage may fall by at most 2 points)." },
};

static bool configured(const wm_config *cfg)
{
	static const char *const keys[] = { "min", "max", "max_drop", "max_rise" };
	const wm_health_info *info;
	char key[256];
	double v;
	size_t n, i, k;

	info = wm_health_headline(&n);
	for (i = 0; i < n; i++)
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			snprintf(key, sizeof(key), "health.%s.%s", info[i].name, keys[k]);
			if (wm_config_number(cfg, key, &v))
				return true;
		}
	return false;
}

static void fmt(char *out, size_t size, double v, const char *unit)
{
	if (*unit == '%')
		snprintf(out, size, "%.1f%%", v);
	else if (v == floor(v))
		snprintf(out, size, "%.0f", v);
	else
		snprintf(out, size, "%.2f", v);
}

static int emit_verdict(wm_scan *scan, const wm_health_verdict *v)
{
	wm_finding f = WM_FINDING_INIT;
	wm_health_info info;
	wm_buf msg = WM_BUF_INIT;
	char value[48], bound[48], base[48];
	const char *pts;
	int error;

	wm_health_describe(&info, v->name);
	fmt(value, sizeof(value), v->value, info.unit);
	fmt(base, sizeof(base), v->base, info.unit);
	/* A bound is a number the user wrote: show it as written, without decimals it did not have. */
	snprintf(bound, sizeof(bound), "%g%s", v->bound, info.unit);
	pts = *info.unit == '%' ? " points" : "";
	if (!strcmp(v->rule, "below-min") || !strcmp(v->rule, "above-max")) {
		error = wm_buf_printf(&msg, "%s %s is %s %s %s", info.label, value,
			v->rule[0] == 'b' ? "below" : "above", v->rule[0] == 'b' ? "the floor" : "the ceiling", bound);
		if (error == 0 && v->has_base)
			error = wm_buf_printf(&msg, " (merge base: %s)", base);
	} else {
		double delta = fabs(v->value - v->base);

		error = wm_buf_printf(&msg, "%s %s by %.*f%s, from %s at the merge base to %s (at most %g%s allowed)",
			info.label, v->rule[0] == 'd' ? "fell" : "rose", delta == floor(delta) ? 0 : 1, delta, pts,
			base, value, v->bound, pts);
	}
	if (error < 0)
		goto done;
	f.rule = (char *)(!strcmp(v->rule, "below-min") || !strcmp(v->rule, "above-max") ? "health-range" : "health-drop");
	f.message = msg.ptr;
	error = wm_emit(scan, &f);
done:
	wm_buf_dispose(&msg);
	return error;
}

static int scan_repo(wm_scan *scan)
{
	wm_health_options hopts = WM_HEALTH_OPTIONS_INIT;
	const wm_config *cfg = wm_scan_config(scan);
	const wm_targets *targets = wm_scan_targets(scan);
	wm_repo *repo = wm_world_repo(wm_scan_world(scan));
	wm_health_point *head = NULL, *base = NULL;
	wm_health_verdict *verdicts = NULL;
	wm_memory *mem = NULL;
	char hex[41];
	size_t n = 0, i;
	int error = 0;

	if (wm_scan_scope(scan) != WM_SCOPE_DIFF || !configured(cfg))
		return 0;
	/* A read-only repository is still checked, only without memory. */
	if (wm_memory_open(&mem, repo) < 0)
		wm_error_clear();
	hopts.detectors = wm_detectors_builtin;
	hopts.ndetectors = wm_detectors_builtin_count;
	if ((error = wm_health_commit(&head, repo, cfg, mem, "HEAD", &hopts)) < 0)
		goto done;
	if (!wm_oid_is_zero(&targets->base)) {
		wm_oid_fmt(hex, &targets->base);
		if ((error = wm_health_commit(&base, repo, cfg, mem, hex, &hopts)) < 0)
			goto done;
	}
	if ((error = wm_health_check(&verdicts, &n, cfg, head, base)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		if ((error = emit_verdict(scan, &verdicts[i])) < 0)
			goto done;
done:
	wm_free(verdicts);
	wm_health_point_free(head);
	wm_health_point_free(base);
	wm_memory_free(mem);
	return error;
}

const wm_detector wm_detector_health = {
	"health",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	NULL,
	scan_repo,
	NULL,
};
