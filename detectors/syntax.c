/*
 * syntax.c - the syntax detector: a file that does not parse is reported.
 *
 * A commit that breaks the syntax of a file breaks everything downstream of
 * it (imports, docs, antibodies all read the tree), so this is the first,
 * cheapest check of the gate. tree-sitter never fails a parse: it recovers,
 * wrapping what it could not place in ERROR nodes and inventing zero-width
 * MISSING tokens where one was expected. Each of those is one finding.
 *
 * The walk skips every subtree without errors (ts_node_has_error), so a
 * clean file costs one visit of the root, and does not descend into an
 * ERROR node it reported: what is inside is the parser's guess, and
 * reporting it again would only repeat the same mistake.
 *
 * Messages name the token the parser tripped over, in a form safe to print
 * in a terminal (control characters escaped, long tokens cut), because the
 * text comes from the file and the file may be hostile.
 *
 * A broken file easily yields hundreds of cascading errors; after
 * MAX_FINDINGS the rest are summed up in one last finding.
 */
#include <string.h>

#include "syntax.h"

#define MAX_FINDINGS 20
/* Code points of a token shown in a message before it is cut. */
#define TOKEN_MAX 30

static const wm_rule_info rules[] = {
	{
		"syntax-error",
		WM_SEV_ERROR,
		"The file does not parse.",
		"The parser for the file's language could not make sense of the code at "
		"this point: a bracket, quote or keyword is missing or out of place. Code "
		"that does not parse cannot run or be imported, and every other check of "
		"wm sees only part of the file. Fix the code at the position shown (the "
		"real mistake is often just before it, e.g. an unclosed bracket). If the "
		"file is valid and wm's grammar lags behind the language (a very new "
		"syntax, an unusual macro), suppress the finding with a comment "
		"`wm: ignore[syntax-error] reason` on the line or the line above, or set "
		"`detectors: syntax: severity: syntax-error/<language>: warning` in .wm.yml."
	},
};

struct walk_state {
	wm_scan *scan;
	const wm_file *file;
	size_t reported;    /* findings emitted */
	size_t more;        /* errors past MAX_FINDINGS */
	uint32_t more_start, more_end;
};

static bool is_error(TSNode node)
{
	/* ts_node_is_error() is newer than libtree-sitter 0.20.7. */
	return ts_node_symbol(node) == (TSSymbol)-1;
}

/* The first token inside `node` that has any text, or `node` itself. */
static TSNode first_token(TSNode node)
{
	TSNode cur = node;

	while (ts_node_child_count(cur) > 0) {
		TSNode child = ts_node_child(cur, 0);
		uint32_t i, n = ts_node_child_count(cur);

		/* Skip zero-width children (MISSING tokens, empty nodes). */
		for (i = 1; i < n && ts_node_end_byte(child) == ts_node_start_byte(child); i++)
			child = ts_node_child(cur, i);
		if (ts_node_end_byte(child) == ts_node_start_byte(child))
			break;
		cur = child;
	}
	return ts_node_end_byte(cur) > ts_node_start_byte(cur) ? cur : node;
}

/* Append data[start..end) as a quoted, escaped, cut token. */
static int put_token(wm_buf *msg, const char *data, uint32_t start, uint32_t end)
{
	const unsigned char *s = (const unsigned char *)data;
	uint32_t i = start, shown = 0;
	int error;

	if ((error = wm_buf_putc(msg, '"')) < 0)
		return error;
	while (i < end && shown < TOKEN_MAX) {
		unsigned char c = s[i];

		if (c == '\n')
			error = wm_buf_puts(msg, "\\n");
		else if (c == '\t')
			error = wm_buf_puts(msg, "\\t");
		else if (c == '"' || c == '\\')
			error = wm_buf_printf(msg, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			error = wm_buf_printf(msg, "\\x%02x", c);
		else if (c < 0x80)
			error = wm_buf_putc(msg, (char)c);
		else {
			/* Copy a whole UTF-8 sequence so a cut never splits one. */
			uint32_t n = 1;

			while (i + n < end && n < 4 && (s[i + n] & 0xC0) == 0x80)
				n++;
			error = wm_buf_put(msg, data + i, n);
			i += n - 1;
		}
		if (error < 0)
			return error;
		i++;
		shown++;
	}
	if ((error = wm_buf_putc(msg, '"')) < 0)
		return error;
	if (i < end)
		error = wm_buf_puts(msg, "...");
	return error;
}

static int emit(struct walk_state *st, uint32_t start, uint32_t end, const char *message)
{
	wm_finding f = WM_FINDING_INIT;

	f.rule = (char *)"syntax-error";
	f.path = (char *)st->file->path;
	f.start_byte = start;
	f.end_byte = end;
	f.message = (char *)message;
	/* severity left at NONE: the scan applies the rule's default and the config */
	return wm_emit(st->scan, &f);
}

static int report(struct walk_state *st, TSNode node, bool missing)
{
	wm_buf msg = WM_BUF_INIT;
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	int error = 0;

	if (st->reported >= MAX_FINDINGS) {
		if (st->more++ == 0) {
			st->more_start = start;
			st->more_end = end;
		}
		goto done;
	}
	if (missing) {
		error = wm_buf_puts(&msg, "syntax error: missing ");
		if (!error)
			error = put_token(&msg, ts_node_type(node), 0, (uint32_t)strlen(ts_node_type(node)));
	} else {
		TSNode tok = first_token(node);
		uint32_t ts = ts_node_start_byte(tok), te = ts_node_end_byte(tok);

		if (ts >= st->file->size || te <= ts) {
			error = wm_buf_puts(&msg, "syntax error: unexpected end of file");
		} else {
			error = wm_buf_puts(&msg, "syntax error: unexpected ");
			if (!error)
				error = put_token(&msg, st->file->data, ts,
					te < st->file->size ? te : (uint32_t)st->file->size);
		}
	}
	if (error < 0 || (error = emit(st, start, end, msg.ptr)) < 0)
		goto done;
	st->reported++;
done:
	wm_buf_dispose(&msg);
	return error;
}

static int visit(TSNode node, void *payload)
{
	struct walk_state *st = payload;
	int error;

	if (ts_node_is_missing(node)) {
		if ((error = report(st, node, true)) < 0)
			return error;
		return 1;
	}
	if (!ts_node_has_error(node))
		return 1;
	if (is_error(node)) {
		if ((error = report(st, node, false)) < 0)
			return error;
		return 1;
	}
	return 0;
}

static int scan_file(wm_scan *scan, const wm_file *file)
{
	struct walk_state st = { scan, file, 0, 0, 0, 0 };
	wm_buf msg = WM_BUF_INIT;
	const TSTree *tree;
	int error = 0;

	if (file->change == WM_CHANGE_DELETED || file->lang == WM_LANG_NONE || !file->data)
		goto done;
	if ((error = wm_scan_tree(&tree, scan, file)) < 0) {
		if (error == WM_ENOTFOUND) {
			error = 0;
		} else if (error == WM_EPARSE) {
			/*
			 * A timeout says nothing about the file's validity, only that
			 * it was not checked: say so rather than fail the detector.
			 */
			wm_finding f = WM_FINDING_INIT;

			f.rule = (char *)"syntax-error";
			f.severity = WM_SEV_WARNING;
			f.path = (char *)file->path;
			f.message = (char *)"file could not be parsed in time; its syntax was not checked";
			error = wm_emit(scan, &f);
		}
		goto done;
	}
	if ((error = wm_syntax_walk(ts_tree_root_node(tree), visit, &st)) < 0)
		goto done;
	if (st.more) {
		if ((error = wm_buf_printf(&msg, "... and %zu more syntax error%s", st.more,
				st.more == 1 ? "" : "s")) < 0)
			goto done;
		error = emit(&st, st.more_start, st.more_end, msg.ptr);
	}
done:
	wm_buf_dispose(&msg);
	return error;
}

const wm_detector wm_detector_syntax = {
	"syntax",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	scan_file,
	NULL,
};
