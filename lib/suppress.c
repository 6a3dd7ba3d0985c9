/*
 * suppress.c - inline suppressions: `wm: ignore[rule-id, other-rule] reason`.
 *
 * A marker silences the rules it names on its own line and on the line
 * below it, so it can sit at the end of the offending line or on a comment
 * line of its own above it. The marker is looked for anywhere on the line
 * rather than only inside comments: that keeps it independent of the
 * language (and of whether a file parses at all, which matters for
 * syntax-error), and the bracketed rule list makes accidental matches in
 * ordinary strings unlikely. A bare `wm: ignore` without a list silences
 * nothing: suppressions must say what they silence.
 */
#include <string.h>

#include "wm/scan.h"

/* Bounds of the 1-based line `line`, or false when the content is shorter. */
static bool line_bounds(const char *data, size_t size, uint32_t line, size_t *start, size_t *end)
{
	size_t pos = 0;
	uint32_t n = 1;

	while (n < line) {
		const char *nl = memchr(data + pos, '\n', size - pos);

		if (!nl)
			return false;
		pos = (size_t)(nl - data) + 1;
		n++;
	}
	*start = pos;
	{
		const char *nl = memchr(data + pos, '\n', size - pos);
		*end = nl ? (size_t)(nl - data) : size;
	}
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether a rule list "a, b,c" (without brackets) names `rule` or "*". */
static bool list_names(const char *list, size_t len, const char *rule)
{
	size_t rlen = strlen(rule), i = 0;

	while (i < len) {
		size_t s, e;

		while (i < len && (is_space(list[i]) || list[i] == ','))
			i++;
		s = i;
		while (i < len && list[i] != ',' && !is_space(list[i]))
			i++;
		e = i;
		if (e - s == 1 && list[s] == '*')
			return true;
		if (e - s == rlen && !memcmp(list + s, rule, rlen))
			return true;
	}
	return false;
}

static bool line_suppresses(const char *line, size_t len, const char *rule)
{
	static const char marker[] = "wm:";
	size_t i;

	for (i = 0; i + sizeof(marker) - 1 <= len; i++) {
		size_t p, close;

		if (memcmp(line + i, marker, sizeof(marker) - 1))
			continue;
		p = i + sizeof(marker) - 1;
		while (p < len && is_space(line[p]))
			p++;
		if (len - p < 7 || memcmp(line + p, "ignore[", 7))
			continue;
		p += 7;
		for (close = p; close < len && line[close] != ']'; close++)
			;
		if (close < len && list_names(line + p, close - p, rule))
			return true;
	}
	return false;
}

bool wm_suppressed(const char *data, size_t size, uint32_t line, const char *rule)
{
	size_t start, end;

	if (!data || !rule || line == 0)
		return false;
	if (line_bounds(data, size, line, &start, &end) &&
	    line_suppresses(data + start, end - start, rule))
		return true;
	if (line > 1 && line_bounds(data, size, line - 1, &start, &end) &&
	    line_suppresses(data + start, end - start, rule))
		return true;
	return false;
}
