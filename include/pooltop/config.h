/*
 * config: the dashboard's settings file,
 * ${XDG_CONFIG_HOME:-~/.config}/pooltop/config.  INI read by inih (the
 * same library as scenarios), numbers, times and choices by the rules of
 * pooltop/parse.h, endpoints by pooltop/endpoint.h, so a value means the
 * same in the file as on the command line.  Command-line flags override
 * the file.  No curses here: the tests read files without a terminal.
 *
 *   [server]     server = HOST | events = EP, requests = EP; keys = PATH
 *   [display]    theme = NAME|FILE, refresh = MS, sort = COLUMN (Floor),
 *                agents_sort = COLUMN
 *   [alerts]     bell = yes|no, sl_below = PERCENT, oldest = TIME
 *   [tenant ID]  sl_below = PERCENT, oldest = TIME   (one tenant's alerts)
 *   [wallboard]  tenants = ID, ID, ...; rotate = TIME
 */
#ifndef POOLTOP_CONFIG_H
#define POOLTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/endpoint.h"
#include "pooltop/proto.h"

#define CONFIG_PATH_MAX 512
#define CONFIG_TENANTS_MAX 64     /* wallboard tenants, per-tenant alert sections */
#define CONFIG_ERR_MAX 640
#define CONFIG_NAME_MAX 24        /* a column name */

/* Alert thresholds; a value below 0 means "from the tenant": sl_below is
 * then its SL target and oldest its SL seconds. */
struct config_alert {
	char tenant[PROTO_ID_MAX + 1];   /* "" in the [alerts] defaults */
	double sl_below;                 /* percent */
	double oldest_s;                 /* seconds */
};

/* Bits of config.set: what the file (or a flag) gave, for --print-config. */
enum config_key {
	CFG_SERVER = 1u << 0, CFG_EVENTS = 1u << 1, CFG_REQUESTS = 1u << 2, CFG_KEYS = 1u << 3,
	CFG_THEME = 1u << 4, CFG_REFRESH = 1u << 5, CFG_SORT = 1u << 6, CFG_AGENTS_SORT = 1u << 7,
	CFG_BELL = 1u << 9, CFG_WALL_TENANTS = 1u << 10, CFG_ROTATE = 1u << 11,
};

struct config {
	char path[CONFIG_PATH_MAX];      /* the file read; "" when there was none */
	unsigned set;                    /* CFG_* given */
	char server[ENDPOINT_HOST_MAX + 1];
	struct endpoints eps;            /* resolved: defaults, server, events, requests */
	char keys[CONFIG_PATH_MAX];      /* reserved: see config_keys_note */
	char theme[CONFIG_PATH_MAX];
	int refresh_ms;
	char sort[CONFIG_NAME_MAX];      /* Floor view column; a leading '-' reverses */
	char agents_sort[CONFIG_NAME_MAX];
	bool bell;
	struct config_alert alert;       /* defaults for every tenant */
	struct config_alert tenant_alert[CONFIG_TENANTS_MAX];
	uint32_t n_tenant_alerts;
	char wall_tenants[CONFIG_TENANTS_MAX][PROTO_ID_MAX + 1];
	uint32_t n_wall_tenants;
	int rotate_s;
};

/* Every setting at its built-in default (no file). */
void config_defaults(struct config *c);

/* The file's path from the environment (XDG_CONFIG_HOME, else
 * HOME/.config): "DIR/pooltop/" + leaf ("config", "themes").  0, or -1
 * when neither is set. */
int config_dir_path(const char *leaf, char *out, size_t len);

/* Read INI text over c (defaults first, then what `text` says); `file`
 * names it in messages.  0, or -1 with err "FILE:LINE: what is wrong". */
int config_parse(struct config *c, const char *text, const char *file, char *err, size_t errlen);

/* Read the file at path.  0 read; 1 no such file (c untouched: a missing
 * file is no error); -1 unreadable or wrong, with err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

/* One setting as the file would give it: (section, key) = value.  0, or
 * -1 with why "KEY must be ..., got 'VALUE'" (a flag's message is "--"
 * and that). */
int config_set(struct config *c, const char *section, const char *key, const char *value,
               char *why, size_t len);

/* Wallboard tenants from "a,b,c" (the file's value or --tenant's). */
int config_set_wall_tenants(struct config *c, const char *list, char *err, size_t errlen);

/* The thresholds that apply to tenant `id` whose SL target is
 * target_pct and SL threshold sl_s seconds: its section, else the
 * defaults, with "from the tenant" filled in. */
struct config_alert config_alert_for(const struct config *c, const char *id, double target_pct, double sl_s);

/* The settings as an INI file that config_parse reads back to the same
 * settings; a comment says where each came from. */
void config_print(const struct config *c, void (*out)(void *, const char *), void *ctx);

#endif
