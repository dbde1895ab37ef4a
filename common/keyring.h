/*
 * keyring.h - the Secret Service through libsecret, loaded on first use.
 *
 * The user-side programs do not link libsecret: optt_keyring_load()
 * dlopens libsecret-1.so.0 (and with it GLib) the first time a cache opens
 * the keyring, so a file-backend or headless run never loads GLib (about
 * 2 ms of start-up, docs/PERFORMANCE.md) and the packages only recommend
 * libsecret.  The calls go through `optt_ls`, a table of the libsecret and
 * GLib functions this project uses, typed from their own headers.
 *
 * Lookups are by D-Bus path: libsecret's path search, GetSecrets and
 * property reads made here, secrets encrypted and decrypted with
 * libsecret's session codec (encode/decode_dbus_secret).  A libsecret
 * item object costs five bus messages to create, a path one.  libsecret's
 * header files these calls under "unstable"; they have been exported
 * unchanged since libsecret 0.7 (the codec since 0.18), and Debian's
 * symbols file tracks them.
 *
 * Invariants: nothing here unlocks or prompts (locked items are misses);
 * every call is synchronous and bounded (OPTT_KEYRING_CALL_MS: the
 * opener sets it as the proxy's default); the table is filled once per
 * process, never unloaded.
 *
 * Used by common/cache_keyring.c and docker_helper/dockerstore.c only
 * (scripts/lint).
 */
#ifndef OPTT_KEYRING_H
#define OPTT_KEYRING_H

#define SECRET_WITH_UNSTABLE 1
#define SECRET_API_SUBJECT_TO_CHANGE 1
#include <libsecret/secret.h>
#include <stddef.h>

#include "common/status.h"

/* the library the keyring backend loads (its soname, as the linker would) */
#define OPTT_LIBSECRET "libsecret-1.so.0"
/* a Secret Service must answer a Ping within this; every other call this */
#define OPTT_KEYRING_PING_MS 2000
#define OPTT_KEYRING_CALL_MS 5000
/* the default collection's alias path (Secret Service API) */
#define OPTT_KEYRING_DEFAULT_PATH "/org/freedesktop/secrets/aliases/default"

#define OPTT_LS(fn) __typeof__(fn) *fn
struct optt_ls {
	/* libsecret */
	OPTT_LS(secret_service_get_sync);
	OPTT_LS(secret_service_ensure_session_sync);
	OPTT_LS(secret_service_get_session_dbus_path);
	OPTT_LS(secret_service_encode_dbus_secret);
	OPTT_LS(secret_service_decode_dbus_secret);
	OPTT_LS(secret_service_search_for_dbus_paths_sync);
	OPTT_LS(secret_service_store_sync);
	OPTT_LS(secret_service_clear_sync);
	OPTT_LS(secret_value_new);
	OPTT_LS(secret_value_get);
	OPTT_LS(secret_value_unref);
	/* GLib, GObject, GIO: libsecret's own dependencies */
	OPTT_LS(g_bus_get_sync);
	OPTT_LS(g_dbus_connection_call_sync);
	OPTT_LS(g_dbus_proxy_get_connection);
	OPTT_LS(g_dbus_proxy_set_default_timeout);
	OPTT_LS(g_variant_new);
	OPTT_LS(g_variant_get);
	OPTT_LS(g_variant_lookup);
	OPTT_LS(g_variant_lookup_value);
	OPTT_LS(g_variant_unref);
	OPTT_LS(g_hash_table_new);
	OPTT_LS(g_hash_table_insert);
	OPTT_LS(g_hash_table_unref);
	OPTT_LS(g_str_hash);
	OPTT_LS(g_str_equal);
	OPTT_LS(g_strfreev);
	OPTT_LS(g_strdup_printf);
	OPTT_LS(g_free);
	OPTT_LS(g_clear_error);
	OPTT_LS(g_object_unref);
};
#undef OPTT_LS

/* Filled by optt_keyring_load; read only after it returned OPTT_OK. */
extern struct optt_ls optt_ls;

/* Load libsecret once per process: OPTT_UNAVAILABLE with a one-line reason
 * when it is not installed or lacks a function. */
enum optt_status optt_keyring_load(struct optt_err *err);

/* A failed libsecret call: OPTT_UNAVAILABLE, "keyring WHAT: <sanitised
 * message>"; the GError is freed. */
enum optt_status optt_keyring_error(struct optt_err *err, GError **ge, const char *what);

/* A new attribute table of the strings given as NAME, VALUE pairs, ending
 * with NULL; a NULL value leaves its name out.  The strings are borrowed. */
GHashTable *optt_keyring_attrs(const char *name, ...);

/* One method call to the Secret Service object at path, on the service's
 * connection, bounded by OPTT_KEYRING_CALL_MS; args (floating) is consumed;
 * *ret the reply of reply_type, g_variant_unref it; a failure is "keyring
 * WHAT: ...". */
enum optt_status optt_keyring_call(SecretService *svc, const char *path, const char *iface,
				   const char *method, GVariant *args, const char *reply_type,
				   GVariant **ret, const char *what, struct optt_err *err);
/* The unlocked items of schema matching attrs (locked ones are left out,
 * never unlocked): a NULL-terminated list of D-Bus paths, g_strfreev it. */
enum optt_status optt_keyring_search(SecretService *svc, const SecretSchema *schema,
				     GHashTable *attrs, gchar ***ret, struct optt_err *err);
/* Called for each item whose secret could be read: its path and the
 * secret's bytes (NUL-terminated, valid during the call only).  OPTT_OK
 * goes on (*stop = 1 ends the walk there); anything else ends it and is
 * returned. */
typedef enum optt_status (*optt_keyring_each_fn)(void *arg, const char *path, const char *secret,
						size_t len, int *stop, struct optt_err *err);
/* Their secrets: one GetSecrets for all of paths, encrypted for our
 * transfer session (opened here if it is not yet), each decrypted in turn
 * and handed to fn; items that give none are skipped.  NULL or empty
 * paths: nothing.  (libsecret's own call for this leaks the answer before
 * 0.21.2.) */
enum optt_status optt_keyring_read(SecretService *svc, gchar **paths, optt_keyring_each_fn fn,
				   void *arg, struct optt_err *err);
/* One D-Bus property of the object at path (one round trip, at most
 * OPTT_KEYRING_CALL_MS): *ret is the value, g_variant_unref it. */
enum optt_status optt_keyring_property(SecretService *svc, const char *path, const char *iface,
				       const char *name, GVariant **ret, struct optt_err *err);
/* An item's attribute from its "Attributes" property (a{ss}), NULL when
 * absent; valid while attrs is. */
const char *optt_keyring_attr(GVariant *attrs, const char *name);

#endif
