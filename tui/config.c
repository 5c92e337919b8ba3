/*
 * config: the settings file.  inih does the INI grammar from a reader
 * that refuses a line longer than inih's buffer (inih would cut it in two
 * silently, as the scenario reader says too); the handler keeps the first
 * wrong line's message and inih returns that line's number.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "pooltop/config.h"
#include "pooltop/listing.h"
#include "pooltop/parse.h"

#define CONFIG_FILE_MAX (256 * 1024)   /* a settings file is small; more is a mistake */

struct config_ctx {
	struct config *c;
	const char *pos;
	char why[CONFIG_ERR_MAX / 2];
	int long_line;        /* the line number of a line too long, 0 none */
	int lineno;
};

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	endpoint_defaults(&c->eps);
	c->refresh_ms = 100;
	snprintf(c->sort, sizeof c->sort, "sl");
	snprintf(c->agents_sort, sizeof c->agents_sort, "id");
	c->bell = true;
	c->alert.sl_below = -1;
	c->alert.oldest_s = -1;
	c->rotate_s = 8;
}

int
config_dir_path(const char *leaf, char *out, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	/* XDG: a relative XDG_CONFIG_HOME is invalid and is ignored. */
	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, len, "%s/pooltop/%s", xdg, leaf);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(out, len, "%s/.config/pooltop/%s", home, leaf);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* ------------------------------------------------------------ values */

static bool
config_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "on", "true", "1", NULL };
	static const char *const no[] = { "no", "off", "false", "0", NULL };

	for (int i = 0; yes[i]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, true;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, true;
	return false;
}

/* A column name of the Floor (agents false) or Agents view, '-' first
 * for the reverse order. */
static bool
config_column(const char *v, bool agents)
{
	const char *name = v[0] == '-' ? v + 1 : v;
	int n = agents ? LA__COUNT : LT__COUNT;

	for (int i = 0; i < n; i++)
		if (strcasecmp(name, agents ? listing_agent_col_name(i) : listing_tenant_col_name(i)) == 0)
			return true;
	return false;
}

static void
config_columns(bool agents, char *out, size_t len)
{
	int n = agents ? LA__COUNT : LT__COUNT;
	size_t at = 0;

	out[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s", i ? ", " : "",
		                       agents ? listing_agent_col_name(i) : listing_tenant_col_name(i));
}

int
config_set_wall_tenants(struct config *c, const char *list, char *err, size_t errlen)
{
	const char *p = list;

	c->n_wall_tenants = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		while (n > 0 && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0 || n > PROTO_ID_MAX) {
			snprintf(err, errlen, "tenants must be ids of 1 to %d bytes separated by commas, got '%s'",
			         PROTO_ID_MAX, list);
			return -1;
		}
		if (c->n_wall_tenants == CONFIG_TENANTS_MAX) {
			snprintf(err, errlen, "at most %d tenants", CONFIG_TENANTS_MAX);
			return -1;
		}
		memcpy(c->wall_tenants[c->n_wall_tenants], p, n);
		c->wall_tenants[c->n_wall_tenants++][n] = '\0';
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (c->n_wall_tenants == 0) {
		snprintf(err, errlen, "tenants must name at least one tenant");
		return -1;
	}
	c->set |= CFG_WALL_TENANTS;
	return 0;
}

/* sl_below or oldest of an [alerts] or [tenant ID] section. */
static int
config_alert_key(struct config_alert *al, const char *key, const char *v, char *why, size_t len)
{
	static const struct parse_range pct = { 0, 100, false, false };
	static const struct parse_range secs = { 0, 86400, true, false };
	char w[PARSE_WHY_MAX];

	if (strcmp(key, "sl_below") == 0) {
		if (parse_percent(v, &pct, &al->sl_below, w, sizeof w) != PARSE_OK)
			return snprintf(why, len, "sl_below %s, got '%s'", w, v), -1;
		return 0;
	}
	if (strcmp(key, "oldest") == 0) {
		if (parse_duration(v, 1, &secs, &al->oldest_s, w, sizeof w) != PARSE_OK)
			return snprintf(why, len, "oldest %s, got '%s'", w, v), -1;
		return 0;
	}
	snprintf(why, len, "unknown key '%s' (sl_below, oldest)", key);
	return -1;
}

static int
config_server_key(struct config *c, const char *key, const char *v, char *why, size_t len)
{
	char err[ENDPOINT_MAX + 64];
	int rc;

	if (strcmp(key, "keys") == 0) {
		if (v[0] == '\0' || strlen(v) >= sizeof c->keys)
			return snprintf(why, len, "keys wants a path"), -1;
		snprintf(c->keys, sizeof c->keys, "%s", v);
		c->set |= CFG_KEYS;
		return 0;
	}
	/* where pooltopd is; the client's key is `keys` above (a path kept
	 * here, where endpoint_option would keep only a pointer) */
	rc = strcmp(key, "server") == 0 || strcmp(key, "events") == 0 || strcmp(key, "requests") == 0
	     ? endpoint_option(&c->eps, key, v, err, sizeof err) : 1;
	if (rc == 1)
		return snprintf(why, len, "unknown key '%s' (server, events, requests, keys)", key), -1;
	if (rc < 0)
		return snprintf(why, len, "%s", err + 2), -1;   /* "--server wants..." without the dashes */
	if (strcmp(key, "server") == 0) {
		snprintf(c->server, sizeof c->server, "%s", v);
		c->set = (c->set | CFG_SERVER) & ~(unsigned)(CFG_EVENTS | CFG_REQUESTS);
	} else {
		c->set |= strcmp(key, "events") == 0 ? CFG_EVENTS : CFG_REQUESTS;
	}
	return 0;
}

static int
config_display_key(struct config *c, const char *key, const char *v, char *why, size_t len)
{
	char w[PARSE_WHY_MAX], cols[160];
	uint64_t ms;

	if (strcmp(key, "theme") == 0) {
		if (v[0] == '\0' || strlen(v) >= sizeof c->theme)
			return snprintf(why, len, "theme must be a theme name or file, got '%s'", v), -1;
		snprintf(c->theme, sizeof c->theme, "%s", v);
		c->set |= CFG_THEME;
	} else if (strcmp(key, "refresh") == 0) {
		if (parse_whole(v, 10, 10000, &ms, w, sizeof w) != PARSE_OK)
			return snprintf(why, len, "refresh %s, got '%s'", w, v), -1;
		c->refresh_ms = (int)ms;
		c->set |= CFG_REFRESH;
	} else if (strcmp(key, "sort") == 0 || strcmp(key, "agents_sort") == 0) {
		bool agents = key[0] == 'a';
		if (strlen(v) >= CONFIG_NAME_MAX || !config_column(v, agents)) {
			config_columns(agents, cols, sizeof cols);
			return snprintf(why, len, "%s must be one of %s (a leading '-' reverses), got '%s'", key, cols,
			                v), -1;
		}
		snprintf(agents ? c->agents_sort : c->sort, CONFIG_NAME_MAX, "%s", v);
		c->set |= agents ? CFG_AGENTS_SORT : CFG_SORT;
	} else {
		return snprintf(why, len, "unknown key '%s' (theme, refresh, sort, agents_sort)",
		                key), -1;
	}
	return 0;
}

static struct config_alert *
config_tenant_alert(struct config *c, const char *id)
{
	struct config_alert *al;

	for (uint32_t i = 0; i < c->n_tenant_alerts; i++)
		if (strcmp(c->tenant_alert[i].tenant, id) == 0)
			return &c->tenant_alert[i];
	if (c->n_tenant_alerts == CONFIG_TENANTS_MAX)
		return NULL;
	al = &c->tenant_alert[c->n_tenant_alerts++];
	snprintf(al->tenant, sizeof al->tenant, "%s", id);
	al->sl_below = -1;
	al->oldest_s = -1;
	return al;
}

int
config_set(struct config *c, const char *section, const char *key, const char *v, char *why, size_t len)
{
	static const struct parse_range rotate = { 1, 3600, false, false };
	char w[PARSE_WHY_MAX];
	double secs;

	if (strcmp(section, "server") == 0)
		return config_server_key(c, key, v, why, len);
	if (strcmp(section, "display") == 0)
		return config_display_key(c, key, v, why, len);
	if (strcmp(section, "alerts") == 0) {
		if (strcmp(key, "bell") == 0) {
			if (!config_bool(v, &c->bell))
				return snprintf(why, len, "bell must be yes or no, got '%s'", v), -1;
			c->set |= CFG_BELL;
			return 0;
		}
		return config_alert_key(&c->alert, key, v, why, len);
	}
	if (strncmp(section, "tenant ", 7) == 0) {
		const char *id = section + 7;
		struct config_alert *al;
		while (*id == ' ')
			id++;
		if (*id == '\0' || strlen(id) > PROTO_ID_MAX || strchr(id, ' '))
			return snprintf(why, len, "[tenant ID] wants one id of 1 to %d bytes", PROTO_ID_MAX), -1;
		if ((al = config_tenant_alert(c, id)) == NULL)
			return snprintf(why, len, "at most %d [tenant] sections", CONFIG_TENANTS_MAX), -1;
		return config_alert_key(al, key, v, why, len);
	}
	if (strcmp(section, "wallboard") == 0) {
		if (strcmp(key, "tenants") == 0)
			return config_set_wall_tenants(c, v, why, len);
		if (strcmp(key, "rotate") == 0) {
			if (parse_duration(v, 1, &rotate, &secs, w, sizeof w) != PARSE_OK)
				return snprintf(why, len, "rotate %s, got '%s'", w, v), -1;
			if (secs != floor(secs))
				return snprintf(why, len, "rotate must be whole seconds, got '%s'", v), -1;
			c->rotate_s = (int)secs;
			c->set |= CFG_ROTATE;
			return 0;
		}
		return snprintf(why, len, "unknown key '%s' (tenants, rotate)", key), -1;
	}
	if (section[0] == '\0')
		return snprintf(why, len, "'%s' is outside any section", key), -1;
	return snprintf(why, len, "unknown section [%s] (server, display, alerts, tenant ID, wallboard)",
	                section), -1;
}

/* ------------------------------------------------------------ inih */

static char *
config_reader(char *str, int num, void *stream)
{
	struct config_ctx *cx = stream;
	const char *nl;
	size_t len;

	if (*cx->pos == '\0' || cx->long_line)
		return NULL;
	nl = strchr(cx->pos, '\n');
	len = nl ? (size_t)(nl - cx->pos) + 1 : strlen(cx->pos);
	cx->lineno++;
	if (num < 3 || len > (size_t)num - 1) {
		cx->long_line = cx->lineno;
		return NULL;
	}
	memcpy(str, cx->pos, len);
	str[len] = '\0';
	cx->pos += len;
	return str;
}

static int
config_handler(void *user, const char *section, const char *name, const char *value)
{
	struct config_ctx *cx = user;

	if (cx->why[0] != '\0')
		return 1;   /* the first error is the one reported */
	return config_set(cx->c, section, name, value, cx->why, sizeof cx->why) == 0;
}

int
config_parse(struct config *c, const char *text, const char *file, char *err, size_t errlen)
{
	struct config_ctx cx = { .c = c, .pos = text };
	int rc;

	config_defaults(c);
	rc = ini_parse_stream(config_reader, &cx, config_handler, &cx);
	if (cx.long_line) {
		snprintf(err, errlen, "%s:%d: line is too long", file, cx.long_line);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	if (rc > 0) {
		snprintf(err, errlen, "%s:%d: %s", file, rc, cx.why[0] ? cx.why : "syntax error");
		return -1;
	}
	if ((c->set & CFG_SERVER) && (c->set & (CFG_EVENTS | CFG_REQUESTS))) {
		snprintf(err, errlen, "%s: server and events/requests are alternatives: give one or the other", file);
		return -1;
	}
	return 0;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;

	if (f == NULL && errno == ENOENT)
		return 1;
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(CONFIG_FILE_MAX + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(text, 1, CONFIG_FILE_MAX + 1, f);
	fclose(f);
	if (n > CONFIG_FILE_MAX) {
		free(text);
		snprintf(err, errlen, "%s: larger than %d bytes", path, CONFIG_FILE_MAX);
		return -1;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		free(text);
		snprintf(err, errlen, "%s: not a text file (NUL byte)", path);
		return -1;
	}
	struct config tmp;
	int rc = config_parse(&tmp, text, path, err, errlen);
	free(text);
	if (rc < 0)
		return -1;
	*c = tmp;
	snprintf(c->path, sizeof c->path, "%s", path);
	return 0;
}

struct config_alert
config_alert_for(const struct config *c, const char *id, double target_pct, double sl_s)
{
	struct config_alert al = c->alert;

	for (uint32_t i = 0; i < c->n_tenant_alerts; i++) {
		if (strcmp(c->tenant_alert[i].tenant, id) == 0) {
			if (c->tenant_alert[i].sl_below >= 0)
				al.sl_below = c->tenant_alert[i].sl_below;
			if (c->tenant_alert[i].oldest_s >= 0)
				al.oldest_s = c->tenant_alert[i].oldest_s;
		}
	}
	snprintf(al.tenant, sizeof al.tenant, "%s", id);
	if (al.sl_below < 0)
		al.sl_below = target_pct;
	if (al.oldest_s < 0)
		al.oldest_s = sl_s;
	return al;
}

/* ------------------------------------------------------------ print */

static void
config_line(void (*out)(void *, const char *), void *ctx, bool given, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
config_line(void (*out)(void *, const char *), void *ctx, bool given, const char *fmt, ...)
{
	char line[CONFIG_PATH_MAX + 64];
	va_list ap;
	int n;

	/* A default is printed commented out: reading the output back gives
	 * the same settings, and a reader sees what was chosen. */
	n = snprintf(line, sizeof line, "%s", given ? "" : "# ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	out(ctx, line);
}

static void
config_print_alert(void (*out)(void *, const char *), void *ctx, const struct config_alert *al)
{
	bool one = al->tenant[0] != '\0';
	char buf[64];

	snprintf(buf, sizeof buf, "%g%%", al->sl_below);
	config_line(out, ctx, al->sl_below >= 0, "sl_below = %s",
	            al->sl_below >= 0 ? buf : one ? "as [alerts]" : "the tenant's SL target");
	snprintf(buf, sizeof buf, "%gs", al->oldest_s);
	config_line(out, ctx, al->oldest_s >= 0, "oldest = %s",
	            al->oldest_s >= 0 ? buf : one ? "as [alerts]" : "the tenant's SL seconds");
}

void
config_print(const struct config *c, void (*out)(void *, const char *), void *ctx)
{
	char buf[CONFIG_TENANTS_MAX * (PROTO_ID_MAX + 2) + 1];
	size_t at = 0;

	out(ctx, c->path[0] ? "# pooltop settings: the file below, then the command line" : "# pooltop settings: built-in defaults, then the command line");
	if (c->path[0]) {
		snprintf(buf, sizeof buf, "# file: %.*s", (int)sizeof buf - 10, c->path);
		out(ctx, buf);
	}
	out(ctx, "# lines starting with '# ' show a default\n\n[server]");
	if (c->set & (CFG_EVENTS | CFG_REQUESTS)) {
		config_line(out, ctx, true, "events = %s", c->eps.events);
		config_line(out, ctx, true, "requests = %s", c->eps.requests);
	} else {
		config_line(out, ctx, c->set & CFG_SERVER, "server = %s", c->set & CFG_SERVER ? c->server : "127.0.0.1");
	}
	config_line(out, ctx, c->set & CFG_KEYS, "keys = %s", c->set & CFG_KEYS ? c->keys : "(none)");
	out(ctx, "\n[display]");
	config_line(out, ctx, c->set & CFG_THEME, "theme = %s", c->set & CFG_THEME ? c->theme : "default");
	config_line(out, ctx, c->set & CFG_REFRESH, "refresh = %d", c->refresh_ms);
	config_line(out, ctx, c->set & CFG_SORT, "sort = %s", c->sort);
	config_line(out, ctx, c->set & CFG_AGENTS_SORT, "agents_sort = %s", c->agents_sort);
	out(ctx, "\n[alerts]");
	config_line(out, ctx, c->set & CFG_BELL, "bell = %s", c->bell ? "yes" : "no");
	config_print_alert(out, ctx, &c->alert);
	for (uint32_t i = 0; i < c->n_tenant_alerts; i++) {
		snprintf(buf, sizeof buf, "\n[tenant %s]", c->tenant_alert[i].tenant);
		out(ctx, buf);
		config_print_alert(out, ctx, &c->tenant_alert[i]);
	}
	out(ctx, "\n[wallboard]");
	buf[0] = '\0';
	for (uint32_t i = 0; i < c->n_wall_tenants && at < sizeof buf; i++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", i ? ", " : "", c->wall_tenants[i]);
	config_line(out, ctx, c->set & CFG_WALL_TENANTS, "tenants = %s", c->n_wall_tenants ? buf : "(all)");
	config_line(out, ctx, c->set & CFG_ROTATE, "rotate = %ds", c->rotate_s);
}
