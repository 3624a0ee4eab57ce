package dev.tagflow.pipeline.image;

import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Counts, from Jib's events, the blobs a build checked on the target registry and those it found
 * there already.
 *
 * <p>Jib has no result for this: each blob push opens a progress allocation named {@code pushing
 * blob <digest>} sized in bytes, and a blob the target registry has is skipped with an info line
 * naming its digest ({@code Skipping push; BLOB already exists…} for built layers and the config,
 * {@code Skipping pull; BLOB already exists…} for base layers, which are then neither pulled nor
 * pushed). Both texts are those of the Jib version pinned in the root pom. A base layer mounted
 * from another repository of the same registry counts as pushed: Jib does not say it was mounted.
 */
final class PushCount implements Consumer<JibEvent> {

  private static final String PUSHING = "pushing blob ";
  private static final String PRESENT = "BLOB already exists on target registry";

  private final Map<String, Long> checked = new ConcurrentHashMap<>();
  private final Set<String> present = ConcurrentHashMap.newKeySet();

  @Override
  public void accept(JibEvent event) {
    if (event instanceof ProgressEvent progress) {
      String description = progress.getAllocation().getDescription();
      if (description.startsWith(PUSHING)) {
        checked.putIfAbsent(
            description.substring(PUSHING.length()), progress.getAllocation().getAllocationUnits());
      }
    } else if (event instanceof LogEvent log && log.getMessage().contains(PRESENT)) {
      // "…registry : digest: sha256:…, size: N"
      String message = log.getMessage();
      int at = message.indexOf("digest: ");
      if (at >= 0) {
        int end = message.indexOf(',', at);
        present.add(message.substring(at + "digest: ".length(), end < 0 ? message.length() : end));
      }
    }
  }

  /** Pushed and reused counts and bytes, leaving out the image's config blob. */
  Totals totals(String configDigest) {
    int pushed = 0;
    int reused = 0;
    long bytes = 0;
    for (String blob : present) {
      reused += blob.equals(configDigest) ? 0 : 1;
    }
    for (Map.Entry<String, Long> blob : checked.entrySet()) {
      if (!present.contains(blob.getKey())) {
        pushed += blob.getKey().equals(configDigest) ? 0 : 1;
        bytes += blob.getValue();
      }
    }
    return new Totals(pushed, reused, bytes);
  }

  record Totals(int layersPushed, int layersReused, long bytesPushed) {}
}
