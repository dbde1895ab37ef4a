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
 *    when the subject must be picked, one property read per item; the
 *    encrypted transfer session (a Diffie-Hellman exchange, the costliest
 *    step) is opened on a second thread while those lookups run, and every
 *    use of the service waits for it first (kr_service); a record read is
 *    stored back onto the same item (Item.SetSecret: gnome-keyring's
 *    CreateItem costs three times as much);
 *  - the record text is wiped after use.
 */
#include "config.h"

#include <pthread.h>
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

/* the backend's state (c->priv) */
struct keyring {
	SecretService *svc;
	pthread_t session;   /* opening the transfer session */
	int session_running; /* ... not joined yet */
	char *item_profile;  /* the record last read and where it is */
	char *item_subject;
	char *item_path;
};

static void *
session_open(void *svc)
{
	GError *ge = NULL;

	/* a failure is met again, and reported, by the call that needs it */
	if (!optt_ls.secret_service_ensure_session_sync(svc, NULL, &ge))
		optt_ls.g_clear_error(&ge);
	return NULL;
}

/* The service, once the session thread (if any) is done: only one
 * thread talks to libsecret's session at a time. */
static SecretService *
kr_service(struct keyring *k)
{
	if (k->session_running) {
		pthread_join(k->session, NULL);
		k->session_running = 0;
	}
	return k->svc;
}

static void
item_forget(struct keyring *k)
{
	optt_free_str(&k->item_profile);
	optt_free_str(&k->item_subject);
	optt_free_str(&k->item_path);
}

static void
item_remember(struct keyring *k, const char *profile, const char *subject, const char *path)
{
	item_forget(k);
	if ((k->item_profile = optt_strdup(profile)) == NULL ||
	    (k->item_subject = optt_strdup(subject)) == NULL ||
	    (k->item_path = optt_strdup(path)) == NULL)
		item_forget(k); /* only a quicker store is lost */
}

static const char *
item_for(const struct keyring *k, const char *profile, const char *subject)
{
	return k->item_path != NULL && strcmp(k->item_profile, profile) == 0 &&
			       strcmp(k->item_subject, subject) == 0
		       ? k->item_path
		       : NULL;
}

/* the unlocked items for (profile[, subject]) */
static enum optt_status
search(struct optt_cache *c, const char *profile, const char *subject, gchar ***ret,
       struct optt_err *err)
{
	struct keyring *k = c->priv;
	GHashTable *attrs = optt_keyring_attrs("profile", profile, "subject", subject, NULL);
	enum optt_status st = optt_keyring_search(k->svc, &token_schema, attrs, ret, err);

	optt_ls.g_hash_table_unref(attrs);
	return st;
}

struct load {
	struct optt_cache *c;
	const char *profile, *subject;
	struct optt_token *ret;
	int *found;
};

/* the first record that decodes is the one */
static enum optt_status
load_one(void *arg, const char *path, const char *text, size_t len, int *stop,
	 struct optt_err *err)
{
	struct load *l = arg;
	struct optt_err e;

	(void)err;
	optt_err_init(&e);
	if (optt_record_decode(text, len, l->ret, &e) != OPTT_OK) {
		optt_debug(l->c->log, "keyring record ignored: %s", e.msg);
		return OPTT_OK;
	}
	*l->found = *stop = 1;
	item_remember(l->c->priv, l->profile, l->subject, path);
	return OPTT_OK;
}

static enum optt_status
kr_load(struct optt_cache *c, const char *profile, const char *subject,
	struct optt_token *ret, int *ret_found, struct optt_err *err)
{
	struct load l = { c, profile, subject, ret, ret_found };
	gchar **paths = NULL;
	enum optt_status st;

	*ret_found = 0;
	/* the search runs beside the session thread; the read waits for it */
	if ((st = search(c, profile, subject, &paths, err)) == OPTT_OK)
		st = optt_keyring_read(kr_service(c->priv), paths, load_one, &l, err);
	optt_ls.g_strfreev(paths);
	return st;
}

/* Item.SetSecret on the item the record was read from: one call, the
 * secret encrypted for our session.  Not OPTT_OK when it did not take (the
 * item is gone, no session): CreateItem must. */
static enum optt_status
store_onto(SecretService *svc, const char *path, SecretValue *v, struct optt_err *err)
{
	GVariant *enc, *r;
	enum optt_status st;

	if (optt_ls.secret_service_get_session_dbus_path(svc) == NULL ||
	    (enc = optt_ls.secret_service_encode_dbus_secret(svc, v)) == NULL)
		return optt_err_set(err, OPTT_UNAVAILABLE, "keyring store: no transfer session");
	if ((st = optt_keyring_call(svc, path, "org.freedesktop.Secret.Item", "SetSecret",
				    optt_ls.g_variant_new("(@(oayays))", enc), "()", &r, "store",
				    err)) != OPTT_OK)
		return st;
	optt_ls.g_variant_unref(r);
	return OPTT_OK;
}

static enum optt_status
kr_store(struct optt_cache *c, const char *profile, const char *subject,
	 const struct optt_token *t, struct optt_err *err)
{
	struct keyring *k = c->priv;
	SecretService *svc = kr_service(k);
	const char *path = item_for(k, profile, subject);
	GHashTable *attrs;
	GError *ge = NULL;
	SecretValue *v;
	struct optt_buf data;
	struct optt_err e;
	gchar *label;
	enum optt_status st = OPTT_OK;

	optt_buf_init(&data, OPTT_RECORD_MAX);
	if (optt_record_encode(t, &data) != 0) {
		optt_buf_clear(&data);
		return optt_err_set(err, OPTT_NOMEM, "out of memory");
	}
	v = optt_ls.secret_value_new(data.data, (gssize)data.len, "application/json");
	optt_buf_clear(&data);
	optt_err_init(&e);
	if (path != NULL) {
		if (store_onto(svc, path, v, &e) == OPTT_OK) {
			optt_ls.secret_value_unref(v);
			return OPTT_OK;
		}
		optt_debug(c->log, "%s; creating the item anew", e.msg);
	}
	attrs = optt_keyring_attrs("profile", profile, "subject", subject, NULL);
	label = optt_ls.g_strdup_printf("OPTT token: %s (%s)", profile, subject);
	/* one CreateItem (replace) on the default collection's alias */
	if (!optt_ls.secret_service_store_sync(svc, &token_schema, attrs, SECRET_COLLECTION_DEFAULT,
					       label, v, NULL, &ge))
		st = optt_keyring_error(err, &ge, "store");
	optt_ls.g_free(label);
	optt_ls.g_hash_table_unref(attrs);
	optt_ls.secret_value_unref(v);
	return st;
}

static enum optt_status
kr_remove(struct optt_cache *c, const char *profile, const char *subject, struct optt_err *err)
{
	struct keyring *k = c->priv;
	GHashTable *attrs = optt_keyring_attrs("profile", profile, "subject", subject, NULL);
	GError *ge = NULL;

	if (item_for(k, profile, subject) != NULL)
		item_forget(k);
	optt_ls.secret_service_clear_sync(kr_service(k), &token_schema, attrs, NULL, &ge);
	optt_ls.g_hash_table_unref(attrs);
	return ge != NULL ? optt_keyring_error(err, &ge, "remove") : OPTT_OK;
}

static enum optt_status
kr_list(struct optt_cache *c, const char *profile, char ***ret, size_t *ret_n,
	struct optt_err *err)
{
	struct keyring *k = c->priv;
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
		if ((st = optt_keyring_property(k->svc, paths[i], "org.freedesktop.Secret.Item",
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
	struct keyring *k = c->priv;

	if (k == NULL)
		return;
	optt_ls.g_object_unref(kr_service(k));
	item_forget(k);
	free(k);
	c->priv = NULL;
}

void *
optt_cache_keyring_ready(const struct optt_cache *c)
{
	return kr_service(c->priv);
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
	struct keyring *k = NULL;
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
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		st = optt_err_set(err, OPTT_NOMEM, "out of memory");
		goto out;
	}
	k->svc = svc;
	svc = NULL;
	/* the session while the collection, subject and record are looked up
	 * (no thread: kr_service has nothing to wait for, and the first secret
	 * read opens the session itself) */
	k->session_running = pthread_create(&k->session, NULL, session_open, k->svc) == 0;
	if ((st = default_collection_usable(k->svc, err)) != OPTT_OK)
		goto out;
	c->priv = k;
	k = NULL;
	c->ops = &optt_cache_keyring_ops;
out:
	if (k != NULL) {
		optt_ls.g_object_unref(kr_service(k));
		free(k);
	}
	if (svc != NULL)
		optt_ls.g_object_unref(svc);
	if (bus != NULL)
		optt_ls.g_object_unref(bus);
	return st;
}
