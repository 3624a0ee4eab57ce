package dev.tagflow.pipeline.action;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A remote action's files on disk.
 *
 * @param uses {@code owner/repo[/path]@ref}, as written
 * @param commit the commit the ref resolved to
 * @param directory the action's directory (its {@code action.yml} is in it); read only
 * @param stale why the source was not asked (it could not be reached and the ref was known); empty
 *     when the ref was resolved against the source just now
 */
public record FetchedAction(String uses, String commit, Path directory, Optional<String> stale) {}
