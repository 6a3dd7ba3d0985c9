#include "docs.h"
int docs__js_items(docs_items *out, const char *data, size_t size, TSNode root, const docs_opts *opts) { (void)out;(void)data;(void)size;(void)root;(void)opts; return 0; }
int docs__go_items(docs_items *out, const char *data, size_t size, TSNode root, const docs_opts *opts) { (void)out;(void)data;(void)size;(void)root;(void)opts; return 0; }
int docs__rust_items(docs_items *out, const char *data, size_t size, TSNode root, const char *path, const wm_world *world) { (void)out;(void)data;(void)size;(void)root;(void)path;(void)world; return 0; }
int docs__c_items(docs_items *out, const char *data, size_t size, TSNode root) { (void)out;(void)data;(void)size;(void)root; return 0; }
int docs__comment_stub(wm_buf *out, const docs_item *item, wm_lang lang) { (void)out;(void)item;(void)lang; return 0; }
