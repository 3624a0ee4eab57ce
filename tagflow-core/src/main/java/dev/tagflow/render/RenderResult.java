package dev.tagflow.render;

import java.util.List;

/** What rendering one source of a batch gave: its objects, or the one message why it failed. */
public sealed interface RenderResult {

  /** The request this is the result of. */
  RenderRequest request();

  /** The objects, in the order the source gave them. */
  record Rendered(RenderRequest request, List<Manifest> manifests) implements RenderResult {
    public Rendered {
      manifests = List.copyOf(manifests);
    }
  }

  /** Why the source could not be rendered; the others of the batch are not affected. */
  record Failed(RenderRequest request, String message) implements RenderResult {}
}
