/**
 * Releases: the one answer to "what exactly runs there".
 *
 * <p>A {@link dev.tagflow.release.Release} ties a tag to the commit it named, to the images (by
 * reference and, when known, digest) and the Helm chart (name and version) the rendered manifests
 * use, and to the SHA-256 of those manifests. It is immutable: the store records it once ({@code
 * dev.tagflow.store.ReleaseStore}) and refuses a different release under the same id; each sync
 * history entry links to the release it deployed.
 *
 * <p>{@link dev.tagflow.release.ReleaseReader} reads a release from what is deployed: the images of
 * every Pod template in the rendered manifests (Pods, workloads' {@code spec.template}, CronJobs'
 * {@code spec.jobTemplate}, PodTemplates; containers, init and ephemeral containers), each once,
 * with the digest a reference is pinned to or, once known, the digest the live Pods report; the
 * chart from Helm's {@code helm.sh/chart} label; and an id derived from the content, so the same
 * inputs give the same id. The release pipeline will add the digests it pushed.
 */
package dev.tagflow.release;
