/*
 * keyring.c - see keyring.h: libsecret loaded on first use, and the few
 * path-level Secret Service calls the keyring users share.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "common/keyring.h"
#include "common/mem.h"

struct optt_ls optt_ls;

#define LS_ENTRY(fn) { #fn, offsetof(struct optt_ls, fn) }
static const struct {
	const char *name;
	size_t off;
} ls_table[] = {
	LS_ENTRY(secret_service_get_sync),
	LS_ENTRY(secret_service_ensure_session_sync),
	LS_ENTRY(secret_service_get_session_dbus_path),
	LS_ENTRY(secret_service_encode_dbus_secret),
	LS_ENTRY(secret_service_decode_dbus_secret),
	LS_ENTRY(secret_service_search_for_dbus_paths_sync),
	LS_ENTRY(secret_service_store_sync),
	LS_ENTRY(secret_service_clear_sync),
	LS_ENTRY(secret_value_new),
	LS_ENTRY(secret_value_get),
	LS_ENTRY(secret_value_unref),
	LS_ENTRY(g_bus_get_sync),
	LS_ENTRY(g_dbus_connection_call_sync),
	LS_ENTRY(g_dbus_proxy_get_connection),
	LS_ENTRY(g_dbus_proxy_set_default_timeout),
	LS_ENTRY(g_variant_new),
	LS_ENTRY(g_variant_get),
	LS_ENTRY(g_variant_lookup),
	LS_ENTRY(g_variant_lookup_value),
	LS_ENTRY(g_variant_unref),
	LS_ENTRY(g_hash_table_new),
	LS_ENTRY(g_hash_table_insert),
	LS_ENTRY(g_hash_table_unref),
	LS_ENTRY(g_str_hash),
	LS_ENTRY(g_str_equal),
	LS_ENTRY(g_strfreev),
	LS_ENTRY(g_strdup_printf),
	LS_ENTRY(g_free),
	LS_ENTRY(g_clear_error),
	LS_ENTRY(g_object_unref),
};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static enum optt_status load_status = OPTT_UNAVAILABLE;
static char load_error[200];
static int load_lacks; /* load_error names a missing function */

static void
load(void)
{
	struct optt_ls ls;
	void *h, *sym;
	size_t i;

	/* by soname through the loader's usual search, as linking would;
	 * RTLD_LOCAL: GLib's symbols do not join the program's namespace */
	if ((h = dlopen(OPTT_LIBSECRET, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		optt_sanitize(load_error, sizeof(load_error), dlerror());
		return;
	}
	for (i = 0; i < sizeof(ls_table) / sizeof(ls_table[0]); i++) {
		if ((sym = dlsym(h, ls_table[i].name)) == NULL) {
			optt_sanitize(load_error, sizeof(load_error), ls_table[i].name);
			load_lacks = 1;
			return; /* left loaded: GLib must not be unloaded */
		}
		/* POSIX: a function pointer and a void * have one representation */
		memcpy((char *)&ls + ls_table[i].off, &sym, sizeof(sym));
	}
	optt_ls = ls;
	load_status = OPTT_OK;
}

enum optt_status
optt_keyring_load(struct optt_err *err)
{
	pthread_once(&load_once, load);
	if (load_status == OPTT_OK)
		return OPTT_OK;
	if (load_lacks)
		return optt_err_set(err, OPTT_UNAVAILABLE, "%s lacks %s (libsecret 0.20 or later needed)",
				    OPTT_LIBSECRET, load_error);
	return optt_err_set(err, OPTT_UNAVAILABLE, "cannot load %s (install libsecret-1-0): %s",
			    OPTT_LIBSECRET, load_error);
}

enum optt_status
optt_keyring_error(struct optt_err *err, GError **ge, const char *what)
{
	char clean[160];

	optt_sanitize(clean, sizeof(clean), *ge != NULL ? (*ge)->message : "failed");
	optt_ls.g_clear_error(ge);
	return optt_err_set(err, OPTT_UNAVAILABLE, "keyring %s: %s", what, clean);
}

GHashTable *
optt_keyring_attrs(const char *name, ...)
{
	GHashTable *a = optt_ls.g_hash_table_new(optt_ls.g_str_hash, optt_ls.g_str_equal);
	const char *value;
	va_list ap;

	va_start(ap, name);
	for (; name != NULL; name = va_arg(ap, const char *))
		if ((value = va_arg(ap, const char *)) != NULL)
			optt_ls.g_hash_table_insert(a, (gpointer)name, (gpointer)value);
	va_end(ap);
	return a;
}

enum optt_status
optt_keyring_search(SecretService *svc, const SecretSchema *schema, GHashTable *attrs,
		    gchar ***ret, struct optt_err *err)
{
	gchar **unlocked = NULL, **locked = NULL;
	GError *ge = NULL;

	*ret = NULL;
	if (!optt_ls.secret_service_search_for_dbus_paths_sync(svc, schema, attrs, NULL, &unlocked,
								&locked, &ge))
		return optt_keyring_error(err, &ge, "search");
	optt_ls.g_strfreev(locked); /* never unlocked: that could prompt */
	*ret = unlocked;
	return OPTT_OK;
}

enum optt_status
optt_keyring_call(SecretService *svc, const char *path, const char *iface, const char *method,
		  GVariant *args, const char *reply_type, GVariant **ret, const char *what,
		  struct optt_err *err)
{
	GDBusProxy *proxy = (GDBusProxy *)svc; /* SecretService is a GDBusProxy */
	GError *ge = NULL;

	*ret = optt_ls.g_dbus_connection_call_sync(optt_ls.g_dbus_proxy_get_connection(proxy),
						   "org.freedesktop.secrets", path, iface, method, args,
						   (const GVariantType *)reply_type,
						   G_DBUS_CALL_FLAGS_NONE, OPTT_KEYRING_CALL_MS, NULL, &ge);
	return *ret == NULL ? optt_keyring_error(err, &ge, what) : OPTT_OK;
}

static enum optt_status
get_secrets(SecretService *svc, gchar **paths, GVariant **ret, struct optt_err *err)
{
	const gchar *session;
	enum optt_status st;
	GError *ge = NULL;
	GVariant *r;

	*ret = NULL;
	if ((session = optt_ls.secret_service_get_session_dbus_path(svc)) == NULL) {
		if (!optt_ls.secret_service_ensure_session_sync(svc, NULL, &ge))
			return optt_keyring_error(err, &ge, "session");
		if ((session = optt_ls.secret_service_get_session_dbus_path(svc)) == NULL)
			return optt_err_set(err, OPTT_UNAVAILABLE, "keyring session: none opened");
	}
	if ((st = optt_keyring_call(svc, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
				    "GetSecrets", optt_ls.g_variant_new("(^aoo)", paths, session),
				    "(a{o(oayays)})", &r, "read", err)) != OPTT_OK)
		return st;
	optt_ls.g_variant_get(r, "(@a{o(oayays)})", ret);
	optt_ls.g_variant_unref(r);
	return OPTT_OK;
}

enum optt_status
optt_keyring_read(SecretService *svc, gchar **paths, optt_keyring_each_fn fn, void *arg,
		  struct optt_err *err)
{
	GVariant *secrets, *enc;
	SecretValue *v;
	const gchar *text;
	enum optt_status st;
	gsize len;
	size_t i;
	int stop = 0;

	if (paths == NULL || paths[0] == NULL)
		return OPTT_OK;
	if ((st = get_secrets(svc, paths, &secrets, err)) != OPTT_OK)
		return st;
	for (i = 0; paths[i] != NULL && st == OPTT_OK && !stop; i++) {
		enc = optt_ls.g_variant_lookup_value(secrets, paths[i], (const GVariantType *)"(oayays)");
		/* NULL: not in the answer, or encrypted for another session */
		v = enc != NULL ? optt_ls.secret_service_decode_dbus_secret(svc, enc) : NULL;
		len = 0;
		if (v != NULL && (text = optt_ls.secret_value_get(v, &len)) != NULL)
			st = fn(arg, paths[i], text, len, &stop, err);
		if (v != NULL)
			optt_ls.secret_value_unref(v);
		if (enc != NULL)
			optt_ls.g_variant_unref(enc);
	}
	optt_ls.g_variant_unref(secrets);
	return st;
}

enum optt_status
optt_keyring_property(SecretService *svc, const char *path, const char *iface, const char *name,
		      GVariant **ret, struct optt_err *err)
{
	enum optt_status st;
	GVariant *r;

	*ret = NULL;
	if ((st = optt_keyring_call(svc, path, "org.freedesktop.DBus.Properties", "Get",
				    optt_ls.g_variant_new("(ss)", iface, name), "(v)", &r, "property",
				    err)) != OPTT_OK)
		return st;
	optt_ls.g_variant_get(r, "(v)", ret);
	optt_ls.g_variant_unref(r);
	return OPTT_OK;
}

const char *
optt_keyring_attr(GVariant *attrs, const char *name)
{
	const char *v = NULL;

	if (!optt_ls.g_variant_lookup(attrs, name, "&s", &v))
		return NULL;
	return v;
}
