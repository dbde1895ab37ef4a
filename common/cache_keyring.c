/*
 * cache_keyring.c - the Secret Service backend of the token cache (libsecret).
 *
 * Schema ca.optt.Token, attributes `profile` and `subject`, label
 * "OPTT token: PROFILE (SUBJECT)" (SPEC §4).  The record JSON is the secret.
 *
 * Invariants:
 *  - never autolaunch a bus: used only when DBUS_SESSION_BUS_ADDRESS is
 *    set, and the bus connection is made to that address;
 *  - never block on a prompt: the Secret Service must answer a Ping within
 *    2 s, its default collection must exist and be unlocked, searches are
 *    made without SECRET_SEARCH_UNLOCK, and every D-Bus call has a 5 s
 *    default timeout;
 *  - the record text is wiped after use.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libsecret/secret.h>

#include "common/cache_backend.h"
#include "common/cache_record.h"
#include "common/mem.h"

#define KEYRING_PING_MS 2000
#define KEYRING_CALL_MS 5000

static const SecretSchema token_schema = {
	"ca.optt.Token",
	SECRET_SCHEMA_NONE,
	{
		{ "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ "subject", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ NULL, 0 },
	},
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static GHashTable *
attrs_new(const char *profile, const char *subject)
{
	GHashTable *a = g_hash_table_new(g_str_hash, g_str_equal);

	g_hash_table_insert(a, (gpointer) "profile", (gpointer)profile);
	if (subject != NULL)
		g_hash_table_insert(a, (gpointer) "subject", (gpointer)subject);
	return a;
}

enum optt_status
optt_keyring_error(struct optt_err *err, GError **ge, const char *what)
{
	char clean[160];

	optt_sanitize(clean, sizeof(clean), *ge != NULL ? (*ge)->message : "failed");
	g_clear_error(ge);
	return optt_err_set(err, OPTT_UNAVAILABLE, "keyring %s: %s", what, clean);
}

static enum optt_status
kr_load(struct optt_cache *c, const char *profile, const char *subject,
	struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	SecretService *svc = c->priv;
	GHashTable *attrs = attrs_new(profile, subject);
	GError *ge = NULL;
	GList *items, *i;
	enum optt_status st = OPTT_OK;
	struct optt_err e;

	*ret_found = 0;
	optt_err_init(&e);
	items = secret_service_search_sync(svc, &token_schema, attrs, SECRET_SEARCH_LOAD_SECRETS,
					   NULL, &ge);
	g_hash_table_unref(attrs);
	if (ge != NULL)
		return optt_keyring_error(err, &ge, "search");
	for (i = items; i != NULL && !*ret_found; i = i->next) {
		SecretValue *v = secret_item_get_secret(i->data);
		gsize len = 0;
		const gchar *text;

		if (v == NULL)
			continue; /* locked: never prompt, treat as a miss */
		text = secret_value_get(v, &len);
		if (text != NULL && optt_record_decode(text, len, ret, &e) == OPTT_OK)
			*ret_found = 1;
		else
			optt_debug(c->log, "keyring record ignored: %s", e.msg);
		secret_value_unref(v);
	}
	g_list_free_full(items, g_object_unref);
	return st;
}

static enum optt_status
kr_store(struct optt_cache *c, const char *profile, const char *subject,
	 const struct optt_token *t, struct optt_err *err)
{
	SecretService *svc = c->priv;
	GHashTable *attrs;
	GError *ge = NULL;
	SecretValue *v;
	struct optt_buf data;
	gchar *label;
	enum optt_status st = OPTT_OK;

	optt_buf_init(&data, OPTT_RECORD_MAX);
	if (optt_record_encode(t, &data) != 0) {
		optt_buf_clear(&data);
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	v = secret_value_new(data.data, (gssize)data.len, "application/json");
	optt_buf_clear(&data);
	attrs = attrs_new(profile, subject);
	label = g_strdup_printf("OPTT token: %s (%s)", profile, subject);
	if (!secret_service_store_sync(svc, &token_schema, attrs, SECRET_COLLECTION_DEFAULT, label,
				       v, NULL, &ge))
		st = optt_keyring_error(err, &ge, "store");
	g_free(label);
	g_hash_table_unref(attrs);
	secret_value_unref(v);
	return st;
}

static enum optt_status
kr_remove(struct optt_cache *c, const char *profile, const char *subject, struct optt_err *err)
{
	GHashTable *attrs = attrs_new(profile, subject);
	GError *ge = NULL;

	secret_service_clear_sync(c->priv, &token_schema, attrs, NULL, &ge);
	g_hash_table_unref(attrs);
	return ge != NULL ? optt_keyring_error(err, &ge, "remove") : OPTT_OK;
}

static enum optt_status
kr_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
	struct optt_err *err)
{
	GHashTable *attrs = attrs_new(profile, NULL), *ia;
	GError *ge = NULL;
	GList *items, *i;
	char **list = NULL, **nl;
	const char *s;
	enum optt_status st = OPTT_OK;
	size_t n = 0;

	items = secret_service_search_sync(c->priv, &token_schema, attrs, SECRET_SEARCH_ALL, NULL, &ge);
	g_hash_table_unref(attrs);
	if (ge != NULL)
		return optt_keyring_error(err, &ge, "search");
	for (i = items; i != NULL && st == OPTT_OK; i = i->next) {
		ia = secret_item_get_attributes(i->data);
		s = ia != NULL ? g_hash_table_lookup(ia, "subject") : NULL;
		if (s != NULL) {
			if ((nl = realloc(list, (n + 1) * sizeof(*list))) != NULL)
				list = nl;
			if (nl == NULL || (list[n] = strdup(s)) == NULL)
				st = optt_err_set(err, OPTT_NOMEM, "out of memory");
			else
				n++;
		}
		if (ia != NULL)
			g_hash_table_unref(ia);
	}
	g_list_free_full(items, g_object_unref);
	if (st != OPTT_OK) {
		optt_cache_list_free(list, n);
		return st;
	}
	*ret = list;
	*ret_n = n;
	return OPTT_OK;
}

static void
kr_close(struct optt_cache *c)
{
	if (c->priv != NULL)
		g_object_unref(c->priv);
	c->priv = NULL;
}

const struct optt_cache_ops optt_cache_keyring_ops = {
	"keyring", kr_load, kr_store, kr_remove, kr_list, kr_close,
};

enum optt_status
optt_cache_keyring_open(struct optt_cache *c, struct optt_err *err)
{
	const char *addr = secure_getenv("DBUS_SESSION_BUS_ADDRESS");
	GDBusConnection *bus = NULL;
	SecretService *svc = NULL;
	SecretCollection *coll = NULL;
	GVariant *r;
	GError *ge = NULL;
	enum optt_status st = OPTT_OK;

	if (addr == NULL || addr[0] == '\0')
		return optt_err_set(err, OPTT_UNAVAILABLE, "no session bus (DBUS_SESSION_BUS_ADDRESS unset)");
	/* g_bus_get_sync autolaunches only when the address is unset: it is set */
	if ((bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &ge)) == NULL) {
		st = optt_keyring_error(err, &ge, "bus");
		goto out;
	}
	r = g_dbus_connection_call_sync(bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
					"org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
					G_DBUS_CALL_FLAGS_NONE, KEYRING_PING_MS, NULL, &ge);
	if (r == NULL) {
		st = optt_keyring_error(err, &ge, "service");
		goto out;
	}
	g_variant_unref(r);
	if ((svc = secret_service_get_sync(SECRET_SERVICE_NONE, NULL, &ge)) == NULL) {
		st = optt_keyring_error(err, &ge, "service");
		goto out;
	}
	g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(svc), KEYRING_CALL_MS);
	coll = secret_collection_for_alias_sync(svc, SECRET_COLLECTION_DEFAULT,
						SECRET_COLLECTION_NONE, NULL, &ge);
	if (coll == NULL) {
		st = ge != NULL ? optt_keyring_error(err, &ge, "collection")
				: optt_err_set(err, OPTT_UNAVAILABLE, "keyring has no default collection");
		goto out;
	}
	if (secret_collection_get_locked(coll)) {
		st = optt_err_set(err, OPTT_UNAVAILABLE, "the default keyring collection is locked");
		goto out;
	}
	c->priv = svc;
	svc = NULL;
	c->ops = &optt_cache_keyring_ops;
out:
	if (coll != NULL)
		g_object_unref(coll);
	if (svc != NULL)
		g_object_unref(svc);
	if (bus != NULL)
		g_object_unref(bus);
	return st;
}
