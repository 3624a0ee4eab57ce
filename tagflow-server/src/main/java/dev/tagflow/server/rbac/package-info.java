/**
 * Who may do what: Argo CD-style policies ({@code p, subject, resource, action, object, effect} and
 * {@code g, subject, role}) read by {@link dev.tagflow.server.rbac.PolicyParser} into a {@link
 * dev.tagflow.server.rbac.Policy}, and {@link dev.tagflow.server.rbac.Authorizer}, the entry point:
 * the built-in roles (viewer, deployer, release-manager, admin; {@code builtin-policy.csv} in the
 * jar) plus the server config's lines, deny wins, default nothing; a bad reload keeps the last good
 * policy. The resources and actions there are are listed in {@link
 * dev.tagflow.server.rbac.Catalog}; the objects of applications and promotions are made by {@link
 * dev.tagflow.server.rbac.ApplicationEnvironment}, the one rule for an application's environment.
 */
package dev.tagflow.server.rbac;
