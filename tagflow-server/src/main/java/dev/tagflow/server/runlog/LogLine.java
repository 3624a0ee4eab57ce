package dev.tagflow.server.runlog;

/** One line of a run's log, without its line break, and the byte offset just after it. */
public record LogLine(String text, long end) {}
