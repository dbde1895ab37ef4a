/*
 * setup_kube.h - `optt-token setup kube PROFILE --cluster NAME [--user USER]
 * [--undo]` (SPEC §18): point kubectl at `optt-token kube PROFILE` for a
 * cluster of the user's kubeconfig.
 *
 * The file is the first of $KUBECONFIG, else ~/.kube/config; the cluster
 * must be in it.  Added: a `users` entry USER (default optt-PROFILE) whose
 * `exec` runs this optt-token with `args: [kube, PROFILE]`, and a context
 * USER@NAME (cluster NAME, user USER); `current-context` and every other
 * entry are left as they were.  The file is edited as a YAML event stream
 * (libyaml): every event outside the entries we add or remove is written
 * back as it was read (values, tags, styles, anchors), so the other
 * entries are equal as parsed YAML; comments and layout are libyaml's
 * (they do not survive).  Written atomically (temp file, fsync, rename)
 * with the file's mode; an unchanged file is not rewritten.
 *
 * Nothing here is ours to wipe but the file's bytes: a kubeconfig may
 * hold other credentials (tokens, client keys), so they are read into and
 * written from buffers that wipe (libyaml's own copies cannot be).
 */
#ifndef OPTT_CLI_SETUP_KUBE_H
#define OPTT_CLI_SETUP_KUBE_H

#include "common/conf.h"

/* 0 done (or nothing to do), 2 usage or configuration error (no such
 * cluster, no kubeconfig, not YAML), 1 the file refused the change (an
 * entry of that name that is not ours, a write failure). */
int optt_setup_kube(const struct optt_profile *p, const char *cluster, const char *user, int undo);

#endif
