package dev.tagflow.diff;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fields the API server sets on an object, never a person: {@code status} and the metadata
 * below. Tagflow drops them from what it sends (a manifest exported with {@code kubectl get -o
 * yaml} carries them, and a stale {@code uid} or {@code resourceVersion} would make the apply fail
 * as a precondition) and from what it compares (they change on every write), in one list here so
 * that what is sent and what is compared can never disagree.
 */
public enum ServerFields {
  RESOURCE_VERSION("resourceVersion", metadata -> metadata.setResourceVersion(null)),
  UID("uid", metadata -> metadata.setUid(null)),
  GENERATION("generation", metadata -> metadata.setGeneration(null)),
  CREATION_TIMESTAMP("creationTimestamp", metadata -> metadata.setCreationTimestamp(null)),
  MANAGED_FIELDS("managedFields", metadata -> metadata.setManagedFields(null)),
  SELF_LINK("selfLink", metadata -> metadata.setSelfLink(null)),
  DELETION_TIMESTAMP("deletionTimestamp", metadata -> metadata.setDeletionTimestamp(null)),
  DELETION_GRACE_PERIOD_SECONDS(
      "deletionGracePeriodSeconds", metadata -> metadata.setDeletionGracePeriodSeconds(null));

  private final String name;
  private final Consumer<ObjectMeta> clear;

  ServerFields(String name, Consumer<ObjectMeta> clear) {
    this.name = name;
    this.clear = clear;
  }

  /** The field's name under {@code metadata}. */
  public String fieldName() {
    return name;
  }

  /** Every metadata field the server sets, by name. */
  public static List<String> metadataNames() {
    return Arrays.stream(values()).map(ServerFields::fieldName).toList();
  }

  /** Drops the server's fields from a typed object (changed in place): one about to be sent. */
  public static void stripFrom(GenericKubernetesResource object) {
    object.getAdditionalProperties().remove("status");
    ObjectMeta metadata = object.getMetadata();
    if (metadata != null) {
      for (ServerFields field : values()) {
        field.clear.accept(metadata);
      }
    }
  }

  /**
   * Drops the server's fields from an object as a tree (changed in place; its {@code metadata} is
   * replaced by a stripped copy, so a map shared with the original is left as it was): one about to
   * be compared.
   */
  @SuppressWarnings("unchecked")
  public static void stripFrom(Map<String, Object> object) {
    object.remove("status");
    if (object.get("metadata") instanceof Map<?, ?> metadata) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) metadata);
      metadataNames().forEach(copy::remove);
      object.put("metadata", copy);
    }
  }
}
