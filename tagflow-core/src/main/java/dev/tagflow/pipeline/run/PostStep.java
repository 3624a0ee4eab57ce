package dev.tagflow.pipeline.run;

import java.util.function.Consumer;

/**
 * What a step leaves to run at its job's end, as an action's {@code post:} (the cache's save).
 *
 * @param index the step that registered it
 * @param name what the log calls it: {@code Post Run actions/cache@v4}
 * @param action given whether the job's steps succeeded so far
 */
record PostStep(int index, String name, Consumer<Boolean> action) {}
