package dev.tagflow.pipeline.workflow;

import java.util.List;
import java.util.Optional;

/**
 * One input of {@code on.workflow_dispatch.inputs}, given when someone starts the workflow by hand.
 *
 * @param options the choices of a {@code choice} input, in order; empty for other types
 */
public record DispatchInput(
    String id,
    Position at,
    Optional<String> description,
    boolean required,
    Type type,
    Optional<String> defaultValue,
    List<String> options) {

  public DispatchInput {
    options = List.copyOf(options);
  }

  /** The types GitHub has for a dispatch input. */
  public enum Type {
    STRING,
    BOOLEAN,
    CHOICE,
    NUMBER,
    ENVIRONMENT
  }
}
