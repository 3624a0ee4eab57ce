package dev.tagflow.store;

import dev.tagflow.release.Release;
import java.util.List;
import java.util.Optional;

/** Releases, each written once and never changed. */
public interface ReleaseStore {

  /**
   * Records a release. Recording the same release again changes nothing.
   *
   * @return whether it was new
   * @throws dev.tagflow.TagflowException when another release is stored under the same id
   */
  boolean insert(Release release);

  Optional<Release> get(String id);

  /** The releases of a commit, newest first. */
  List<Release> byCommit(String commit);

  /**
   * The applications whose sync history links a release running an image of this digest (a sync
   * links its release once the application was Healthy with it), newest sync first, one entry per
   * application.
   */
  List<Deployment> deployedWith(String digest);

  /** An application that ran a release, and when the sync that linked it started. */
  record Deployment(String application, String releaseId, java.time.Instant syncedAt) {}
}
