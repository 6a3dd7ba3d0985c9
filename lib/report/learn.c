/*
 * learn.c - what wm-learn prints: the mining progress bar, learned rules,
 * the review list and the evaluation table.
 *
 * Kept apart from cmd/wm-learn.c so the command stays a thin main and the
 * table layout is tested with the library. The evaluation table gives raw
 * counts beside every ratio: on real histories most cells are small, and a
 * reader must see that 1.00 means one out of one.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wm/learn.h"

void wm_report_learn_progress(FILE *out, const wm_learn_progress *p)
{
	int width = 30, filled = p->total ? (int)((double)p->done * width / (double)p->total) : width;

	fprintf(out, "\r[%-*.*s] %zu/%zu commits, %zu fixes, %zu edits, %.1f s ", width, filled,
		"##############################", p->done, p->total, p->fixes, p->edits, p->elapsed);
	fflush(out);
}

static int one_line(wm_buf *out, const char *s)
{
	size_t n = strcspn(s, "\n");

	return wm_buf_printf(out, "%.*s%s", (int)(n > 100 ? 100 : n), s, n > 100 || s[n] ? " ..." : "");
}

int wm_report_learn_rules(wm_buf *out, const wm_learn_rules *rules, bool yaml)
{
	size_t i;
	int error;

	error = wm_buf_printf(out, "%zu rules learned from %zu edits (%zu candidate patterns, %zu dropped "
		"for matching unchanged code, %zu for a low estimated precision)\n", rules->count, rules->edits,
		rules->candidates, rules->overgeneral, rules->imprecise);
	for (i = 0; i < rules->count && !error; i++) {
		const wm_learn_rule *r = &rules->items[i];

		error = wm_buf_printf(out, "\n%s [%s] support %zu, signal %s, estimated precision %.2f "
			"(%zu of %zu matches in training files)\n  - ", r->id, wm_lang_name(r->lang), r->support,
			r->signal, r->precision, r->fixed, r->fixed + r->wrong + r->unchanged);
		if (!error)
			error = one_line(out, r->pattern);
		if (!error)
			error = wm_buf_puts(out, "\n  + ");
		if (!error)
			error = one_line(out, r->fix);
		if (!error)
			error = wm_buf_putc(out, '\n');
		if (!error && yaml)
			error = wm_buf_printf(out, "--- .wm/antibodies/learned/%s.yml\n%s", r->id, r->yaml);
	}
	return error;
}

int wm_report_learn_pending(wm_buf *out, const wm_learn_pending *list, size_t count)
{
	size_t i;
	int error = 0;

	if (!count)
		return wm_buf_puts(out, "no learned rules to review (run wm-learn first)\n");
	for (i = 0; i < count && !error; i++) {
		error = wm_buf_printf(out, "%s  (%s)\n  - ", list[i].id, list[i].note);
		if (!error)
			error = one_line(out, list[i].pattern);
		if (!error)
			error = wm_buf_puts(out, "\n  + ");
		if (!error)
			error = one_line(out, list[i].fix);
		if (!error)
			error = wm_buf_putc(out, '\n');
	}
	if (!error)
		error = wm_buf_puts(out, "\naccept: wm-learn review accept ID   reject: wm-learn review reject ID\n");
	return error;
}

/* Newton's square root: one call does not justify linking libm. */
static double root(double x)
{
	double r = x > 1 ? x : 1;
	int i;

	if (x <= 0)
		return 0;
	for (i = 0; i < 60; i++)
		r = 0.5 * (r + x / r);
	return r;
}

static double ratio(size_t a, size_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

/* Rules listed per split beyond those that ranked first at a human edit. */
#define MAX_LISTED 8

/* A split's date as the table shows it (UTC). */
static void format_day(char day[16], int64_t date)
{
	time_t t = (time_t)date;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(day, 16, "%Y-%m-%d", &tm);
}

static int split_header(wm_buf *out, int64_t date)
{
	char day[16];

	format_day(day, date);
	return wm_buf_printf(out, "%s rules (precision correct/suggested, top-1 exact where a human edit was, "
		"support, matches on unchanged code):\n", day);
}

int wm_report_learn_eval(wm_buf *out, const wm_learn_eval_result *res)
{
	static const char *const names[] = { "recall", "top1", "top5", "precision" };
	double v[4][64], mean[4], sd[4];
	size_t i, k, n = res->count < 64 ? res->count : 64;
	int error;

	error = wm_buf_puts(out, "split       train  rules  fixes  edits  predicted     top-1         top-5"
		"         precision        head  good  secs\n");
	for (i = 0; i < n && !error; i++) {
		const wm_learn_split *s = &res->splits[i];
		char day[16];

		format_day(day, s->date);
		v[0][i] = ratio(s->predicted, s->test_edits);
		v[1][i] = ratio(s->top1, s->test_edits);
		v[2][i] = ratio(s->top5, s->test_edits);
		v[3][i] = ratio(s->correct, s->suggestions);
		error = wm_buf_printf(out, "%s %6zu %6zu %6zu %6zu  %.3f (%4zu)  %.3f (%4zu)  %.3f (%4zu)  "
			"%.3f (%3zu/%4zu) %4zu %5zu %5.1f\n", day, s->train_edits, s->rules, s->test_commits,
			s->test_edits, v[0][i], s->predicted, v[1][i], s->top1, v[2][i], s->top5, v[3][i],
			s->correct, s->suggestions, s->head_rules, s->good_rules, s->seconds);
	}
	for (k = 0; k < 4; k++) {
		mean[k] = sd[k] = 0;
		for (i = 0; i < n; i++)
			mean[k] += v[k][i];
		mean[k] = n ? mean[k] / (double)n : 0;
		for (i = 0; i < n; i++)
			sd[k] += (v[k][i] - mean[k]) * (v[k][i] - mean[k]);
		sd[k] = n > 1 ? root(sd[k] / (double)(n - 1)) : 0;
	}
	for (k = 0; k < 4 && !error; k++)
		error = wm_buf_printf(out, "%s%s %.3f +- %.3f", k ? ", " : "mean +- sd: ", names[k], mean[k], sd[k]);
	if (!error)
		error = wm_buf_printf(out, "\nrules with precision >= 0.7 on two consecutive splits: %zu\n",
			res->stable_rules);
	for (i = 0; i < res->stable_rules && !error; i++)
		error = wm_buf_printf(out, "  %s\n", res->stable_ids[i]);
	if (!error)
		error = wm_buf_printf(out, "rules with top-1 precision >= 0.7 where a human edit was, "
			"on two consecutive splits: %zu\n", res->stable_top1);
	for (i = 0; i < res->stable_top1 && !error; i++)
		error = wm_buf_printf(out, "  %s\n", res->stable_top1_ids[i]);
	/*
	 * Per rule: one over-general rule can make nearly all suggestions of a
	 * split. Every rule that ranked first at a human edit is listed (that
	 * is where top-1 comes from), then the others up to MAX_LISTED.
	 */
	for (i = 0; i < n && !error; i++) {
		const wm_learn_split *s = &res->splits[i];
		size_t listed = 0, pass;

		for (pass = 0; pass < 2; pass++)
			for (k = 0; k < s->nscores && !error; k++) {
				const wm_learn_rule_score *r = &s->scores[k];

				if ((pass == 0) != (r->top1_ranked > 0) || (pass == 1 && listed >= MAX_LISTED))
					continue;
				if (!listed++)
					error = split_header(out, s->date);
				if (!error)
					error = wm_buf_printf(out, "  %.3f (%zu/%zu) top-1 %zu/%zu support %zu unchanged %zu "
						"%s: %.60s -> %.60s\n", ratio(r->correct, r->suggestions), r->correct,
						r->suggestions, r->top1_exact, r->top1_ranked, r->support, r->unchanged,
						r->id, r->pattern, r->fix);
			}
	}
	return error;
}
