/*
 * html.c - the report people look at: one self-contained HTML file.
 *
 * A summary, trend charts of health over history, the findings grouped by
 * file with code frames and fixes, and the documentation coverage table.
 * Self-contained is a hard rule: no script, no font, no stylesheet or
 * image is loaded from anywhere, so the file can be mailed, archived as a
 * CI artefact and opened offline years later, and it leaks nothing when
 * opened. Charts are inline SVG drawn here, with a fixed viewBox scaled to
 * the width of the page, so they stay sharp on a phone and on paper.
 *
 * Everything that came from the repository (paths, messages, source
 * lines, commit subjects) is escaped, and invalid UTF-8 becomes U+FFFD
 * first (report.c), as in the other formats.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/health.h"
#include "report/report.h"

/* Chart geometry, in SVG user units (scaled to the card's width). */
#define CW 320.0
#define CH 96.0
#define PAD 6.0

static const char css[] =
	":root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa;--card:#fff;"
	"--accent:#2f6f9f;--good:#2f855a;--bad:#c53030;--warn:#b7791f;--info:#3f6fb5}"
	"*{box-sizing:border-box}"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font:15px/1.5 -apple-system,BlinkMacSystemFont,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}"
	"main{max-width:1040px;margin:0 auto;padding:24px 20px 48px}"
	"header h1{font-size:22px;margin:0 0 2px;font-weight:600}"
	"header p{margin:0;color:var(--muted);font-size:13px}"
	"h2{font-size:17px;font-weight:600;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}"
	".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:18px}"
	".tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}"
	".tile b{display:block;font-size:24px;font-weight:600}"
	".tile span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}"
	".status-pass b{color:var(--good)}.status-fail b{color:var(--bad)}"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}"
	".chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px 8px;"
	"break-inside:avoid}"
	".chart h3{font-size:13px;font-weight:600;margin:0;display:flex;justify-content:space-between;gap:8px}"
	".chart h3 em{font-style:normal;font-weight:600}"
	".chart .delta{font-size:12px;color:var(--muted);margin:0 0 4px}"
	".better{color:var(--good)!important}.worse{color:var(--bad)!important}"
	"svg.trend{width:100%;height:auto;display:block}"
	"svg.trend .area{fill:#2f6f9f;fill-opacity:.10}"
	"svg.trend .data{fill:none;stroke:var(--accent);stroke-width:1.6;stroke-linejoin:round;stroke-linecap:round}"
	"svg.trend .band{fill:#2f855a;fill-opacity:.08}"
	"svg.trend .bound{stroke:#2f855a;stroke-width:.8;stroke-dasharray:3 3}"
	"svg.trend .ideal{stroke:#b7791f;stroke-width:.8;stroke-dasharray:1 2}"
	"svg.trend .axis{stroke:var(--line);stroke-width:1}"
	"svg.trend circle{fill:var(--accent)}"
	".chart .range{display:flex;justify-content:space-between;font-size:11px;color:var(--muted)}"
	".note{background:var(--card);border:1px dashed var(--line);border-radius:8px;padding:12px 14px;color:var(--muted)}"
	"code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\",monospace;font-size:12.5px}"
	".file{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:0 0 14px;overflow:hidden}"
	".file>h3{margin:0;padding:8px 14px;font-size:14px;background:#f0f3f6;border-bottom:1px solid var(--line);"
	"word-break:break-all}"
	".file>h3 small{color:var(--muted);font-weight:400}"
	".finding{padding:10px 14px;border-top:1px solid var(--line)}"
	".finding:first-of-type{border-top:0}"
	".finding p{margin:0 0 6px}"
	".sev{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;"
	"padding:1px 7px;border-radius:10px;margin-right:6px;color:#fff}"
	".sev-critical{background:#822727}.sev-error{background:var(--bad)}.sev-warning{background:var(--warn)}"
	".sev-info{background:var(--info)}"
	".rule{color:var(--muted);font-size:12px}"
	"pre{margin:6px 0 0;padding:8px 0;background:#fafbfc;border:1px solid var(--line);border-radius:6px;"
	"overflow-x:auto;white-space:pre}"
	"pre span{display:block;padding:0 10px}"
	"pre .hl{background:#fff5d6}"
	"pre i{font-style:normal;color:#9aa5b1;display:inline-block;min-width:3.2em;user-select:none}"
	"pre .del{background:#ffecec;color:#8a1f1f}pre .add{background:#e9f9ee;color:#1f5f35}"
	".fix{font-size:12px;color:var(--good);margin-top:8px;font-weight:600}"
	"table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);"
	"border-radius:8px;overflow:hidden;font-size:13px}"
	"th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right}"
	"th:first-child,td:first-child{text-align:left;word-break:break-all}"
	"th{background:#f0f3f6;font-weight:600}"
	"td .bar{display:inline-block;height:8px;border-radius:4px;background:var(--line);width:80px;"
	"vertical-align:middle;margin-left:8px;overflow:hidden}"
	"td .bar b{display:block;height:100%;background:var(--accent)}"
	"tr.total td{font-weight:600}"
	"footer{margin-top:36px;color:var(--muted);font-size:12px}"
	"@media (max-width:600px){main{padding:14px 10px 32px}.tiles{grid-template-columns:1fr 1fr}"
	".charts{grid-template-columns:1fr}td .bar{display:none}th:nth-child(3),td:nth-child(3){display:none}}"
	"@media print{body{background:#fff;font-size:12px}main{max-width:none;padding:0}"
	".tile,.chart,.file,table{border-color:#ccc}.file,.chart,tr{break-inside:avoid}"
	"pre{white-space:pre-wrap;word-break:break-all}h2{break-after:avoid}}";

/* Append `s` (len bytes) HTML-escaped, invalid UTF-8 replaced. */
static int esc_n(wm_buf *b, const char *s, size_t len)
{
	wm_buf clean = WM_BUF_INIT;
	size_t i;
	int error;

	if ((error = wm_report__utf8_clean(&clean, s, len)) < 0)
		goto done;
	for (i = 0; i < clean.size && error == 0; i++) {
		switch (clean.ptr[i]) {
		case '&': error = wm_buf_puts(b, "&amp;"); break;
		case '<': error = wm_buf_puts(b, "&lt;"); break;
		case '>': error = wm_buf_puts(b, "&gt;"); break;
		case '"': error = wm_buf_puts(b, "&quot;"); break;
		case '\'': error = wm_buf_puts(b, "&#39;"); break;
		case '\r': break;
		case '\t': error = wm_buf_puts(b, "    "); break;
		default:
			/* Other control characters would be invisible or break the layout. */
			if ((unsigned char)clean.ptr[i] < 0x20)
				error = wm_buf_puts(b, "\xEF\xBF\xBD");
			else
				error = wm_buf_putc(b, clean.ptr[i]);
		}
	}
done:
	wm_buf_dispose(&clean);
	return error;
}

static int esc(wm_buf *b, const char *s)
{
	return s ? esc_n(b, s, strlen(s)) : 0;
}

/* --- summary ------------------------------------------------------------- */

static bool total_coverage(const wm_scan_result *r, uint64_t *documented, uint64_t *items)
{
	size_t i;

	*documented = *items = 0;
	for (i = 0; i < r->nmetrics; i++) {
		if (strcmp(r->metrics[i].name, "doc-coverage") || !r->metrics[i].path)
			continue;
		*documented += r->metrics[i].value;
		*items += r->metrics[i].total;
	}
	return *items > 0;
}

static int put_tile(wm_buf *b, const char *cls, const char *value, const char *label)
{
	int error;

	if ((error = wm_buf_printf(b, "<div class=\"tile %s\"><b>", cls)) < 0 ||
	    (error = esc(b, value)) < 0 ||
	    (error = wm_buf_puts(b, "</b><span>")) < 0 ||
	    (error = esc(b, label)) < 0)
		return error;
	return wm_buf_puts(b, "</span></div>");
}

static int put_summary(wm_buf *b, const wm_scan_result *r, const wm_report_options *opts)
{
	uint64_t documented, items, failing = 0;
	char v[64];
	size_t i;
	int error;

	for (i = opts->fail_on; opts->fail_on != WM_SEV_NONE && i < WM_SEV__COUNT; i++)
		failing += r->summary.by_severity[i];
	if ((error = wm_buf_puts(b, "<section class=\"tiles\" id=\"summary\">")) < 0 ||
	    (error = put_tile(b, failing ? "status-fail" : "status-pass", failing ? "failed" : "passed",
			"gate")) < 0)
		return error;
	snprintf(v, sizeof(v), "%llu", (unsigned long long)r->summary.findings);
	if ((error = put_tile(b, "", v, "findings")) < 0)
		return error;
	snprintf(v, sizeof(v), "%llu / %llu", (unsigned long long)(r->summary.by_severity[WM_SEV_ERROR] +
		r->summary.by_severity[WM_SEV_CRITICAL]), (unsigned long long)r->summary.by_severity[WM_SEV_WARNING]);
	if ((error = put_tile(b, "", v, "errors / warnings")) < 0)
		return error;
	if (total_coverage(r, &documented, &items)) {
		snprintf(v, sizeof(v), "%.1f%%", 100.0 * (double)documented / (double)items);
		if ((error = put_tile(b, "", v, "doc coverage")) < 0)
			return error;
	}
	snprintf(v, sizeof(v), "%llu", (unsigned long long)r->summary.files);
	if ((error = put_tile(b, "", v, "files scanned")) < 0)
		return error;
	snprintf(v, sizeof(v), "%.2f s", (double)r->summary.elapsed_ms / 1000.0);
	if ((error = put_tile(b, "", v, "scan time")) < 0)
		return error;
	return wm_buf_puts(b, "</section>");
}

/* --- charts ---------------------------------------------------------------- */

static double y_of(double v, double lo, double hi)
{
	return CH - PAD - (hi > lo ? (v - lo) / (hi - lo) : 0.5) * (CH - 2 * PAD);
}

static int put_chart(wm_buf *b, const wm_health_history *h, const wm_health_info *info,
	const wm_config *cfg)
{
	double *v = NULL, lo = INFINITY, hi = -INFINITY, first = NAN, last = NAN;
	double min = NAN, max = NAN, ideal = NAN, t;
	char key[256], a[32], z[32], l[32], u[32];
	size_t i, n = h->count, k = 0;
	bool started = false;
	const char *cls = "";
	int error = 0;

	if (!(v = wm_calloc(n ? n : 1, sizeof(*v))))
		return WM_ENOMEM;
	for (i = 0; i < n; i++) {
		if (!wm_health_get(&h->points[i], info->name, &v[i])) {
			v[i] = NAN;
			continue;
		}
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
		if (isnan(first))
			first = v[i];
		last = v[i];
		k++;
	}
	if (!k)
		goto done; /* not measured in this history */
	if (cfg) {
		snprintf(key, sizeof(key), "health.%s.min", info->name);
		if (wm_config_number(cfg, key, &t))
			min = t;
		snprintf(key, sizeof(key), "health.%s.max", info->name);
		if (wm_config_number(cfg, key, &t))
			max = t;
		snprintf(key, sizeof(key), "health.%s.ideal", info->name);
		if (wm_config_number(cfg, key, &t))
			ideal = t;
	}
	/* The configured range belongs in the picture: that is the point of it. */
	if (!isnan(min)) { lo = min < lo ? min : lo; hi = min > hi ? min : hi; }
	if (!isnan(max)) { lo = max < lo ? max : lo; hi = max > hi ? max : hi; }
	if (!isnan(ideal)) { lo = ideal < lo ? ideal : lo; hi = ideal > hi ? ideal : hi; }
	if (hi == lo) {
		hi += 1;
		lo = lo >= 1 ? lo - 1 : 0;
	}
	if (last != first && info->better)
		cls = (last > first) == (info->better > 0) ? "better" : "worse";
	wm_report__format_value(a, sizeof(a), first, info->unit);
	wm_report__format_value(z, sizeof(z), last, info->unit);
	wm_report__format_value(l, sizeof(l), lo, info->unit);
	wm_report__format_value(u, sizeof(u), hi, info->unit);
	if ((error = wm_buf_printf(b, "<div class=\"chart\" data-metric=\"%s\"><h3><span>", info->name)) < 0 ||
	    (error = esc(b, info->label)) < 0 ||
	    (error = wm_buf_printf(b, "</span><em class=\"%s\">%s</em></h3><p class=\"delta\">%s at the oldest of %zu commits</p>",
			cls, z, a, k)) < 0 ||
	    (error = wm_buf_printf(b, "<svg class=\"trend\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", CW, CH)) < 0 ||
	    (error = esc(b, info->label)) < 0 ||
	    (error = wm_buf_printf(b, " from %s to %s\">", a, z)) < 0)
		goto done;
	if (!isnan(min) || !isnan(max)) {
		double top = y_of(isnan(max) ? hi : max, lo, hi), bottom = y_of(isnan(min) ? lo : min, lo, hi);

		if ((error = wm_buf_printf(b, "<rect class=\"band\" x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"/>",
				top, CW, bottom - top)) < 0)
			goto done;
		if (!isnan(min) && (error = wm_buf_printf(b, "<line class=\"bound\" x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>",
				CW, bottom, bottom)) < 0)
			goto done;
		if (!isnan(max) && (error = wm_buf_printf(b, "<line class=\"bound\" x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>",
				CW, top, top)) < 0)
			goto done;
	}
	if (!isnan(ideal) && (error = wm_buf_printf(b, "<line class=\"ideal\" x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>",
			CW, y_of(ideal, lo, hi), y_of(ideal, lo, hi))) < 0)
		goto done;
	if ((error = wm_buf_printf(b, "<line class=\"axis\" x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>",
			CW, CH - 0.5, CH - 0.5)) < 0)
		goto done;
	/* The area under the line, then the line itself, then the last point. */
	for (int pass = 0; pass < 2; pass++) {
		double x0 = -1, x = 0;

		started = false;
		if ((error = wm_buf_printf(b, "<path class=\"%s\" d=\"", pass ? "data" : "area")) < 0)
			goto done;
		for (i = 0; i < n; i++) {
			if (isnan(v[i]))
				continue;
			x = n > 1 ? PAD + (CW - 2 * PAD) * (double)i / (double)(n - 1) : CW / 2;
			if (x0 < 0)
				x0 = x;
			if ((error = wm_buf_printf(b, "%s%.1f %.1f", started ? " L" : "M", x, y_of(v[i], lo, hi))) < 0)
				goto done;
			started = true;
		}
		if (!pass && (error = wm_buf_printf(b, " L%.1f %.1f L%.1f %.1fZ", x, CH, x0, CH)) < 0)
			goto done;
		if ((error = wm_buf_puts(b, "\"/>")) < 0)
			goto done;
	}
	for (i = n; i-- > 0;)
		if (!isnan(v[i]))
			break;
	if ((error = wm_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\"/></svg>",
			n > 1 ? PAD + (CW - 2 * PAD) * (double)i / (double)(n - 1) : CW / 2, y_of(v[i], lo, hi))) < 0 ||
	    (error = wm_buf_printf(b, "<div class=\"range\"><span>%.7s</span><span>%s .. %s</span><span>%.7s</span></div></div>",
			h->points[0].commit, l, u, h->points[n - 1].commit)) < 0)
		goto done;
done:
	wm_free(v);
	return error;
}

static int put_history(wm_buf *b, const wm_report_options *opts)
{
	const wm_health_history *h = opts->history;
	const wm_health_info *info;
	size_t n, i;
	int error;

	if ((error = wm_buf_puts(b, "<h2 id=\"health\">Health over history</h2>")) < 0)
		return error;
	if (!h || !h->count)
		return wm_buf_puts(b, "<p class=\"note\">No health history yet. Run <code>wm-board --history</code> "
			"to compute the health of the last 200 commits; the next report will chart it.</p>");
	if ((error = wm_buf_printf(b, "<p class=\"delta\">%zu commit%s on the first-parent line, oldest on the left.</p>"
			"<div class=\"charts\">", h->count, h->count == 1 ? "" : "s")) < 0)
		return error;
	info = wm_health_headline(&n);
	for (i = 0; i < n; i++)
		if ((error = put_chart(b, h, &info[i], opts->config)) < 0)
			return error;
	return wm_buf_puts(b, "</div>");
}

/* --- findings -------------------------------------------------------------- */

/* Bounds of 1-based line `line` in data; false past the end. */
static bool line_span(const char *data, size_t size, uint32_t line, size_t *start, size_t *end)
{
	size_t i = 0;
	uint32_t l = 1;

	while (l < line) {
		const char *nl = memchr(data + i, '\n', size - i);

		if (!nl)
			return false;
		i = (size_t)(nl - data) + 1;
		l++;
	}
	if (i > size || (i == size && line > 1))
		return false;
	*start = i;
	*end = i;
	while (*end < size && data[*end] != '\n')
		(*end)++;
	return true;
}

static int put_frame(wm_buf *b, const char *data, size_t size, const wm_finding *f)
{
	uint32_t from = f->line > 2 ? f->line - 2 : 1, to = f->line + 2, l;
	uint32_t last = f->end_line > f->line && f->end_line < f->line + 6 ? f->end_line : f->line;
	size_t s, e;
	int error;

	to = last + 2;
	if ((error = wm_buf_puts(b, "<pre class=\"frame\">")) < 0)
		return error;
	for (l = from; l <= to && line_span(data, size, l, &s, &e); l++) {
		if ((error = wm_buf_printf(b, "<span%s><i>%u</i>", l >= f->line && l <= last ? " class=\"hl\"" : "", l)) < 0 ||
		    (error = esc_n(b, data + s, e - s)) < 0 ||
		    (error = wm_buf_puts(b, "</span>")) < 0)
			return error;
	}
	return wm_buf_puts(b, "</pre>");
}

static int put_lines(wm_buf *b, const char *cls, const char *sign, const char *s, size_t len)
{
	size_t i = 0;
	int error = 0;

	while (i < len || (len == 0 && i == 0)) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;

		if ((error = wm_buf_printf(b, "<span class=\"%s\">%s ", cls, sign)) < 0 ||
		    (error = esc_n(b, s + i, e - i)) < 0 ||
		    (error = wm_buf_puts(b, "</span>")) < 0)
			return error;
		i = e + 1;
		if (len == 0)
			break;
	}
	return error;
}

/* A fix as a small diff: the lines an edit touches, before and after. */
static int put_fix(wm_buf *b, const wm_finding *f, const char *data, size_t size)
{
	wm_buf after = WM_BUF_INIT;
	size_t i;
	int error;

	if ((error = wm_buf_puts(b, "<div class=\"fix\">fix: ")) < 0 ||
	    (error = esc(b, f->fix->description ? f->fix->description : "available")) < 0 ||
	    (error = wm_buf_puts(b, "</div><pre class=\"diff\">")) < 0)
		goto done;
	for (i = 0; i < f->fix->nedits; i++) {
		const wm_edit *ed = &f->fix->edits[i];
		size_t s, e;

		if (!data || !f->path || strcmp(ed->path, f->path) || ed->end_byte > size || ed->start_byte > ed->end_byte) {
			if ((error = wm_buf_printf(b, "<span class=\"add\">%s</span>", "+ (in ")) < 0 ||
			    (error = esc(b, ed->path)) < 0 ||
			    (error = wm_buf_puts(b, ")")) < 0 ||
			    (error = put_lines(b, "add", "+", ed->replacement, strlen(ed->replacement))) < 0)
				goto done;
			continue;
		}
		for (s = ed->start_byte; s > 0 && data[s - 1] != '\n'; s--)
			;
		for (e = ed->end_byte; e < size && data[e] != '\n'; e++)
			;
		wm_buf_clear(&after);
		if ((error = wm_buf_put(&after, data + s, ed->start_byte - s)) < 0 ||
		    (error = wm_buf_puts(&after, ed->replacement)) < 0 ||
		    (error = wm_buf_put(&after, data + ed->end_byte, e - ed->end_byte)) < 0)
			goto done;
		if ((e > s && (error = put_lines(b, "del", "-", data + s, e - s)) < 0) ||
		    (error = put_lines(b, "add", "+", after.ptr ? after.ptr : "", after.size)) < 0)
			goto done;
	}
	error = wm_buf_puts(b, "</pre>");
done:
	wm_buf_dispose(&after);
	return error;
}

static int put_finding(wm_buf *b, const wm_finding *f, const wm_report_options *opts)
{
	const char *data = NULL;
	size_t size = 0;
	int error;

	if (f->path && opts->read && opts->read(opts->read_payload, f->path, &data, &size) != 0) {
		data = NULL;
		wm_error_clear();
	}
	if ((error = wm_buf_printf(b, "<div class=\"finding\"><p><span class=\"sev sev-%s\">%s</span>",
			wm_severity_name(f->severity), wm_severity_name(f->severity))) < 0 ||
	    (error = esc(b, f->message)) < 0 ||
	    (error = wm_buf_puts(b, " <span class=\"rule\">")) < 0 ||
	    (error = esc(b, f->detector)) < 0 ||
	    (error = wm_buf_puts(b, "/")) < 0 ||
	    (error = esc(b, f->rule)) < 0)
		return error;
	if (f->line && (error = wm_buf_printf(b, " &middot; line %u, column %u", f->line, f->column)) < 0)
		return error;
	if ((error = wm_buf_puts(b, "</span></p>")) < 0)
		return error;
	if (data && f->line && (error = put_frame(b, data, size, f)) < 0)
		return error;
	if (f->fix && f->fix->nedits && (error = put_fix(b, f, data, size)) < 0)
		return error;
	return wm_buf_puts(b, "</div>");
}

static int put_findings(wm_buf *b, const wm_scan_result *r, const wm_report_options *opts)
{
	const wm_findings *fs = &r->findings;
	size_t i = 0, j, k;
	int error;

	if ((error = wm_buf_printf(b, "<h2 id=\"findings\">Findings (%zu)</h2>", fs->count)) < 0)
		return error;
	if (!fs->count)
		return wm_buf_puts(b, "<p class=\"note\">No findings: the immune system found nothing to answer.</p>");
	/* Findings are sorted by path, repository-wide ones (no path) first. */
	while (i < fs->count) {
		const char *path = fs->items[i].path;

		for (j = i; j < fs->count && (path ? fs->items[j].path && !strcmp(fs->items[j].path, path)
				: !fs->items[j].path); j++)
			;
		if ((error = wm_buf_puts(b, "<section class=\"file\"><h3>")) < 0 ||
		    (error = path ? esc(b, path) : wm_buf_puts(b, "the repository")) < 0 ||
		    (error = wm_buf_printf(b, " <small>%zu finding%s</small></h3>", j - i, j - i == 1 ? "" : "s")) < 0)
			return error;
		for (k = i; k < j; k++)
			if ((error = put_finding(b, &fs->items[k], opts)) < 0)
				return error;
		if ((error = wm_buf_puts(b, "</section>")) < 0)
			return error;
		i = j;
	}
	return 0;
}

/* --- coverage ---------------------------------------------------------------- */

typedef struct cov_row {
	const char *path;
	uint64_t documented, items;
} cov_row;

static int compare_cov(const void *x, const void *y)
{
	const cov_row *a = x, *b = y;
	/* Least documented first: that is where the work is. */
	double pa = (double)a->documented / (double)a->items, pb = (double)b->documented / (double)b->items;

	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(a->path, b->path);
}

static int put_cov_row(wm_buf *b, const char *cls, const char *name, uint64_t documented, uint64_t items)
{
	double pct = items ? 100.0 * (double)documented / (double)items : 100.0;
	int error;

	if ((error = wm_buf_printf(b, "<tr%s><td>", cls)) < 0 ||
	    (error = esc(b, name)) < 0)
		return error;
	return wm_buf_printf(b, "</td><td>%llu</td><td>%llu</td><td>%.1f%%<span class=\"bar\"><b style=\"width:%.0f%%\"></b></span></td></tr>",
		(unsigned long long)items, (unsigned long long)(items - documented), pct, pct);
}

static int put_coverage(wm_buf *b, const wm_scan_result *r)
{
	cov_row *rows = NULL;
	uint64_t documented = 0, items = 0;
	size_t n = 0, i;
	int error = 0;

	if ((error = wm_buf_puts(b, "<h2 id=\"coverage\">Documentation coverage</h2>")) < 0)
		return error;
	if (!(rows = wm_calloc(r->nmetrics ? r->nmetrics : 1, sizeof(*rows))))
		return WM_ENOMEM;
	for (i = 0; i < r->nmetrics; i++) {
		const wm_metric *m = &r->metrics[i];

		if (strcmp(m->name, "doc-coverage") || !m->path || !m->total)
			continue;
		rows[n].path = m->path;
		rows[n].documented = m->value;
		rows[n].items = m->total;
		documented += m->value;
		items += m->total;
		n++;
	}
	if (!n) {
		error = wm_buf_puts(b, "<p class=\"note\">No public API items were counted in this run.</p>");
		goto done;
	}
	qsort(rows, n, sizeof(*rows), compare_cov);
	if ((error = wm_buf_puts(b, "<table><thead><tr><th>File</th><th>Items</th><th>Missing</th><th>Coverage</th></tr></thead><tbody>")) < 0)
		goto done;
	for (i = 0; i < n; i++)
		if ((error = put_cov_row(b, "", rows[i].path, rows[i].documented, rows[i].items)) < 0)
			goto done;
	if ((error = put_cov_row(b, " class=\"total\"", "Total", documented, items)) < 0)
		goto done;
	error = wm_buf_puts(b, "</tbody></table>");
done:
	wm_free(rows);
	return error;
}

int wm_report__html(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	wm_buf b = WM_BUF_INIT;
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	int error;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
	if ((error = wm_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			"<meta name=\"color-scheme\" content=\"light\"><title>")) < 0 ||
	    (error = esc(&b, opts->title ? opts->title : "wm report")) < 0 ||
	    (error = wm_buf_printf(&b, "</title><style>%s</style></head><body><main><header><h1>", css)) < 0 ||
	    (error = esc(&b, opts->title ? opts->title : "wm report")) < 0 ||
	    (error = wm_buf_puts(&b, "</h1><p>")) < 0 ||
	    (error = esc(&b, opts->repo_root ? opts->repo_root : "")) < 0 ||
	    (error = wm_buf_printf(&b, " &middot; %s</p></header>", when)) < 0 ||
	    (error = put_summary(&b, result, opts)) < 0 ||
	    (error = put_history(&b, opts)) < 0 ||
	    (error = put_findings(&b, result, opts)) < 0 ||
	    (error = put_coverage(&b, result)) < 0 ||
	    (error = wm_buf_printf(&b, "<footer>Written by wm %s: an immune system for git repositories. "
			"This file loads nothing from anywhere.</footer></main></body></html>\n",
			opts->tool_version ? opts->tool_version : "")) < 0)
		goto done;
	if (fwrite(b.ptr, 1, b.size, out) != b.size)
		error = wm_error_set(WM_ERROR, "writing the HTML report failed");
	else
		error = wm_report__flush(out, "the HTML");
done:
	wm_buf_dispose(&b);
	return error;
}
