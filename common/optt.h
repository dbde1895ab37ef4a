/*
 * optt.h - what the token core offers, in one place.  Start here.
 *
 * optt-auth gets OAuth 2.0 tokens (SPEC §1-4) for four front ends, each a
 * thin wrapper around this core:
 *
 *   pam_module/     pam_optt.so          -> libopttcore
 *   cli/            optt-token           -> libopttlookup (a cached `kube`, else exec:)
 *                   optt-cli             -> libopttuser -> libopttlookup -> libopttcore
 *                                           (+ libyaml for setup kube)
 *   git_helper/     git-credential-optt  -> libopttlookup (a cached token, else exec:)
 *                   optt-git-helper      -> libopttuser ...
 *   docker_helper/  docker-credential-optt -> libopttlookup (else exec:)
 *                   optt-docker-helper   -> libopttuser ... (+ dockerstore.c)
 *
 *   nss_module/     libnss_optt.so.2     -> accounts/libopttaccounts only
 *
 * Below them all, accounts/ (SPEC §15, §16): libopttaccounts, libc and
 * libinih only - the UID rule, the user ledger's formats, the [users] key
 * table, the /etc readers, pins, the held-UID rule, the sshd caller check,
 * the group claims' filter and mapper and the group readers (groups.c).
 * libopttcore links it (conf.c parses [users] with its table); it never
 * links anything above it.  libopttledgerw, the ledger's one writer, is
 * linked by pam_optt.so and optt-cli (optt-token users), never by the NSS
 * module.
 *
 * The three token libraries, by what each may load:
 *
 *   libopttcore    status, mem, log, fsutil (trusted files, root's
 *                  state directories), conf, psl (the public suffix
 *                  list: libpsl, loaded for a hosts wildcard), url, http (libcurl,
 *                  OpenSSL), dialect, jsonutil, token, jwt, grant, pkce;
 *                  and the file layer both sides share: privdir (private
 *                  directories and files), cache_dir (the cache
 *                  directory's layout), cache_record (the record codec),
 *                  session_record (the session hand-off's place and
 *                  codec); statedir (root's state directories and their
 *                  modes, one table); qr (a device login's QR code:
 *                  libqrencode dlopened when one is drawn, never linked).
 *                  Safe inside sshd: no GLib, no D-Bus, nothing read from
 *                  the caller's environment when a request is hermetic
 *                  (http.h).  The PAM module links this alone (and
 *                  libxcrypt for its offline verifiers).
 *   libopttlookup  lookup (a still-valid cached token), handoff (exec the
 *                  full helper).  The front programs link it with
 *                  --as-needed: a cached token is answered without
 *                  loading GLib or libcurl (tests/core/fastpath.sh).
 *   libopttuser    cache (backends file and keyring), keyring (libsecret,
 *                  dlopened when a cache opens the keyring: no program
 *                  links GLib), obtain (lock, refresh, grant), prompt,
 *                  session (claim the token a pam_optt login handed over,
 *                  SPEC §11).  The full programs.
 *
 * No header includes one from a library above its own; no file of
 * common/ is used by one front end only (docker's stored credentials are
 * docker_helper/dockerstore.c).
 *
 * The calls the front ends make, in the order they make them:
 *
 *   optt_conf_load_user / optt_conf_load_file, optt_conf_finish (conf.h)
 *       the configuration, checked; optt_conf_profile, ..._for_host
 *   optt_lookup_token (lookup.h)
 *       the front programs (git, docker, optt-token kube): a valid
 *       cached token, or OPTT_REJECTED
 *   optt_handoff_exec_full (handoff.h)
 *       ... and on a miss, the full helper with the same input
 *   optt_obtain_for (obtain.h)
 *       the full programs: open the cache, pick the subject, then cached
 *       -> refresh -> grant under the record's lock
 *   optt_cache_open, _load, _store, _remove, _list (cache.h)
 *       status, logout and erase
 *   optt_grant_run (grant.h)
 *       the PAM module: one grant, no cache; with session_token it
 *       leaves the record for the user (session.h), whose programs'
 *       optt_obtain_for takes it into their cache (optt_session_claim)
 *
 * Example: the CLI's `optt-token get PROFILE`, error handling elided:
 *
 *	struct optt_conf conf;
 *	struct optt_want w = { &log, 1, NULL, NULL, NULL, NULL };
 *	struct optt_token t;
 *	struct optt_err err;
 *
 *	optt_conf_init(&conf);
 *	optt_err_init(&err);
 *	optt_token_init(&t);
 *	optt_conf_load_user(&conf, NULL, &err);
 *	if (optt_obtain_for(optt_conf_profile(&conf, "optt"), &w, &t, &err) == OPTT_OK)
 *		puts(t.access_token);
 *	optt_token_clear(&t);   // wipes
 *	optt_conf_clear(&conf);
 *
 * Conventions everywhere: every fallible call returns enum optt_status
 * and fills a struct optt_err (status.h) with one line fit for a log;
 * secrets live in struct optt_buf or strings freed with optt_free_str
 * (mem.h), which wipe; nothing that held a secret is freed unwiped.
 */
#ifndef OPTT_OPTT_H
#define OPTT_OPTT_H

/* libopttcore */
#include "common/conf.h"
#include "common/grant.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/status.h"
#include "common/token.h"
/* libopttlookup */
#include "common/handoff.h"
#include "common/lookup.h"
/* libopttuser */
#include "common/cache.h"
#include "common/obtain.h"
#include "common/prompt.h"
#include "common/session.h"

#endif
