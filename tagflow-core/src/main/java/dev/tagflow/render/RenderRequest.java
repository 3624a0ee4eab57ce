package dev.tagflow.render;

import dev.tagflow.source.Revision;
import java.util.Objects;

/** One source to render in a batch: what, at which revision, for which destination. */
public record RenderRequest(RenderSource source, Revision revision, RenderTarget target) {
  public RenderRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(target, "target");
  }
}
