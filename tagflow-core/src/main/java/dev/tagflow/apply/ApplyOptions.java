package dev.tagflow.apply;

import dev.tagflow.diff.DiffOptions;
import dev.tagflow.diff.IgnoreRule;
import java.time.Duration;
import java.util.List;

/**
 * How an application's objects are applied.
 *
 * @param application the application's name, written into every object's tracking id
 * @param destinationNamespace where namespaced objects that name no namespace go
 * @param fieldManager the server-side apply manager; {@code tagflow} unless two Tagflows share a
 *     cluster
 * @param force Replace=true: an object whose immutable field changed is deleted and created again,
 *     instead of failing
 * @param createNamespace CreateNamespace=true: create the destination namespace when it is missing
 * @param dryRun ask the server what would change, change nothing
 * @param takeOver adopt objects another application tracks (otherwise they fail with a message)
 * @param waitTimeout how long to wait for CRDs to be established and recreated objects to go
 * @param ignoreRules differences that are not drift (ignoreDifferences): the apply judges "in sync"
 *     exactly as the diff does, so an ignored difference is never applied on its own
 */
public record ApplyOptions(
    String application,
    String destinationNamespace,
    String fieldManager,
    boolean force,
    boolean createNamespace,
    boolean dryRun,
    boolean takeOver,
    Duration waitTimeout,
    List<IgnoreRule> ignoreRules) {

  /** The field manager Tagflow applies with. */
  public static final String FIELD_MANAGER = "tagflow";

  public ApplyOptions {
    ignoreRules = List.copyOf(ignoreRules);
  }

  /** Apply for real with field manager {@code tagflow}, no force, no take-over, 60 s waits. */
  public static ApplyOptions defaults(String application, String destinationNamespace) {
    return new ApplyOptions(
        application,
        destinationNamespace,
        FIELD_MANAGER,
        false,
        false,
        false,
        false,
        Duration.ofSeconds(60),
        List.of());
  }

  public ApplyOptions withForce(boolean value) {
    return new ApplyOptions(
        application,
        destinationNamespace,
        fieldManager,
        value,
        createNamespace,
        dryRun,
        takeOver,
        waitTimeout,
        ignoreRules);
  }

  public ApplyOptions withCreateNamespace(boolean value) {
    return new ApplyOptions(
        application,
        destinationNamespace,
        fieldManager,
        force,
        value,
        dryRun,
        takeOver,
        waitTimeout,
        ignoreRules);
  }

  public ApplyOptions withDryRun(boolean value) {
    return new ApplyOptions(
        application,
        destinationNamespace,
        fieldManager,
        force,
        createNamespace,
        value,
        takeOver,
        waitTimeout,
        ignoreRules);
  }

  public ApplyOptions withTakeOver(boolean value) {
    return new ApplyOptions(
        application,
        destinationNamespace,
        fieldManager,
        force,
        createNamespace,
        dryRun,
        value,
        waitTimeout,
        ignoreRules);
  }

  /** How the objects are compared before they are applied: as the diff compares them. */
  public DiffOptions diffOptions() {
    return new DiffOptions(application, destinationNamespace, fieldManager, ignoreRules);
  }
}
