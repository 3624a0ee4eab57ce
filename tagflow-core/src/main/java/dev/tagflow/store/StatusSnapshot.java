package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The controller's status of one application as last written.
 *
 * @param application the application's name
 * @param formatVersion the version of the document's JSON shape, chosen by the writer, so that a
 *     later Tagflow can read (or convert) what an earlier one wrote
 * @param json the status document
 * @param generation counts the writes of this application's status, from 1: a reader can tell
 *     whether it changed since it last looked
 * @param updatedAt when it was written
 */
public record StatusSnapshot(
    String application, int formatVersion, String json, long generation, Instant updatedAt) {
  public StatusSnapshot {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
