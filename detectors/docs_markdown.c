/*
 * docs_markdown.c - broken relative links in Markdown (rule broken-link).
 *
 * Links are read with md4c, a CommonMark parser, so that code spans, code
 * blocks, escapes, reference definitions and angle-bracket destinations
 * are what CommonMark says they are; grepping for `](` gets all of those
 * wrong. md4c hands us each href as a pointer into our own buffer (unless
 * it had to unescape it), so the pointer difference is the byte range a
 * fix rewrites.
 *
 * A link is checked against the world being scanned, not the disk: in a
 * pre-commit hook that is the index, so a file renamed but not yet staged
 * is judged as the commit will have it. A directory exists when some entry
 * has it as a prefix (git stores no directories). `#anchors` are checked
 * against GitHub's heading slugs of the target (or of the same file), plus
 * `id=`/`name=` attributes of raw HTML. URLs with a scheme, protocol-relative
 * URLs and paths that climb above the repository (GitHub's `../../issues`)
 * are never judged.
 *
 * Renames: a link to a path that a target of this run was renamed from gets
 * a fix pointing it at the new path, fragment kept. A Markdown file that
 * links to a moved file is usually not itself changed, so scan_repo looks
 * at every Markdown file of the world that mentions the old name (a cheap
 * byte search first) and reports the links that now lead nowhere: the
 * dependents of DESIGN.md 3.1.
 */
#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#include "docs.h"

typedef struct link {
	char *href;          /* as md4c gives it (escapes resolved) */
	uint32_t start, end; /* in the source; start == end == UINT32_MAX when unknown */
	bool image;
} link;

typedef struct md_doc {
	const char *data;
	size_t size;
	link *links;
	size_t nlinks;
	char **anchors;      /* heading slugs and HTML ids */
	size_t nanchors;
	wm_buf heading;
	bool in_heading;
	int error;
} md_doc;

bool docs__is_markdown(const char *path)
{
	size_t n = strlen(path);

	return (n > 3 && !strcmp(path + n - 3, ".md")) || (n > 9 && !strcmp(path + n - 9, ".markdown")) ||
		(n > 4 && !strcmp(path + n - 4, ".mdx"));
}

static void doc_dispose(md_doc *d)
{
	size_t i;

	for (i = 0; i < d->nlinks; i++)
		wm_free(d->links[i].href);
	for (i = 0; i < d->nanchors; i++)
		wm_free(d->anchors[i]);
	wm_free(d->links);
	wm_free(d->anchors);
	wm_buf_dispose(&d->heading);
}

static bool has_anchor(const md_doc *d, const char *a, size_t n)
{
	size_t i;

	for (i = 0; i < d->nanchors; i++)
		if (strlen(d->anchors[i]) == n && !memcmp(d->anchors[i], a, n))
			return true;
	return false;
}

static int add_anchor(md_doc *d, const char *a, size_t n)
{
	char **grown;

	if (!(grown = wm_reallocarray(d->anchors, d->nanchors + 1, sizeof(*grown))))
		return WM_ENOMEM;
	d->anchors = grown;
	if (!(d->anchors[d->nanchors] = wm_strndup(a, n)))
		return WM_ENOMEM;
	d->nanchors++;
	return 0;
}

/*
 * GitHub numbers repeated headings: intro, intro-1, intro-2. Markdown and
 * HTML headings count together; the HTML ones are added after the
 * Markdown pass, which changes which one is "intro-1" but not the set of
 * anchors, and the set is all a link check needs.
 */
static int add_heading_anchor(md_doc *d, const char *s, size_t len)
{
	wm_buf unique = WM_BUF_INIT;
	int n = 0, error;

	if ((error = wm_buf_put(&unique, s, len)) < 0)
		goto done;
	while (has_anchor(d, unique.ptr ? unique.ptr : "", unique.size)) {
		wm_buf_clear(&unique);
		if ((error = wm_buf_printf(&unique, "%.*s-%d", (int)len, s, ++n)) < 0)
			goto done;
	}
	error = add_anchor(d, unique.ptr ? unique.ptr : "", unique.size);
done:
	wm_buf_dispose(&unique);
	return error;
}

/* Code points GitHub's slugger drops although they are not ASCII: punctuation, symbols, emoji. */
static bool dropped_code_point(uint32_t cp)
{
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
		(cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp >= 0x1F000;
}

int docs__slug(wm_buf *out, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	int error = 0;

	while (i < len && !error) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				error = wm_buf_putc(out, (char)(c - 'A' + 'a'));
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
				error = wm_buf_putc(out, (char)c);
			else if (c == ' ')
				error = wm_buf_putc(out, '-');
			i++;
		} else {
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			uint32_t cp = n == 4 ? c & 7u : n == 3 ? c & 15u : n == 2 ? c & 31u : c;
			size_t k;

			if (i + n > len)
				n = len - i;
			for (k = 1; k < n; k++)
				cp = (cp << 6) | (s[i + k] & 63u);
			if (!dropped_code_point(cp))
				error = wm_buf_put(out, text + i, n);
			i += n;
		}
	}
	return error;
}

/*
 * A heading written in HTML (`<h3>Technology Sponsors</h3>`, common in
 * READMEs for layout) gets an anchor from its text on GitHub, as a
 * Markdown heading does. Tags inside the text are dropped. md4c hands
 * raw HTML over tag by tag when it sits inline, so the whole document is
 * searched once instead (a heading inside a code block only adds an
 * anchor nobody links to).
 */
static int html_heading_anchors(md_doc *d, const char *s, size_t n)
{
	wm_buf text = WM_BUF_INIT, slug = WM_BUF_INIT;
	size_t i, j;
	int error = 0;

	for (i = 0; i + 4 <= n && !error; i++) {
		char level;

		if (s[i] != '<' || (s[i + 1] != 'h' && s[i + 1] != 'H') || s[i + 2] < '1' || s[i + 2] > '6' ||
		    (s[i + 3] != '>' && s[i + 3] != ' '))
			continue;
		level = s[i + 2];
		for (j = i + 3; j < n && s[j] != '>'; j++)
			;
		wm_buf_clear(&text);
		for (j++; j + 4 <= n; j++) {
			if (s[j] == '<' && s[j + 1] == '/' && (s[j + 2] == 'h' || s[j + 2] == 'H') && s[j + 3] == level)
				break;
			if (s[j] == '<') {
				while (j < n && s[j] != '>')
					j++;
				continue;
			}
			if ((error = wm_buf_putc(&text, s[j])) < 0)
				break;
		}
		if (error || j + 4 > n)
			break;
		wm_buf_clear(&slug);
		if ((error = docs__slug(&slug, text.ptr ? text.ptr : "", text.size)) < 0)
			break;
		if (slug.size)
			error = add_heading_anchor(d, slug.ptr, slug.size);
		i = j;
	}
	wm_buf_dispose(&text);
	wm_buf_dispose(&slug);
	return error;
}

/* Raw HTML may name anchors: <a name="x">, <h2 id="x">. */
static int html_anchors(md_doc *d, const char *s, size_t n)
{
	static const char *const attrs[] = { "id=\"", "name=\"", NULL };
	size_t i, k;
	int error = 0;

	for (k = 0; attrs[k] && !error; k++) {
		size_t al = strlen(attrs[k]);

		for (i = 0; i + al < n && !error; i++) {
			if (memcmp(s + i, attrs[k], al) || (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t' && s[i - 1] != '\n'))
				continue;
			{
				const char *v = s + i + al, *e = memchr(v, '"', n - i - al);

				if (e)
					error = add_anchor(d, v, (size_t)(e - v));
			}
		}
	}
	return error;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *payload)
{
	md_doc *d = payload;

	(void)detail;
	if (type == MD_BLOCK_H) {
		d->in_heading = true;
		wm_buf_clear(&d->heading);
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *payload)
{
	md_doc *d = payload;
	wm_buf slug = WM_BUF_INIT;

	(void)detail;
	if (type != MD_BLOCK_H)
		return 0;
	d->in_heading = false;
	if ((d->error = docs__slug(&slug, d->heading.ptr ? d->heading.ptr : "", d->heading.size)) == 0)
		d->error = add_heading_anchor(d, slug.ptr ? slug.ptr : "", slug.size);
	wm_buf_dispose(&slug);
	return d->error;
}

static int add_link(md_doc *d, const MD_ATTRIBUTE *href, bool image)
{
	link *grown, *l;

	if (!(grown = wm_reallocarray(d->links, d->nlinks + 1, sizeof(*grown))))
		return WM_ENOMEM;
	d->links = grown;
	l = &d->links[d->nlinks];
	l->image = image;
	l->start = l->end = UINT32_MAX;
	if (!(l->href = wm_strndup(href->text ? href->text : "", href->size)))
		return WM_ENOMEM;
	/* Unescaped hrefs point into our buffer; rewritten ones into md4c's. */
	if (href->text >= d->data && href->text + href->size <= d->data + d->size) {
		l->start = (uint32_t)(href->text - d->data);
		l->end = l->start + href->size;
	}
	d->nlinks++;
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *payload)
{
	md_doc *d = payload;

	if (type == MD_SPAN_A)
		d->error = add_link(d, &((MD_SPAN_A_DETAIL *)detail)->href, false);
	else if (type == MD_SPAN_IMG)
		d->error = add_link(d, &((MD_SPAN_IMG_DETAIL *)detail)->src, true);
	return d->error;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *payload)
{
	(void)type;
	(void)detail;
	(void)payload;
	return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *t, MD_SIZE size, void *payload)
{
	md_doc *d = payload;

	if (type == MD_TEXT_HTML)
		d->error = html_anchors(d, t, size);
	else if (d->in_heading && (type == MD_TEXT_NORMAL || type == MD_TEXT_CODE))
		d->error = wm_buf_put(&d->heading, t, size);
	else if (d->in_heading && (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR))
		d->error = wm_buf_putc(&d->heading, ' ');
	return d->error;
}

static int parse(md_doc *d, const char *data, size_t size)
{
	MD_PARSER parser;

	memset(&parser, 0, sizeof(parser));
	memset(d, 0, sizeof(*d));
	d->data = data;
	d->size = size;
	parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
	parser.enter_block = enter_block;
	parser.leave_block = leave_block;
	parser.enter_span = enter_span;
	parser.leave_span = leave_span;
	parser.text = text;
	if (size > UINT32_MAX)
		return 0;
	if (md_parse(data, (MD_SIZE)size, &parser, d) != 0 && d->error == 0)
		return wm_error_set(WM_ERROR, "the Markdown parser failed");
	if (!d->error)
		d->error = html_heading_anchors(d, data, size);
	return d->error;
}

/* --- paths ----------------------------------------------------------------- */

static bool external(const char *href)
{
	const char *s = href;

	if (!strncmp(href, "//", 2) || strstr(href, "://"))
		return true;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
	       *s == '+' || *s == '.' || *s == '-')
		s++;
	return *s == ':';
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode s[0..n) onto out. */
static int decode(wm_buf *out, const char *s, size_t n)
{
	size_t i;
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			error = wm_buf_putc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			error = wm_buf_putc(out, s[i]);
		}
	}
	return error;
}

/*
 * The repository path a link names, from the linking file's directory.
 * @return 0 and the path in `out` (a trailing '/' kept), 1 when it climbs
 *         out of the repository, or WM_ENOMEM
 */
static int resolve(wm_buf *out, const char *from, const char *path, size_t n)
{
	wm_buf raw = WM_BUF_INIT;
	const char *slash = strrchr(from, '/'), *s, *e;
	bool dir;
	int error;

	wm_buf_clear(out);
	if (n && path[0] == '/')
		error = decode(&raw, path + 1, n - 1);
	else if ((error = wm_buf_put(&raw, from, slash ? (size_t)(slash - from) + 1 : 0)) == 0)
		error = decode(&raw, path, n);
	if (error < 0 || !raw.ptr)
		goto done;
	dir = raw.size && raw.ptr[raw.size - 1] == '/';
	for (s = raw.ptr; *s; s = *e ? e + 1 : e) {
		size_t len;

		e = strchr(s, '/');
		if (!e)
			e = s + strlen(s);
		len = (size_t)(e - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			char *up;

			if (out->size == 0) {
				error = 1;
				goto done;
			}
			out->ptr[--out->size] = '\0';
			up = strrchr(out->ptr, '/');
			out->size = up ? (size_t)(up - out->ptr) + 1 : 0;
			out->ptr[out->size] = '\0';
			continue;
		}
		if ((error = wm_buf_put(out, s, len)) < 0 || (error = wm_buf_putc(out, '/')) < 0)
			goto done;
	}
	/* Drop the '/' added after the last segment unless the link had one. */
	if (out->size && !dir)
		out->ptr[--out->size] = '\0';
done:
	wm_buf_dispose(&raw);
	return error;
}

/* Whether a path (a trailing '/' meaning a directory) exists in the world. */
static bool exists(const wm_world *world, const char *path)
{
	size_t n = strlen(path), lo = 0, hi = wm_world_count(world);
	wm_buf dir = WM_BUF_INIT;
	bool found = false;

	if (n == 0)
		return true; /* the repository root */
	if (path[n - 1] != '/' && wm_world_lookup(world, path))
		return true;
	if (wm_buf_put(&dir, path, n) < 0 || (path[n - 1] != '/' && wm_buf_putc(&dir, '/') < 0))
		goto done;
	/* Entries are in byte order: find the first at or after "dir/". */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(wm_world_entry(world, mid)->path, dir.ptr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	found = lo < wm_world_count(world) && !strncmp(wm_world_entry(world, lo)->path, dir.ptr, dir.size);
done:
	wm_buf_dispose(&dir);
	return found;
}

/* A relative reference from the directory of `from` to `to`, spaces escaped. */
static int relative(wm_buf *out, const char *from, const char *to)
{
	size_t common = 0, i;
	int error = 0;

	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (i = common; from[i] && !error; i++)
		if (from[i] == '/')
			error = wm_buf_puts(out, "../");
	for (i = common; to[i] && !error; i++)
		error = to[i] == ' ' ? wm_buf_puts(out, "%20") : wm_buf_putc(out, to[i]);
	return error;
}

/*
 * Where a renamed target went, for a path that no longer exists: the
 * target itself, or a file under a renamed directory.
 * @return the new path (owned by `out`), or false
 */
static bool renamed_to(wm_buf *out, wm_scan *scan, const char *gone)
{
	const wm_targets *targets = wm_scan_targets(scan);
	size_t n = strlen(gone), i;

	wm_buf_clear(out);
	for (i = 0; i < targets->count; i++) {
		const wm_target *t = &targets->items[i];

		if (t->change == WM_CHANGE_RENAMED && t->old_path && !strcmp(t->old_path, gone))
			return wm_buf_puts(out, t->path) == 0;
	}
	/* A directory moved as a whole: old "a/x/f.md" -> new "b/x/f.md" maps "a/x" to "b/x". */
	for (i = 0; i < targets->count; i++) {
		const wm_target *t = &targets->items[i];
		size_t dn = n && gone[n - 1] == '/' ? n - 1 : n, ol, nl;

		if (t->change != WM_CHANGE_RENAMED || !t->old_path || strncmp(t->old_path, gone, dn) ||
		    t->old_path[dn] != '/')
			continue;
		ol = strlen(t->old_path);
		nl = strlen(t->path);
		if (nl < ol - dn || strcmp(t->path + nl - (ol - dn), t->old_path + dn))
			continue;
		return wm_buf_put(out, t->path, nl - (ol - dn)) == 0 &&
			(dn == n || wm_buf_putc(out, '/') == 0);
	}
	return false;
}

static bool deleted(wm_scan *scan, const char *path)
{
	const wm_targets *targets = wm_scan_targets(scan);
	size_t i;

	for (i = 0; i < targets->count; i++)
		if (targets->items[i].change == WM_CHANGE_DELETED && !strcmp(targets->items[i].path, path))
			return true;
	return false;
}

/* --- checking ---------------------------------------------------------------- */

typedef struct checker {
	wm_scan *scan;
	const char *path;      /* the Markdown file */
	const char *data;      /* its content */
	size_t size;
	bool current;          /* it is the file being scanned (wm_emit positions it) */
	bool only_gone;        /* report only links into renamed or deleted paths */
} checker;

static int emit(const checker *c, const link *l, const char *message, const char *new_path,
	size_t path_len)
{
	wm_finding f = WM_FINDING_INIT;
	wm_edit edit;
	wm_fix fix;
	wm_buf desc = WM_BUF_INIT, repl = WM_BUF_INIT;
	uint32_t start = l->start, end = l->end;
	int error = 0;

	if (start == UINT32_MAX) {
		/* md4c unescaped the href: find it in the source for a position. */
		start = end = 0;
	}
	f.rule = (char *)"broken-link";
	f.path = (char *)c->path;
	f.start_byte = start;
	f.end_byte = end;
	f.message = (char *)message;
	if (new_path && l->start != UINT32_MAX) {
		if ((error = relative(&repl, c->path, new_path)) < 0 ||
		    (error = wm_buf_printf(&desc, "point the link at %s, where the target was moved", new_path)) < 0)
			goto done;
		edit.path = (char *)c->path;
		edit.start_byte = l->start;
		edit.end_byte = l->start + (uint32_t)path_len;
		edit.replacement = repl.ptr ? repl.ptr : (char *)"";
		fix.description = desc.ptr;
		fix.edits = &edit;
		fix.nedits = 1;
		f.fix = &fix;
	}
	error = c->current ? wm_emit(c->scan, &f) : wm_emit_in(c->scan, &f, c->data, c->size);
done:
	wm_buf_dispose(&desc);
	wm_buf_dispose(&repl);
	return error;
}

/* Whether `frag` names an anchor of the Markdown file `target` (or of this one). */
static int anchor_ok(bool *ok, const checker *c, const md_doc *self, const char *target,
	const char *frag, size_t n)
{
	wm_blob blob = WM_BLOB_INIT;
	wm_buf want = WM_BUF_INIT;
	md_doc other;
	size_t i;
	int error = 0;

	*ok = true;
	if ((error = decode(&want, frag, n)) < 0 || !want.ptr)
		goto done;
	for (i = 0; i < want.size; i++)
		if (want.ptr[i] >= 'A' && want.ptr[i] <= 'Z')
			want.ptr[i] = (char)(want.ptr[i] - 'A' + 'a');
	if (!strcmp(want.ptr, "top"))
		goto done;
	if (!target) {
		*ok = has_anchor(self, want.ptr, want.size);
		goto done;
	}
	if (wm_world_read(&blob, wm_scan_world(c->scan), target) < 0) {
		wm_error_clear();
		goto done;
	}
	if ((error = parse(&other, blob.data, blob.size)) == 0)
		*ok = has_anchor(&other, want.ptr, want.size);
	doc_dispose(&other);
done:
	wm_blob_release(&blob);
	wm_buf_dispose(&want);
	return error;
}

/*
 * Static site generators (Jekyll, Hugo, Eleventy, MkDocs, Docusaurus)
 * publish `page.md` as `page/` or `page.html`, and docs written for them
 * link to `../extend/custom-rules` with no extension: that names
 * custom-rules.md, or a directory's index.md or README.md. When the path as
 * written does not exist, `target` becomes the Markdown file it stands
 * for, if there is one (`migrating-to-1.0.0` is a page name, not an
 * extension, so dots do not rule a page out).
 */
static int site_page(bool *found, wm_buf *target, const wm_world *world)
{
	static const char *const forms[] = { ".md", "/index.md", "/README.md", ".markdown", NULL };
	wm_buf cand = WM_BUF_INIT;
	const char *t = target->ptr ? target->ptr : "";
	size_t n = strlen(t), k;
	int error = 0;

	*found = false;
	while (n > 0 && t[n - 1] == '/')
		n--;
	if (!n)
		return 0;
	for (k = 0; forms[k] && !*found; k++) {
		wm_buf_clear(&cand);
		if ((error = wm_buf_put(&cand, t, n)) < 0 || (error = wm_buf_puts(&cand, forms[k])) < 0)
			break;
		*found = wm_world_lookup(world, cand.ptr) != NULL;
	}
	if (!error && *found) {
		wm_buf_clear(target);
		error = wm_buf_puts(target, cand.ptr);
	}
	wm_buf_dispose(&cand);
	return error;
}

static int check_link(const checker *c, const md_doc *doc, const link *l)
{
	const wm_world *world = wm_scan_world(c->scan);
	wm_buf target = WM_BUF_INIT, msg = WM_BUF_INIT, moved = WM_BUF_INIT;
	const char *href = l->href, *hash, *query;
	size_t path_len;
	bool ok;
	int error = 0;

	if (!*href || external(href))
		goto done;
	hash = strchr(href, '#');
	query = strchr(href, '?');
	path_len = query && (!hash || query < hash) ? (size_t)(query - href) : hash ? (size_t)(hash - href) : strlen(href);

	if (path_len == 0) {
		/* "#anchor" in this file. */
		if (c->only_gone || !hash)
			goto done;
		if ((error = anchor_ok(&ok, c, doc, NULL, hash + 1, strlen(hash + 1))) < 0 || ok)
			goto done;
		if ((error = wm_buf_printf(&msg, "link to #%s: no heading in this file makes that anchor", hash + 1)) < 0)
			goto done;
		error = emit(c, l, msg.ptr, NULL, 0);
		goto done;
	}
	if ((error = resolve(&target, c->path, href, path_len)) != 0) {
		error = error > 0 ? 0 : error; /* above the repository: not ours to judge */
		goto done;
	}
	if (!exists(world, target.ptr ? target.ptr : "") && (error = site_page(&ok, &target, world)) < 0)
		goto done;
	if (exists(world, target.ptr ? target.ptr : "")) {
		if (c->only_gone || !hash || !hash[1] || !docs__is_markdown(target.ptr ? target.ptr : ""))
			goto done;
		if ((error = anchor_ok(&ok, c, doc, target.ptr, hash + 1, strlen(hash + 1))) < 0 || ok)
			goto done;
		if ((error = wm_buf_printf(&msg, "link to %s#%s: no heading in %s makes that anchor",
				target.ptr, hash + 1, target.ptr)) < 0)
			goto done;
		error = emit(c, l, msg.ptr, NULL, 0);
		goto done;
	}
	if (renamed_to(&moved, c->scan, target.ptr)) {
		error = wm_buf_printf(&msg, "%s %s was moved to %s", l->image ? "image" : "linked file",
			target.ptr, moved.ptr);
	} else {
		if (c->only_gone && !deleted(c->scan, target.ptr))
			goto done;
		error = wm_buf_printf(&msg, "%s %s does not exist", l->image ? "image" : "link target", target.ptr);
	}
	if (error < 0)
		goto done;
	error = emit(c, l, msg.ptr, moved.size ? moved.ptr : NULL, path_len);
done:
	wm_buf_dispose(&target);
	wm_buf_dispose(&msg);
	wm_buf_dispose(&moved);
	return error;
}

static int check_file(const checker *c)
{
	md_doc doc;
	size_t i;
	int error;

	if ((error = parse(&doc, c->data, c->size)) < 0)
		goto done;
	for (i = 0; i < doc.nlinks && !error; i++)
		error = check_link(c, &doc, &doc.links[i]);
done:
	doc_dispose(&doc);
	return error;
}

int docs__markdown_scan_file(wm_scan *scan, const wm_file *file)
{
	checker c = { scan, file->path, file->data, file->size, true, false };

	return check_file(&c);
}

static bool contains(const char *data, size_t size, const char *needle)
{
	size_t n = strlen(needle);
	const char *s = data, *end = data + size, *f;

	for (; n && s + n <= end; s = f + 1) {
		if (!(f = memchr(s, needle[0], (size_t)(end - s))) || f + n > end)
			return false;
		if (!memcmp(f, needle, n))
			return true;
	}
	return false;
}

static bool is_target(const wm_targets *targets, const char *path)
{
	size_t lo = 0, hi = targets->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(targets->items[mid].path, path);

		if (cmp == 0)
			return true;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The last path segment of the old name: what a link to it must contain. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int docs__markdown_scan_repo(wm_scan *scan)
{
	const wm_targets *targets = wm_scan_targets(scan);
	const wm_world *world = wm_scan_world(scan);
	const wm_config *cfg = wm_scan_config(scan);
	const char **gone = NULL;
	size_t ngone = 0, i, j;
	int error = 0;

	if (!targets || !world)
		return 0;
	for (i = 0; i < targets->count; i++) {
		const wm_target *t = &targets->items[i];
		const char *old = t->change == WM_CHANGE_RENAMED ? t->old_path :
			t->change == WM_CHANGE_DELETED ? t->path : NULL;
		const char **grown;

		if (!old)
			continue;
		if (!(grown = wm_reallocarray(gone, ngone + 1, sizeof(*grown)))) {
			error = WM_ENOMEM;
			goto done;
		}
		gone = grown;
		gone[ngone++] = old;
	}
	if (!ngone)
		goto done;
	for (i = 0; i < wm_world_count(world) && !error; i++) {
		const wm_entry *e = wm_world_entry(world, i);
		wm_blob blob = WM_BLOB_INIT;
		bool mentions = false;

		if (!docs__is_markdown(e->path) || (e->mode != WM_MODE_FILE && e->mode != WM_MODE_EXEC) ||
		    is_target(targets, e->path) || wm_config_path_excluded(cfg, e->path))
			continue;
		if (wm_world_read(&blob, world, e->path) < 0) {
			wm_error_clear();
			continue;
		}
		for (j = 0; j < ngone && !mentions; j++)
			mentions = contains(blob.data, blob.size, base_name(gone[j]));
		if (mentions) {
			checker c = { scan, e->path, blob.data, blob.size, false, true };

			error = check_file(&c);
		}
		wm_blob_release(&blob);
	}
done:
	wm_free(gone);
	return error;
}
