package dev.tagflow.apply;

/** What happened to one object in an apply or a delete. */
public enum Action {
  /** It did not exist and was created (or would be, in a dry-run). */
  CREATED,
  /** It existed and differed, and was changed (or would be). */
  CONFIGURED,
  /** It already matched; nothing was sent, so its resourceVersion is kept. */
  UNCHANGED,
  /** It was deleted (or would be). */
  DELETED,
  /** It was left alone on purpose; the message says why. */
  SKIPPED,
  /** It could not be applied or deleted; the message says why and how to fix it. */
  FAILED;

  /** The lower-case word shown to people: {@code created}, {@code configured}, … */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
