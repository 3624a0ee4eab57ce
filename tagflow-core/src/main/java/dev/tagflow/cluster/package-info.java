/**
 * The only package that talks to a Kubernetes API server.
 *
 * <p>{@link dev.tagflow.cluster.ClusterConnections} opens one {@link
 * dev.tagflow.cluster.ClusterGateway} per kubeconfig context ({@code local} in an Application is
 * the current context) and keeps it: a connection holds watches and a discovery cache worth
 * keeping. The gateway is the one door: get, server-side apply with field manager {@code tagflow}
 * (real or dry-run, {@link dev.tagflow.cluster.ApplyCall}), delete, list, wait, and the informers
 * behind {@link dev.tagflow.cluster.LiveStateCache}. {@link dev.tagflow.cluster.Discovery} asks
 * once per group version which kinds exist, their plurals and scopes. {@link
 * dev.tagflow.cluster.RequestCounter} counts every request a client sends, so tests and benchmarks
 * can show what a steady state costs.
 *
 * <p><b>One error contract.</b> Every gateway call fails with a {@link
 * dev.tagflow.cluster.ClusterException} carrying one {@link dev.tagflow.cluster.ClusterFailure}:
 * {@code NOT_FOUND}, {@code CONFLICT}, {@code INVALID}, {@code IMMUTABLE} (an immutable field
 * changed: recreate with Replace), {@code FORBIDDEN}, {@code GONE_KIND} (discovery confirms the
 * kind is no longer served), {@code UNAVAILABLE} (timeouts, connection refused or reset, 429, 5xx:
 * retry later) or {@code UNEXPECTED}; the server's own message is read in one place. fabric8's
 * exceptions never leave the package. A read that fails is an error for that object, never
 * "absent": callers that must tell a timeout from a missing object get {@link
 * dev.tagflow.cluster.WaitResult}'s {@code TimedOut} or a {@code NOT_FOUND}.
 *
 * <p>{@link dev.tagflow.cluster.LiveStateCache} watches each kind applications own (one list, then
 * a watch), so comparing desired with live state needs no request in a steady state, and tells
 * listeners about every added, changed or deleted object — the drift trigger of the controller.
 * {@link dev.tagflow.cluster.ObjectRef} names an object ({@code Kind/namespace/name}); {@link
 * dev.tagflow.cluster.ObjectJson} converts objects to plain JSON trees and YAML.
 */
package dev.tagflow.cluster;
