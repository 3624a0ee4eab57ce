package dev.tagflow.source;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes ref changes on once the {@link RepoCache} mirror holds them: a webhook or a push to
 * Tagflow's Git server reports a commit the mirror has not fetched yet, and whoever hears of it
 * (the controller) reads the mirror. A change the mirror already has (the poller fetched before it
 * reported) costs nothing.
 *
 * <p>A fetch that fails still passes the change on: the listener reads the mirror as it is, and the
 * repository's status and the fetch-failure metric tell why it is behind.
 */
public final class MirrorCatchUp implements Consumer<RefChanged> {

  private static final Logger log = LoggerFactory.getLogger(MirrorCatchUp.class);

  private final RepoCache cache;
  private final Consumer<RefChanged> listener;

  public MirrorCatchUp(RepoCache cache, Consumer<RefChanged> listener) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void accept(RefChanged change) {
    String mirrored = cache.status(change.repository()).refs().get(change.ref());
    if (!Objects.equals(mirrored, change.newCommit().orElse(null))) {
      try {
        cache.fetch(change.repository());
      } catch (TagflowException e) {
        log.warn(
            "could not fetch {} for {}: {}",
            UrlRedaction.redact(change.repository()),
            change.ref(),
            e.getMessage());
      }
    }
    listener.accept(change);
  }
}
