package dev.tagflow.apply;

import java.time.Duration;

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
 */
public record ApplyOptions(
    String application,
    String destinationNamespace,
    String fieldManager,
    boolean force,
    boolean createNamespace,
    boolean dryRun,
    boolean takeOver,
    Duration waitTimeout) {

  /** The field manager Tagflow applies with. */
  public static final String FIELD_MANAGER = "tagflow";

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
        Duration.ofSeconds(60));
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
        waitTimeout);
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
        waitTimeout);
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
        waitTimeout);
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
        waitTimeout);
  }
}
