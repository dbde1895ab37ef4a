/*
 * pam_optt.c - PAM authentication against an OPTT (or any dialect's)
 * password grant, in the order of SPEC §5:
 *   fail delay -> NSS lookup -> password -> one HTTPS grant -> classify.
 *
 * Invariants: no path returns PAM_SUCCESS unless the provider granted a
 * token and every require_claim holds; unknown users, empty passwords and
 * sshd's invalid-user placeholder cause no request; the configuration and
 * the proxy/CA come only from the admin's file, never from the
 * environment; one pam_syslog line per decision, never a secret; every
 * buffer that held the password or a token is wiped before return.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "common/conf.h"
#include "common/device.h"
#include "common/dialect.h"
#include "common/grant.h"
#include "common/http.h"
#include "common/jwt.h"
#include "common/mem.h"
#include "common/status.h"
#include "common/token.h"
#include "pam_module/args.h"
#include "pam_module/register.h"
#include "pam_module/device_prompt.h"
#include "pam_module/session_token.h"
#include "pam_module/state.h"

#ifndef PAM_OPTT_CONFIG
#define PAM_OPTT_CONFIG SYSCONFDIR "/optt/optt.conf"
#endif
/* the build hides every symbol; the pam_sm_* are the module's interface */
#define OPTT_PAM_EXPORT __attribute__((visibility("default")))
#define FAIL_DELAY_US 2000000u
/* sshd hands this to PAM instead of the password typed for an invalid user */
static const char sshd_placeholder[] = "\b\n\r\177INCORRECT";

struct attempt {
	pam_handle_t *pamh;
	struct pam_optt_args args;
	char user[256];          /* escaped (optt_log_escape), for the log line */
	long http_status;
	char error[96];          /* provider's `error`, escaped */
	const char *outcome;
	const char *detail;      /* constant text or NULL */
	char detail_buf[256];
	struct pam_optt_reg *reg; /* SPEC §15: the user ledger (register.h) */
};

static void
log_debug_line(void *ctx, const char *line)
{
	pam_syslog((pam_handle_t *)ctx, LOG_DEBUG, "%s", line);
}

/* The one decision line.  Every value that can come from outside (the
 * user name, the provider's error, texts in the detail) is escaped, so
 * the line holds each field exactly once (SPEC §14). */
static int
decide(struct attempt *a, int code, int prio, const char *outcome)
{
	char extra[160] = "", profile[160], detail[4 * sizeof(a->detail_buf)];

	a->outcome = outcome;
	if (a->http_status > 0)
		snprintf(extra, sizeof(extra), " http=%ld%s%s", a->http_status,
			 a->error[0] ? " error=" : "", a->error);
	optt_log_escape(profile, sizeof(profile), a->args.profile, 0);
	optt_log_escape(detail, sizeof(detail), a->detail, 1);
	pam_syslog(a->pamh, prio, "user=%s profile=%s outcome=%s%s%s%s", a->user[0] ? a->user : "?",
		   profile, outcome, extra, a->detail ? ": " : "", detail);
	return code;
}

/* a refusal of register.h's hooks, as a decision */
static int
refuse(struct attempt *a, const struct pam_optt_refusal *ref)
{
	snprintf(a->detail_buf, sizeof(a->detail_buf), "%s", ref->detail);
	a->detail = a->detail_buf[0] ? a->detail_buf : NULL;
	return decide(a, ref->code, ref->prio, ref->outcome);
}

static int
status_to_pam(struct attempt *a, enum optt_status st)
{
	switch (st) {
	case OPTT_OK:
		return decide(a, PAM_SUCCESS, LOG_NOTICE, "success");
	case OPTT_REJECTED:
		return decide(a, PAM_AUTH_ERR, LOG_NOTICE, "rejected");
	case OPTT_DENIED:
		return decide(a, PAM_PERM_DENIED, LOG_NOTICE, "claim-not-met");
	case OPTT_UNAVAILABLE:
		return decide(a, PAM_AUTHINFO_UNAVAIL, LOG_ERR, "unavailable");
	case OPTT_BADRESP:
		return decide(a, PAM_AUTHINFO_UNAVAIL, LOG_ERR, "bad-response");
	case OPTT_CLIENT:
		return decide(a, PAM_SERVICE_ERR, LOG_ERR, "client-error");
	case OPTT_CONFIG:
		return decide(a, PAM_SERVICE_ERR, LOG_ERR, "config-error");
	case OPTT_NOMEM:
		return decide(a, PAM_BUF_ERR, LOG_CRIT, "out-of-memory");
	case OPTT_SYSTEM:
		break;
	}
	return decide(a, PAM_SERVICE_ERR, LOG_ERR, "system-error");
}

/* The password: *owned is set when we must wipe and free it. */
static int
get_password(struct attempt *a, const char **ret, char **owned)
{
	const void *item = NULL;
	char *resp = NULL;
	int r;

	*ret = NULL;
	*owned = NULL;
	if (a->args.use_first_pass || a->args.try_first_pass) {
		if (pam_get_item(a->pamh, PAM_AUTHTOK, &item) == PAM_SUCCESS && item != NULL) {
			*ret = item;
			return PAM_SUCCESS;
		}
		if (a->args.use_first_pass) {
			a->detail = "use_first_pass: no password from an earlier module";
			return decide(a, PAM_AUTH_ERR, LOG_NOTICE, "no-password");
		}
	}
	r = pam_prompt(a->pamh, PAM_PROMPT_ECHO_OFF, &resp, "Password: ");
	if (r != PAM_SUCCESS || resp == NULL) {
		if (resp != NULL) {
			explicit_bzero(resp, strlen(resp));
			free(resp);
		}
		a->detail = "the conversation gave no password";
		return decide(a, r == PAM_BUF_ERR ? PAM_BUF_ERR : PAM_CONV_ERR, LOG_NOTICE, "no-password");
	}
	/* hand it to later modules in the stack (try/use_first_pass there) */
	if (pam_set_item(a->pamh, PAM_AUTHTOK, resp) != PAM_SUCCESS) {
		explicit_bzero(resp, strlen(resp));
		free(resp);
		return decide(a, PAM_BUF_ERR, LOG_CRIT, "out-of-memory");
	}
	*ret = resp;
	*owned = resp;
	return PAM_SUCCESS;
}

static enum optt_status
check_claims(struct attempt *a, const char *token)
{
	size_t i;

	for (i = 0; i < a->args.nclaims; i++)
		if (optt_jwt_claim_holds(token, a->args.claims[i].name, a->args.claims[i].value) != 1) {
			snprintf(a->detail_buf, sizeof(a->detail_buf), "require_claim %s not met",
				 a->args.claims[i].name);
			a->detail = a->detail_buf;
			return OPTT_DENIED;
		}
	return OPTT_OK;
}

/* every request of the module: hermetic (http.h), timeout=, debug lines to syslog */
static void
module_ctx(struct attempt *a, struct optt_grant_ctx *ctx, struct optt_log *log)
{
	optt_grant_ctx_init(ctx);
	log->fn = log_debug_line;
	log->ctx = a->pamh;
	ctx->log = a->args.debug ? log : NULL;
	ctx->use_env = 0;
	ctx->timeout = a->args.timeout;
}

static enum optt_status
run_grant(struct attempt *a, const struct optt_profile *p, const char *user, const char *password,
	  struct optt_token *tok)
{
	struct optt_grant_ctx ctx;
	struct optt_grant_input in;
	struct optt_err err;
	struct optt_log log;
	enum optt_status st;

	optt_err_init(&err);
	module_ctx(a, &ctx, &log);
	memset(&in, 0, sizeof(in));
	in.username = user;
	in.password = password;
	st = optt_grant_run(p, OPTT_OP_PASSWORD, &in, &ctx, tok, &err);
	a->http_status = err.http_status;
	optt_log_escape(a->error, sizeof(a->error), err.error, 0);
	if (a->http_status > 0 && !optt_http_wipes_buffers())
		pam_syslog(a->pamh, LOG_WARNING, "libcurl was initialised by another part of this "
			   "process: its copies of the request are freed without wiping");
	if (st != OPTT_OK && err.msg[0] != '\0') {
		snprintf(a->detail_buf, sizeof(a->detail_buf), "%s", err.msg);
		a->detail = a->detail_buf;
	}
	return st;
}

/* a warning of ours that is not a decision (no outcome= field) */
static void
warn_state(struct attempt *a, const char *what, const struct optt_err *err)
{
	char msg[4 * sizeof(err->msg)];

	optt_log_escape(msg, sizeof(msg), err->msg, 1);
	pam_syslog(a->pamh, LOG_WARNING, "user=%s %s: %s", a->user, what, msg);
}

/* register.h's other log lines (SPEC §16: a mapped group that is not a
 * local one), escaped like the decision line's texts */
static void
note_line(void *ctx, const char *line)
{
	struct attempt *a = ctx;
	char esc[4 * 512];

	optt_log_escape(esc, sizeof(esc), line, 1);
	pam_syslog(a->pamh, LOG_WARNING, "user=%s %s", a->user, esc);
}

/* SPEC §11 after a full online success: the offline verifier and the
 * session's token.  Neither can turn the success into a failure. */
static void
after_online_success(struct attempt *a, const struct optt_profile *p, const char *user,
		     const char *password, const struct pam_optt_binding *bind,
		     const struct optt_token *tok, int64_t now)
{
	struct optt_err err;

	optt_err_init(&err);
	if (a->args.offline_days > 0 &&
	    pam_optt_offline_save(p, user, password, bind, now, &err) != OPTT_OK)
		warn_state(a, "offline verifier not saved", &err);
	optt_err_init(&err);
	if (a->args.session_token && pam_optt_session_deposit(a->pamh, p, user, user, tok, &err) != OPTT_OK)
		warn_state(a, "session token not handed over", &err);
}

/* SPEC §19: what starts the outage back-off - the provider could not be
 * reached (connect, DNS, TLS, timeout: no HTTP status), or the gateway in
 * front of its token endpoint said so (502, 503, 504).  A 429 or another
 * 5xx may be one account's rate limit or one request's fault: unavailable
 * for this login only, never a reason to skip the network for everyone. */
static int
is_outage(const struct attempt *a, enum optt_status st)
{
	return st == OPTT_UNAVAILABLE &&
	       (a->http_status == 0 || a->http_status == 502 || a->http_status == 503 || a->http_status == 504);
}

/* The provider is unavailable and offline= is on: the verifier decides. */
static int
offline_login(struct attempt *a, const struct optt_profile *p, const char *user,
	      const char *password, const struct pam_optt_binding *bind, int64_t now)
{
	enum pam_optt_offline_result res;
	struct optt_err err;
	char why[160];
	enum optt_status st;

	optt_err_init(&err);
	why[0] = '\0';
	st = pam_optt_offline_check(p, user, password, bind, a->args.offline_days,
				    a->args.offline_max_failures, now, &res, why, sizeof(why), &err);
	if (st != OPTT_OK) {
		snprintf(a->detail_buf, sizeof(a->detail_buf), "offline: %.200s", err.msg);
		a->detail = a->detail_buf;
		return status_to_pam(a, st);
	}
	switch (res) {
	case PAM_OPTT_OFFLINE_OK:
		a->detail = "provider unavailable; offline verifier matched";
		return decide(a, PAM_SUCCESS, LOG_NOTICE, "offline-success");
	case PAM_OPTT_OFFLINE_WRONG:
		a->detail = "provider unavailable; offline verifier did not match";
		return decide(a, PAM_AUTH_ERR, LOG_NOTICE, "offline-rejected");
	case PAM_OPTT_OFFLINE_LOCKED:
		snprintf(a->detail_buf, sizeof(a->detail_buf), "provider unavailable; %s", why);
		a->detail = a->detail_buf;
		return decide(a, PAM_MAXTRIES, LOG_WARNING, "offline-locked");
	case PAM_OPTT_OFFLINE_NONE:
		break;
	}
	{
		char before[sizeof(a->detail_buf)];

		snprintf(before, sizeof(before), "%s", a->detail != NULL ? a->detail : "provider unavailable");
		snprintf(a->detail_buf, sizeof(a->detail_buf), "%.120s; %s", before, why);
		a->detail = a->detail_buf;
	}
	return decide(a, PAM_AUTHINFO_UNAVAIL, LOG_ERR, "unavailable");
}

/* SPEC §12: a password grant answered with one of these moves
 * flow=password,device to the device grant - never a plain wrong password */
static int
wants_device(const struct attempt *a, enum optt_status st)
{
	return (st == OPTT_REJECTED || st == OPTT_CLIENT) &&
	       (strcmp(a->error, "interaction_required") == 0 || strcmp(a->error, "unauthorized_client") == 0 ||
		strcmp(a->error, "unsupported_grant_type") == 0);
}

/* The device grant's result must be the PAM user: the user_claim of the ID
 * token when the response has one, else of the JWT access token. */
static enum optt_status
bind_user(struct attempt *a, const struct optt_profile *p, const struct optt_token *t, const char *user)
{
	static const char *const dflt[] = { "preferred_username", "user_name", "sub", NULL };
	const char *one[] = { a->args.user_claim, NULL };
	const char *const *names = a->args.user_claim[0] ? one : dflt;
	const char *tok = t->id_token != NULL ? t->id_token : t->access_token, *why = NULL;

	/* an ID token must be one for us, from our provider, still valid
	 * (OIDC Core §3.1.3.7, SPEC §19) before its claims mean anything */
	if (t->id_token != NULL &&
	    optt_jwt_id_token_check(t->id_token, optt_pstr(p, OPTT_K_ISSUER), optt_pstr(p, OPTT_K_CLIENT_ID),
				    (int64_t)time(NULL), &why) != 0) {
		snprintf(a->detail_buf, sizeof(a->detail_buf), "device grant: the ID token %s", why);
		a->detail = a->detail_buf;
		return OPTT_DENIED;
	}
	switch (optt_jwt_user_is(tok, names, user)) {
	case 1:
		return OPTT_OK;
	case 0:
		snprintf(a->detail_buf, sizeof(a->detail_buf), "device grant: the %s's %s is not this user",
			 t->id_token != NULL ? "ID token" : "access token",
			 a->args.user_claim[0] ? a->args.user_claim : "user claim");
		break;
	default:
		snprintf(a->detail_buf, sizeof(a->detail_buf), "device grant: the token's claims cannot be read");
		break;
	}
	a->detail = a->detail_buf;
	return OPTT_DENIED;
}

/* flow=device (SPEC §12): the instructions go in the prompt (sshd holds
 * PAM_TEXT_INFO back until the next prompt), the user answers it once the
 * login is approved, then the module polls within its bounds: each request
 * timeout=, the whole wait the code's lifetime and at most 300 s. */
static int
device_login(struct attempt *a, const struct optt_profile *p, const char *user)
{
	struct optt_grant_ctx ctx;
	struct optt_device dev;
	struct optt_token tok;
	struct optt_err err;
	struct optt_log log;
	enum optt_status st;
	char line[1200] = "", prompt[1300] = "", *resp = NULL;
	int64_t now = (int64_t)time(NULL);
	long since;
	int r;

	optt_device_init(&dev);
	optt_token_init(&tok);
	optt_err_init(&err);
	module_ctx(a, &ctx, &log);
	a->http_status = 0;
	a->error[0] = '\0';
	a->detail = NULL;
	if ((since = pam_optt_backoff_active(p, a->args.outage_backoff, now)) >= 0) {
		snprintf(a->detail_buf, sizeof(a->detail_buf),
			 "outage back-off: the provider was unavailable %ld s ago, no request", since);
		a->detail = a->detail_buf;
		st = OPTT_UNAVAILABLE;
		goto done;
	}
	st = optt_device_start(p, &ctx, &dev, &err);
	/* the device-authorization endpoint's answers, whatever they say, are
	 * this login's alone (anyone can ask it for any user); only not
	 * reaching the provider at all is an outage (SPEC §19) */
	if (st != OPTT_OK && a->args.outage_backoff > 0 && st == OPTT_UNAVAILABLE && err.http_status == 0)
		pam_optt_backoff_mark(p, now);
	if (st == OPTT_OK) {
		optt_device_instructions(&dev, line, sizeof(line));
		snprintf(prompt, sizeof(prompt), "%s, then press Enter: ", line);
		r = pam_optt_device_prompt(a->pamh, &dev, a->args.qr, prompt, &resp);
		if (resp != NULL) {
			explicit_bzero(resp, strlen(resp));
			free(resp);
		}
		if (r != PAM_SUCCESS) {
			a->detail = "device grant: the conversation gave no answer";
			r = decide(a, r == PAM_BUF_ERR ? PAM_BUF_ERR : PAM_CONV_ERR, LOG_NOTICE, "no-password");
			goto out;
		}
		st = optt_device_wait(p, &ctx, &dev, 300, &tok, &err);
		a->http_status = err.http_status;
		if (a->args.outage_backoff > 0 && is_outage(a, st))
			pam_optt_backoff_mark(p, now); /* the token endpoint's polls */
	}
	a->http_status = err.http_status;
	optt_log_escape(a->error, sizeof(a->error), err.error, 0);
	if (st != OPTT_OK && err.msg[0] != '\0') {
		snprintf(a->detail_buf, sizeof(a->detail_buf), "device grant: %.200s", err.msg);
		a->detail = a->detail_buf;
	}
	if (st == OPTT_OK && (st = bind_user(a, p, &tok, user)) == OPTT_OK &&
	    (st = check_claims(a, tok.access_token)) == OPTT_OK) {
		struct pam_optt_refusal ref;

		if (pam_optt_reg_after(a->reg, &tok, now, &ref) != 0) {
			r = refuse(a, &ref);
			goto out;
		}
		a->detail = "by the device grant";
		optt_err_init(&err);
		/* no offline verifier: no password was checked (SPEC §11) */
		if (a->args.session_token && pam_optt_session_deposit(a->pamh, p, user, user, &tok, &err) != OPTT_OK)
			warn_state(a, "session token not handed over", &err);
	}
done:
	r = status_to_pam(a, st);
out:
	OPTT_WIPE(line, sizeof(line)); /* the user code: the user's eyes only */
	OPTT_WIPE(prompt, sizeof(prompt));
	optt_token_clear(&tok);
	optt_device_clear(&dev);
	return r;
}

/* The admin's configuration only (config= or the system file, root's,
 * PAM's rules) and the profile= in it. */
static enum optt_status
load_profile(const struct attempt *a, struct optt_conf *conf, const struct optt_profile **ret,
	     struct optt_err *err)
{
	enum optt_status st;

	st = optt_conf_load_file(conf, a->args.config ? a->args.config : PAM_OPTT_CONFIG, OPTT_CONF_PAM, err);
	if (st == OPTT_OK)
		st = optt_conf_finish(conf, err);
	if (st == OPTT_OK && (*ret = optt_conf_profile(conf, a->args.profile)) == NULL)
		st = optt_err_set(err, OPTT_CONFIG, "no profile '%.64s' in the configuration", a->args.profile);
	return st;
}

static int
authenticate(struct attempt *a, int argc, const char **argv)
{
	struct optt_conf conf;
	struct optt_err err;
	struct optt_token tok;
	struct pam_optt_binding bind;
	struct pam_optt_who who;
	struct pam_optt_reg reg;
	struct pam_optt_refusal ref;
	const struct optt_profile *p;
	const char *user = NULL, *bad, *why, *password = NULL;
	char *owned = NULL;
	enum optt_status st;
	int64_t now;
	long since;
	int r;

	if (pam_optt_parse_args(argc, argv, &a->args, &bad, &why) != 0) {
		snprintf(a->detail_buf, sizeof(a->detail_buf), "%s: %.80s", why, bad);
		a->detail = a->detail_buf;
		a->args.profile = "?";
		return decide(a, PAM_SERVICE_ERR, LOG_ERR, "bad-argument");
	}
	/* 1. the fail delay, so that a refusal takes as long as any other */
	(void)pam_fail_delay(a->pamh, FAIL_DELAY_US);
	/* OpenSSL (the state files' digests, then TLS) starts inside the
	 * hermetic window, whatever feature touches it first (SPEC §19) */
	optt_err_init(&err);
	if (optt_http_global_init(0, &err) != OPTT_OK) {
		a->detail = "libcurl and OpenSSL cannot be initialised";
		return decide(a, PAM_SERVICE_ERR, LOG_ERR, "system-error");
	}

	/* 2. a local user, or no request at all */
	if ((r = pam_get_user(a->pamh, &user, NULL)) != PAM_SUCCESS || user == NULL || user[0] == '\0') {
		a->detail = "no user name";
		return decide(a, r == PAM_CONV_AGAIN ? PAM_INCOMPLETE : PAM_USER_UNKNOWN, LOG_NOTICE,
			      "unknown-user");
	}
	optt_log_escape(a->user, sizeof(a->user), user, 0);
	/* not found: SPEC §15 decides once the configuration is read */
	switch (pam_optt_reg_lookup(user, &who)) {
	case 1:
	case 0:
		break;
	case -2:
		return decide(a, PAM_BUF_ERR, LOG_CRIT, "out-of-memory");
	default:
		a->detail = "user lookup (NSS) failed";
		return decide(a, PAM_AUTHINFO_UNAVAIL, LOG_ERR, "unavailable");
	}

	/* the admin's configuration only; checked before asking for a password */
	optt_conf_init(&conf);
	optt_err_init(&err);
	optt_token_init(&tok);
	memset(&bind, 0, sizeof(bind));
	st = load_profile(a, &conf, &p, &err);
	if (st == OPTT_OK && a->args.flow_password && optt_dialect_grant_op(p) != OPTT_OP_PASSWORD)
		st = optt_err_set(&err, OPTT_CONFIG, "profile '%.64s' does not use the password grant",
				  a->args.profile);
	if (st == OPTT_OK && a->args.flow_device &&
	    (optt_pnum(p, OPTT_K_DIALECT) != OPTT_DIALECT_OAUTH2 || !optt_pset(p, OPTT_K_CLIENT_ID) ||
	     !(optt_pset(p, OPTT_K_DEVICE_AUTHORIZATION_URL) || optt_pset(p, OPTT_K_ISSUER))))
		st = optt_err_set(&err, OPTT_CONFIG, "flow=device needs an oauth2 profile with client_id and "
				  "device_authorization_url (or issuer); '%.64s' has not", a->args.profile);
	if (st != OPTT_OK) {
		snprintf(a->detail_buf, sizeof(a->detail_buf), "%s", err.msg);
		a->detail = a->detail_buf;
		r = st == OPTT_NOMEM ? decide(a, PAM_BUF_ERR, LOG_CRIT, "out-of-memory")
				     : decide(a, PAM_SERVICE_ERR, LOG_ERR, "config-error");
		optt_conf_clear(&conf);
		return r;
	}
	/* SPEC §15 before any request: unknown names, held UIDs, the provider */
	a->reg = &reg;
	if (pam_optt_reg_before(&reg, &conf, p, user, &who, a->args.ignore_unknown_user, &ref) != 0) {
		r = refuse(a, &ref);
		optt_conf_clear(&conf);
		return r;
	}
	reg.note = note_line;
	reg.note_ctx = a;

	/* 3. the password; refusals that need no request */
	if (!a->args.flow_password) {
		r = device_login(a, p, user);
		goto out;
	}
	if ((r = get_password(a, &password, &owned)) != PAM_SUCCESS) {
		optt_conf_clear(&conf);
		return r;
	}
	if (password[0] == '\0' && a->args.flow_device) {
		r = device_login(a, p, user); /* SPEC §12: an empty answer asks for the device grant */
		goto out;
	}
	if (password[0] == '\0' || strncmp(password, sshd_placeholder, sizeof(sshd_placeholder) - 1) == 0) {
		a->detail = password[0] == '\0' ? "empty password" : "sshd's invalid-user placeholder";
		r = decide(a, PAM_AUTH_ERR, LOG_NOTICE, "rejected-locally");
		goto out;
	}

	/* 4. one HTTPS password grant, unless an outage back-off is running */
	now = (int64_t)time(NULL);
	since = pam_optt_backoff_active(p, a->args.outage_backoff, now);
	if (since >= 0) {
		snprintf(a->detail_buf, sizeof(a->detail_buf),
			 "outage back-off: the provider was unavailable %ld s ago, no request", since);
		a->detail = a->detail_buf;
		st = OPTT_UNAVAILABLE;
	} else {
		st = run_grant(a, p, user, password, &tok);
		if (a->args.outage_backoff > 0 && is_outage(a, st))
			pam_optt_backoff_mark(p, now);
		else if (a->args.outage_backoff > 0 &&
			 (st == OPTT_OK || st == OPTT_REJECTED || st == OPTT_CLIENT))
			pam_optt_backoff_clear(p); /* the provider answered */
	}
	if (a->args.flow_device && wants_device(a, st)) {
		r = device_login(a, p, user); /* the provider wants more than a password */
		goto out;
	}
	if (st == OPTT_OK)
		st = check_claims(a, tok.access_token);
	if (st == OPTT_OK && pam_optt_reg_after(&reg, &tok, now, &ref) != 0) {
		r = refuse(a, &ref); /* subject binding, or the UID taken meanwhile */
		goto out;
	}
	if (st == OPTT_OK && ref.detail[0] != '\0') {
		char esc[4 * sizeof(ref.detail)];

		optt_log_escape(esc, sizeof(esc), ref.detail, 1);
		pam_syslog(a->pamh, LOG_WARNING, "user=%s %s", a->user, esc);
	}

	/* 5. what the answer means for the state of SPEC §11, then classify */
	if (a->args.offline_days > 0 && (st == OPTT_OK || st == OPTT_UNAVAILABLE)) {
		enum optt_status bst = pam_optt_binding(p, &a->args, &bind, &err);

		if (bst != OPTT_OK) {
			r = status_to_pam(a, bst);
			goto out;
		}
	}
	if (st == OPTT_OK) {
		after_online_success(a, p, user, password, &bind, &tok, now);
	} else if (st == OPTT_REJECTED && a->args.offline_days > 0) {
		/* the verifier goes only if it holds this very password */
		pam_optt_offline_forget(p, user, password);
	} else if (st == OPTT_DENIED && a->args.offline_days > 0) {
		pam_optt_offline_forget(p, user, NULL); /* the right password, no longer enough */
	} else if (st == OPTT_UNAVAILABLE && a->args.offline_days > 0 && !reg.is_new) {
		r = offline_login(a, p, user, password, &bind, now);
		goto out;
	} else if (st == OPTT_UNAVAILABLE && a->args.offline_days > 0) {
		/* SPEC §15: a name neither local nor registered has no offline
		 * login, whatever verifier an earlier holder of the name left */
		snprintf(a->detail_buf, sizeof(a->detail_buf), "%.120s; not registered: no offline login",
			 a->detail != NULL ? a->detail : "provider unavailable");
		a->detail = a->detail_buf;
	}
	r = status_to_pam(a, st);
out:
	optt_token_clear(&tok);
	if (owned != NULL) {
		explicit_bzero(owned, strlen(owned));
		free(owned);
	}
	optt_conf_clear(&conf);
	return r;
}

OPTT_PAM_EXPORT int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct attempt a;
	int r;

	(void)flags;
	memset(&a, 0, sizeof(a));
	a.pamh = pamh;
	r = authenticate(&a, argc, argv);
	explicit_bzero(&a, sizeof(a));
	return r;
}

OPTT_PAM_EXPORT int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh, (void)flags, (void)argc, (void)argv;
	return PAM_SUCCESS;
}

OPTT_PAM_EXPORT int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh, (void)flags, (void)argc, (void)argv;
	return PAM_IGNORE;
}

OPTT_PAM_EXPORT int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh, (void)flags, (void)argc, (void)argv;
	return PAM_SUCCESS;
}

/* SPEC §19: the session hand-off record leaves with the session that made
 * it.  Closing never fails a session: a problem is logged, that is all. */
OPTT_PAM_EXPORT int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const struct optt_profile *p = NULL;
	struct optt_conf conf;
	struct optt_err err;
	struct attempt a;
	const void *user = NULL;
	const char *bad, *why;

	(void)flags;
	memset(&a, 0, sizeof(a));
	a.pamh = pamh;
	optt_conf_init(&conf);
	optt_err_init(&err);
	if (pam_optt_parse_args(argc, argv, &a.args, &bad, &why) != 0) {
		pam_syslog(pamh, LOG_ERR, "close_session: %s: %.80s", why, bad);
		goto out;
	}
	if (pam_get_item(pamh, PAM_USER, &user) != PAM_SUCCESS || user == NULL)
		goto out;
	optt_log_escape(a.user, sizeof(a.user), user, 0);
	if (load_profile(&a, &conf, &p, &err) != OPTT_OK || pam_optt_session_close(pamh, p, user, &err) != OPTT_OK)
		warn_state(&a, "close_session: the session's token was not removed", &err);
	else if (a.args.debug)
		pam_syslog(pamh, LOG_DEBUG, "user=%s close_session: done", a.user);
out:
	optt_conf_clear(&conf);
	explicit_bzero(&a, sizeof(a));
	return PAM_SUCCESS;
}
