// SPDX-License-Identifier: GPL-2.0-or-later
/* berth check -o json */
#include <jansson.h>
#include <stdio.h>

#include "cli/check.h"
#include "cli/commands.h"

static const char *const verdict_names[] = {"ready", "degraded", "cannot run"};

int check_print_json(const struct check_report *r, enum check_verdict v)
{
	json_t *items = json_array();
	json_t *o;

	for (int i = 0; i < CHECK__N; i++) {
		const struct check_item *it = &r->items[i];
		/* a detail quotes files of the board: it may not be UTF-8 */
		json_t *detail = json_string(it->detail);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id",
						       it->id, "title", it->title, "need",
						       check_need_name(it->need), "status",
						       check_status_name(it->status), "detail",
						       detail ? detail : json_string("(not UTF-8)"),
						       "cost", it->cost, "fix", it->fix));
	}
	json_t *model = json_string(r->model);
	o = json_pack("{s:s, s:s, s:o, s:b, s:s, s:b, s:s, s:i, s:o}", "kernel", r->release,
		      "config_source", r->config_source, "model",
		      model ? model : json_string("(not UTF-8)"), "raspberry_pi", r->raspberry_pi,
		      "cmdline_txt", r->cmdline_txt, "probed", r->probed, "verdict",
		      verdict_names[v], "exit", (int)v, "items", items);
	if (!o || json_dumpf(o, stdout, JSON_INDENT(2)) < 0) {
		json_decref(o);
		return EXIT_BERTH;
	}
	putchar('\n');
	json_decref(o);
	return (int)v;
}
