/**
 * Applications: the model, loading it from YAML (ours and Argo CD's), and validation.
 *
 * <pre>{@code
 * List<Application> apps = new ApplicationLoader().load(Path.of("web-production.yaml"));
 * }</pre>
 *
 * <p>A file may hold several Applications, one per YAML document. Each is {@code
 * tagflow.dev/v1alpha1} (see the README's "Applications") or Argo CD's {@code
 * argoproj.io/v1alpha1}, which is mapped onto the same {@link dev.tagflow.app.Application}: {@code
 * destination.server} or {@code destination.name} becomes the cluster, {@code spec.sources} of one
 * entry the source, Helm's {@code values} text and {@code valuesObject} one map of values. The
 * fields of Argo CD's format Tagflow does not support are named, each with its line, in one problem
 * per Application.
 *
 * <p>A file loads whole or not at all: {@link dev.tagflow.app.InvalidApplicationException} carries
 * every {@link dev.tagflow.app.Problem} found, each {@code file:line:column: message} with the
 * allowed fields or values, so one round of fixes is enough.
 */
package dev.tagflow.app;
