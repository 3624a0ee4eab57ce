/**
 * Rendering: the objects an application wants, read from Git at a revision.
 *
 * <p>{@link dev.tagflow.render.Renderer} is the entry point. Give it a {@link
 * dev.tagflow.render.RenderSource} (what: a repository, a path, and how to read it, a {@link
 * dev.tagflow.render.SourceKind}; {@link dev.tagflow.render.RenderSource#of} makes one from an
 * Application), the resolved {@code Revision}, and a {@link dev.tagflow.render.RenderTarget} (the
 * destination namespace and the cluster's {@link dev.tagflow.render.Capabilities}). It returns one
 * {@link dev.tagflow.render.Manifest} per object, each with the file and document it came from.
 *
 * <ul>
 *   <li><b>Directory</b>: {@code .yaml}, {@code .yml} and {@code .json} files, several documents
 *       per file, {@code List} kinds expanded, empty documents skipped; {@code recurse}, {@code
 *       include} and {@code exclude} globs.
 *   <li><b>Helm</b>: the Helm engine itself (helm-java). The chart is the source's path or another
 *       path or repository at its own revision; values are layered as Helm does (the chart's {@code
 *       values.yaml}, the values files in order, inline values, parameters); dependencies come from
 *       {@code charts/} (folders or {@code .tgz}); hooks are kept with their {@code helm.sh/hook}
 *       annotations and {@code Manifest.hook()} set; {@code crds/} comes first.
 *   <li><b>Kustomize</b>: {@code kubectl kustomize}, with the kubectl given in {@link
 *       dev.tagflow.render.RenderOptions}; bases outside the path are followed.
 * </ul>
 *
 * <p>Every object needs apiVersion, kind and metadata.name; the same group/kind/namespace/name
 * twice is an error naming both places; objects of namespaced kinds that name no namespace get the
 * destination's (cluster-scoped kinds never do; an unknown kind takes the scope of a CRD rendered
 * with it, else counts as namespaced). Errors name the file, line and column (YAML, JSON), the
 * template and line (Helm), or the path and revision (a missing values file or chart). {@link
 * dev.tagflow.render.Renderer#renderAll} renders many sources; one that fails does not stop the
 * others.
 *
 * <p>Every file is read within the {@link dev.tagflow.yaml.YamlLimits} of the {@link
 * dev.tagflow.render.RenderOptions}: refused by its size before it is read, YAML aliases ({@code
 * *name}) rendered as the values they stand for and merge keys merged, and a file whose aliases
 * expand past the limits refused at the alias that passed them.
 *
 * <p>Results are cached in memory by content (tree ids of what was read, a digest of the values,
 * the target), so a commit elsewhere in the repository renders nothing again. Metrics: {@code
 * tagflow.render{kind,outcome}} (time per render), {@code tagflow.render.cache{result=hit|miss}},
 * {@code tagflow.render.cache.size}.
 */
package dev.tagflow.render;
