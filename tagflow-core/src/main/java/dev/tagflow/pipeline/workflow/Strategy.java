package dev.tagflow.pipeline.workflow;

import java.util.Optional;

/**
 * {@code strategy:} of a job.
 *
 * @param failFast {@code fail-fast}: true (GitHub's default), false, or an expression
 * @param maxParallel {@code max-parallel}: a number, or an expression
 */
public record Strategy(Matrix matrix, Optional<Text> failFast, Optional<Text> maxParallel) {}
