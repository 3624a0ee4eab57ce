package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import java.util.Optional;
import java.util.function.Function;

/**
 * One named step of a run ({@code source}, {@code render}, {@code diff}, {@code sync}, {@code
 * health}): what it does to the run, and the typed reason a {@link TagflowException} it throws is
 * reported as.
 *
 * @param name the step's name in logs and status
 * @param action does the step; answers a failure it decided on itself (an empty render)
 * @param failure the typed reason for an exception the step threw
 */
public record Step(
    String name,
    Function<ApplicationRun, Optional<SyncFailure>> action,
    Function<TagflowException, SyncFailure> failure) {}
