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
 *    2 s, its default collection must exist and be unlocked, locked items
 *    are never unlocked (misses), and every D-Bus call has a 5 s timeout;
 *  - few round trips (keyring.h): a get is a search, one secrets read and,
 *    when the subject must be picked, one property read per item;
 *  - the record text is wiped after use.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/cache_backend.h"
#include "common/cache_record.h"
#include "common/keyring.h"
#include "common/mem.h"

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

/* the unlocked items for (profile[, subject]) */
static enum optt_status
search(struct optt_cache *c, const char *profile, const char *subject, gchar ***ret,
       struct optt_err *err)
{
	GHashTable *attrs = optt_keyring_attrs("profile", profile, "subject", subject, NULL);
	enum optt_status st = optt_keyring_search(c->priv, &token_schema, attrs, ret, err);

	optt_ls.g_hash_table_unref(attrs);
	return st;
}

static enum optt_status
kr_load(struct optt_cache *c, const char *profile, const char *subject,
	struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	GHashTable *secrets = NULL;
	gchar **paths = NULL;
	enum optt_status st;
	struct optt_err e;
	size_t i;

	*ret_found = 0;
	optt_err_init(&e);
	if ((st = search(c, profile, subject, &paths, err)) != OPTT_OK || paths == NULL ||
	    paths[0] == NULL)
		goto out;
	if ((st = optt_keyring_secrets(c->priv, paths, &secrets, err)) != OPTT_OK)
		goto out;
	for (i = 0; paths[i] != NULL && !*ret_found; i++) {
		SecretValue *v = optt_ls.g_hash_table_lookup(secrets, paths[i]);
		gsize len = 0;
		const gchar *text = v != NULL ? optt_ls.secret_value_get(v, &len) : NULL;

		if (text != NULL && optt_record_decode(text, len, ret, &e) == OPTT_OK)
			*ret_found = 1;
		else
			optt_debug(c->log, "keyring record ignored: %s",
				   text != NULL ? e.msg : "no secret");
	}
out:
	if (secrets != NULL)
		optt_ls.g_hash_table_unref(secrets);
	optt_ls.g_strfreev(paths);
	return st;
}

static enum optt_status
kr_store(struct optt_cache *c, const char *profile, const char *subject,
	 const struct optt_token *t, struct optt_err *err)
{
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
	v = optt_ls.secret_value_new(data.data, (gssize)data.len, "application/json");
	optt_buf_clear(&data);
	attrs = optt_keyring_attrs("profile", profile, "subject", subject, NULL);
	label = optt_ls.g_strdup_printf("OPTT token: %s (%s)", profile, subject);
	/* one CreateItem (replace) on the default collection's alias */
	if (!optt_ls.secret_service_store_sync(c->priv, &token_schema, attrs,
					       SECRET_COLLECTION_DEFAULT, label, v, NULL, &ge))
		st = optt_keyring_error(err, &ge, "store");
	optt_ls.g_free(label);
	optt_ls.g_hash_table_unref(attrs);
	optt_ls.secret_value_unref(v);
	return st;
}

static enum optt_status
kr_remove(struct optt_cache *c, const char *profile, const char *subject, struct optt_err *err)
{
	GHashTable *attrs = optt_keyring_attrs("profile", profile, "subject", subject, NULL);
	GError *ge = NULL;

	optt_ls.secret_service_clear_sync(c->priv, &token_schema, attrs, NULL, &ge);
	optt_ls.g_hash_table_unref(attrs);
	return ge != NULL ? optt_keyring_error(err, &ge, "remove") : OPTT_OK;
}

static enum optt_status
kr_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
	struct optt_err *err)
{
	gchar **paths = NULL;
	GVariant *ia;
	char **list = NULL, **nl;
	const char *s;
	enum optt_status st;
	size_t i, n = 0;

	if ((st = search(c, profile, NULL, &paths, err)) != OPTT_OK)
		return st;
	for (i = 0; paths != NULL && paths[i] != NULL && st == OPTT_OK; i++) {
		/* one property read per item: its attributes hold the subject */
		if ((st = optt_keyring_property(c->priv, paths[i], "org.freedesktop.Secret.Item",
						"Attributes", &ia, err)) != OPTT_OK)
			break;
		if ((s = optt_keyring_attr(ia, "subject")) != NULL) {
			if ((nl = realloc(list, (n + 1) * sizeof(*list))) != NULL)
				list = nl;
			if (nl == NULL || (list[n] = strdup(s)) == NULL)
				st = optt_err_set(err, OPTT_NOMEM, "out of memory");
			else
				n++;
		}
		optt_ls.g_variant_unref(ia);
	}
	optt_ls.g_strfreev(paths);
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
		optt_ls.g_object_unref(c->priv);
	c->priv = NULL;
}

const struct optt_cache_ops optt_cache_keyring_ops = {
	"keyring", kr_load, kr_store, kr_remove, kr_list, kr_close,
};

/* the default collection exists and is unlocked (a store there must not
 * prompt): its Locked property read through the alias path, where
 * libsecret's store sends CreateItem too (one round trip) */
static enum optt_status
default_collection_usable(SecretService *svc, struct optt_err *err)
{
	GVariant *v;
	gboolean locked = TRUE;
	struct optt_err e;

	optt_err_init(&e);
	if (optt_keyring_property(svc, OPTT_KEYRING_DEFAULT_PATH, "org.freedesktop.Secret.Collection",
				  "Locked", &v, &e) != OPTT_OK)
		return optt_err_set(err, OPTT_UNAVAILABLE, "no usable default collection (%s)", e.msg);
	optt_ls.g_variant_get(v, "b", &locked);
	optt_ls.g_variant_unref(v);
	return locked ? optt_err_set(err, OPTT_UNAVAILABLE, "the default keyring collection is locked")
		      : OPTT_OK;
}

enum optt_status
optt_cache_keyring_open(struct optt_cache *c, struct optt_err *err)
{
	const char *addr = secure_getenv("DBUS_SESSION_BUS_ADDRESS");
	GDBusConnection *bus = NULL;
	SecretService *svc = NULL;
	GVariant *r;
	GError *ge = NULL;
	enum optt_status st;

	/* no bus, no library: a headless run never loads GLib */
	if (addr == NULL || addr[0] == '\0')
		return optt_err_set(err, OPTT_UNAVAILABLE, "no session bus (DBUS_SESSION_BUS_ADDRESS unset)");
	if ((st = optt_keyring_load(err)) != OPTT_OK)
		return st;
	/* g_bus_get_sync autolaunches only when the address is unset: it is set */
	if ((bus = optt_ls.g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &ge)) == NULL) {
		st = optt_keyring_error(err, &ge, "bus");
		goto out;
	}
	r = optt_ls.g_dbus_connection_call_sync(bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
						"org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
						G_DBUS_CALL_FLAGS_NONE, OPTT_KEYRING_PING_MS, NULL, &ge);
	if (r == NULL) {
		st = optt_keyring_error(err, &ge, "service");
		goto out;
	}
	optt_ls.g_variant_unref(r);
	if ((svc = optt_ls.secret_service_get_sync(SECRET_SERVICE_NONE, NULL, &ge)) == NULL) {
		st = optt_keyring_error(err, &ge, "service");
		goto out;
	}
	optt_ls.g_dbus_proxy_set_default_timeout((GDBusProxy *)svc, OPTT_KEYRING_CALL_MS);
	if ((st = default_collection_usable(svc, err)) != OPTT_OK)
		goto out;
	c->priv = svc;
	svc = NULL;
	c->ops = &optt_cache_keyring_ops;
out:
	if (svc != NULL)
		optt_ls.g_object_unref(svc);
	if (bus != NULL)
		optt_ls.g_object_unref(bus);
	return st;
}
