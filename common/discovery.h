/*
 * discovery.h - OIDC discovery for `issuer` profiles (SPEC §12): the
 * endpoints a profile leaves unset - token_url, authorize_url,
 * device_authorization_url - are filled from
 * {issuer}/.well-known/openid-configuration, whose own `issuer` must equal
 * the configured one byte for byte.  Same transport rules as every request
 * (TLS verified, no redirects, 1 MiB cap, timeout); every endpoint it
 * names must be https - no loopback exception (SPEC §19: a document must
 * not send a password in clear to whoever holds a local port).
 *
 * When: lazily, right before the first request that needs an endpoint
 * (optt_grant_send), so a cached `get` makes none.  How long it is
 * reused: for the life of the process, once per profile - one request per
 * grant at the most (sshd forks a process per connection: one per PAM
 * login); nothing is kept on disk, so a provider's new endpoints are seen
 * at the next grant.  A filled key is marked OPTT_SET_DISCOVERED (conf.h).
 *
 * It sends its one GET itself (dialect + http): grant.c calls it, never
 * the other way round.
 */
#ifndef OPTT_DISCOVERY_H
#define OPTT_DISCOVERY_H

#include "common/conf.h"
#include "common/http.h"
#include "common/status.h"

/* Nothing to do (no issuer, or done before in this process): OPTT_OK with
 * no request.  The profile's unset endpoint keys are filled in place: the
 * profile is the caller's own struct optt_conf's, and discovery is the one
 * thing that completes it after optt_conf_finish. */
enum optt_status optt_discovery_apply(const struct optt_profile *p, const struct optt_grant_ctx *ctx,
				      struct optt_err *err);

#endif
