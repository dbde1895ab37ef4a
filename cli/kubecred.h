/*
 * kubecred.h - kubectl's exec credential protocol (SPEC §18), pure: the
 * KUBERNETES_EXEC_INFO kubectl hands its plugin, and the ExecCredential
 * the plugin prints.  Used by the front (cli/optt-token.c, a cached
 * token) and by the full CLI (cli/optt-cli.c, everything else).
 *
 * Ownership and wiping: nothing here keeps a token; the ExecCredential is
 * written into the caller's struct optt_buf, which wipes when cleared.
 * The input is kubectl's and holds no secret.
 */
#ifndef OPTT_CLI_KUBECRED_H
#define OPTT_CLI_KUBECRED_H

#include <stdint.h>

#include "common/conf.h"
#include "common/mem.h"
#include "common/status.h"
#include "common/token.h"

#define OPTT_KUBE_V1 "client.authentication.k8s.io/v1"
#define OPTT_KUBE_V1BETA1 "client.authentication.k8s.io/v1beta1"
/* the most of KUBERNETES_EXEC_INFO we read (a cluster's CA data fits) */
#define OPTT_KUBE_MAX_INFO (64 * 1024)

struct optt_kube_info {
	const char *api_version; /* OPTT_KUBE_V1 or OPTT_KUBE_V1BETA1 (static) */
	int interactive;         /* spec.interactive is true */
};

/* info (KUBERNETES_EXEC_INFO; NULL or empty: unset) into *ret: the
 * apiVersion kubectl names when it is v1 or v1beta1, else v1beta1; a
 * missing spec.interactive is false (kubectl up to 1.21 sends none).
 * OPTT_CONFIG when info is set but not a JSON object (or over the cap),
 * or when spec or spec.interactive has the wrong type. */
enum optt_status optt_kube_parse_info(const char *info, struct optt_kube_info *ret, struct optt_err *err);

/* The RFC 3339 UTC time kubectl is told the token expires: its expiry
 * less the profile's refresh_margin, so that kubectl runs the plugin again
 * while the cache would still refresh it (never before the epoch). */
int64_t optt_kube_expiry(const struct optt_profile *p, const struct optt_token *t);

/* The ExecCredential for t, one line of JSON and a newline, into out:
 * {"apiVersion":...,"kind":"ExecCredential","spec":{},"status":
 * {"expirationTimestamp":"YYYY-MM-DDTHH:MM:SSZ","token":...}}. */
enum optt_status optt_kube_credential(const struct optt_kube_info *info, const struct optt_profile *p,
				      const struct optt_token *t, struct optt_buf *out, struct optt_err *err);

#endif
