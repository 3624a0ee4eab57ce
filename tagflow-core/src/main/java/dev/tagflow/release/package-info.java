/**
 * Releases: the one answer to "what exactly runs there".
 *
 * <p>A {@link dev.tagflow.release.Release} ties a tag to the commit it named, to the images (by
 * reference and, when known, digest) and the Helm chart (name and version) the rendered manifests
 * use, and to the SHA-256 of those manifests. It is immutable: the store records it once ({@code
 * dev.tagflow.store.ReleaseStore}) and refuses a different release under the same id; each sync
 * history entry links to the release it deployed.
 *
 * <p>Today a release is read from what is deployed (the rendered manifests); the release pipeline
 * will add the digests it pushed.
 */
package dev.tagflow.release;
