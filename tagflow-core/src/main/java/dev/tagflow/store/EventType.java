package dev.tagflow.store;

/** Whether an event is routine or asks for attention, as Kubernetes events say it. */
public enum EventType {
  NORMAL("Normal"),
  WARNING("Warning");

  private final String displayName;

  EventType(String displayName) {
    this.displayName = displayName;
  }

  /** {@code Normal} or {@code Warning}. */
  public String displayName() {
    return displayName;
  }

  @Override
  public String toString() {
    return displayName;
  }
}
