package dev.tagflow.store;

import java.util.List;

/** The images pipeline runs pushed (tag → commit → digest), written when a run ends. */
public interface BuiltImageStore {

  /** Records the images of one run; recording a run's images again changes nothing. */
  void record(List<BuiltImage> images);

  /** The images a run pushed, in the order its steps pushed them. */
  List<BuiltImage> ofRun(String runId);

  /** The newest images first, at most {@code limit}; of one repository when it is not null. */
  List<BuiltImage> latest(String repository, int limit);
}
