/*
 * check_action.c - the GitHub Action is valid YAML of the right shape, and
 * the workflow shown in the README uses it the way it is declared.
 *
 * GitHub rejects an action only when someone runs it, so the shape is
 * checked here: a composite action whose steps each either `uses` another
 * action or `run`s a command with a `shell`, whose `${{ inputs.x }}`
 * references name declared inputs, and a README workflow whose `with:`
 * keys are inputs the action declares.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "testutil.h"

static char *slurp(const char *rel, size_t *size)
{
	char path[4096];
	FILE *f;
	long n;
	char *data;

	snprintf(path, sizeof(path), "%s/%s", WM_SOURCE_DIR, rel);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return data;
}

static void load(yaml_document_t *doc, const char *text, size_t size, const char *what)
{
	yaml_parser_t parser;

	ck_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, size);
	ck_assert_msg(yaml_parser_load(&parser, doc), "%s: YAML error: %s at line %zu", what,
		parser.problem ? parser.problem : "?", parser.problem_mark.line + 1);
	ck_assert_msg(yaml_document_get_root_node(doc) != NULL, "%s: empty document", what);
	yaml_parser_delete(&parser);
}

static yaml_node_t *get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(doc, pair->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return yaml_document_get_node(doc, pair->value);
	}
	return NULL;
}

static const char *scalar(yaml_node_t *node)
{
	return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

/* Every `inputs.NAME` in text must be a key of the inputs mapping. */
static void check_input_refs(yaml_document_t *doc, yaml_node_t *inputs, const char *text)
{
	const char *p = text;

	while ((p = strstr(p, "inputs."))) {
		char name[64];
		size_t n = 0;

		p += 7;
		while (n < sizeof(name) - 1 && (p[n] == '-' || p[n] == '_' ||
		       (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')))
			name[n] = p[n], n++;
		name[n] = '\0';
		ck_assert_msg(get(doc, inputs, name) != NULL, "action.yml uses undeclared input \"%s\"", name);
	}
}

START_TEST(action_is_a_valid_composite_action)
{
	yaml_document_t doc;
	yaml_node_t *root, *runs, *steps, *inputs;
	yaml_node_item_t *item;
	size_t size;
	char *text = slurp("action.yml", &size);

	load(&doc, text, size, "action.yml");
	root = yaml_document_get_root_node(&doc);
	ck_assert_ptr_nonnull(scalar(get(&doc, root, "name")));
	ck_assert_ptr_nonnull(scalar(get(&doc, root, "description")));
	inputs = get(&doc, root, "inputs");
	ck_assert_ptr_nonnull(inputs);
	runs = get(&doc, root, "runs");
	ck_assert_str_eq(scalar(get(&doc, runs, "using")), "composite");
	steps = get(&doc, runs, "steps");
	ck_assert(steps && steps->type == YAML_SEQUENCE_NODE);
	ck_assert_int_ge(steps->data.sequence.items.top - steps->data.sequence.items.start, 2);
	for (item = steps->data.sequence.items.start; item < steps->data.sequence.items.top; item++) {
		yaml_node_t *step = yaml_document_get_node(&doc, *item);

		if (get(&doc, step, "uses"))
			continue;
		ck_assert_msg(scalar(get(&doc, step, "run")) != NULL, "a step neither uses nor runs");
		ck_assert_msg(scalar(get(&doc, step, "shell")) != NULL, "a composite run step needs a shell");
	}
	check_input_refs(&doc, inputs, text);
	yaml_document_delete(&doc);
	free(text);
}
END_TEST

START_TEST(ci_action_is_the_same_file)
{
	size_t a, b;
	char *root = slurp("action.yml", &a), *ci = slurp("ci/action.yml", &b);

	ck_assert_uint_eq(a, b);
	ck_assert_int_eq(memcmp(root, ci, a), 0);
	free(root);
	free(ci);
}
END_TEST

START_TEST(readme_workflow_uses_declared_inputs)
{
	yaml_document_t action, workflow;
	yaml_node_t *inputs, *jobs, *with = NULL;
	yaml_node_pair_t *job, *pair;
	size_t size, asize;
	char *readme = slurp("README.md", &size), *atext = slurp("action.yml", &asize);
	char *start, *end;
	bool found = false;

	start = strstr(readme, "<!-- wm-workflow");
	ck_assert_msg(start != NULL, "README has no wm-workflow block");
	start = strstr(start, "```yaml\n");
	ck_assert_ptr_nonnull(start);
	start += 8;
	end = strstr(start, "```");
	ck_assert_ptr_nonnull(end);
	load(&workflow, start, (size_t)(end - start), "README workflow");
	load(&action, atext, asize, "action.yml");
	inputs = get(&action, yaml_document_get_root_node(&action), "inputs");
	jobs = get(&workflow, yaml_document_get_root_node(&workflow), "jobs");
	ck_assert(jobs && jobs->type == YAML_MAPPING_NODE);
	for (job = jobs->data.mapping.pairs.start; job < jobs->data.mapping.pairs.top; job++) {
		yaml_node_t *steps = get(&workflow, yaml_document_get_node(&workflow, job->value), "steps");
		yaml_node_item_t *item;

		ck_assert(steps && steps->type == YAML_SEQUENCE_NODE);
		for (item = steps->data.sequence.items.start; item < steps->data.sequence.items.top; item++) {
			yaml_node_t *step = yaml_document_get_node(&workflow, *item);
			const char *uses = scalar(get(&workflow, step, "uses"));

			if (uses && strstr(uses, "/wm@")) {
				found = true;
				with = get(&workflow, step, "with");
			}
		}
	}
	ck_assert_msg(found, "the README workflow does not use the wm action");
	ck_assert(with && with->type == YAML_MAPPING_NODE);
	for (pair = with->data.mapping.pairs.start; pair < with->data.mapping.pairs.top; pair++) {
		const char *key = scalar(yaml_document_get_node(&workflow, pair->key));

		ck_assert_msg(get(&action, inputs, key) != NULL, "README passes undeclared input \"%s\"", key);
	}
	yaml_document_delete(&workflow);
	yaml_document_delete(&action);
	free(readme);
	free(atext);
}
END_TEST

static Suite *action_suite(void)
{
	Suite *s = suite_create("action");
	TCase *tc = tcase_create("action");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, action_is_a_valid_composite_action);
	tcase_add_test(tc, ci_action_is_the_same_file);
	tcase_add_test(tc, readme_workflow_uses_declared_inputs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(action_suite());
}
