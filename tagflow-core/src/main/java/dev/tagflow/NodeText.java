package dev.tagflow;

import tools.jackson.databind.JsonNode;

/**
 * The text of a JSON node as Tagflow has always read it, with Jackson 2's {@code asText()}: {@code
 * "null"} for a JSON null and {@code ""} for a mapping or a list. Jackson 3's {@code asString()}
 * gives {@code ""} for null and fails on a mapping or a list, which would turn a request body or a
 * manifest with an odd value into an unexpected error instead of the message it always got.
 *
 * <p>For nodes whose type the caller has not checked (request bodies, users' manifests); a node
 * known to be text is read with {@code stringValue()}.
 */
public final class NodeText {

  private NodeText() {}

  /** The node's text as Jackson 2's {@code asText()} gave it; never null. */
  public static String of(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    return node.isContainer() ? "" : node.asString();
  }
}
