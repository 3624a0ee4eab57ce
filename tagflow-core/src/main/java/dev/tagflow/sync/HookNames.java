package dev.tagflow.sync;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * How hooks are named. A hook may have {@code metadata.generateName} instead of a name (Argo CD's
 * and Helm's {@code generateName: db-migrate-}), so each sync creates a fresh object. Such a hook
 * is known in the plan by its identity, a reference whose name is the prefix ({@code
 * Job/shop/db-migrate-}); the name the server generates is remembered in the {@link SyncState}.
 */
final class HookNames {

  private HookNames() {}

  /** Whether the object has a generateName and no name. */
  static boolean generatesName(HasMetadata object) {
    var metadata = object.getMetadata();
    return metadata != null
        && (metadata.getName() == null || metadata.getName().isBlank())
        && metadata.getGenerateName() != null
        && !metadata.getGenerateName().isBlank();
  }

  /**
   * The object's reference as written: its name, or for a hook with generateName its identity.
   *
   * @throws TagflowException when an object that is not a hook has only a generateName, or an
   *     object lacks apiVersion, kind or name
   */
  static ObjectRef written(HasMetadata object) {
    if (!generatesName(object)) {
      return ObjectRef.of(object);
    }
    if (SyncAnnotations.hook(object).isEmpty() || object.getApiVersion() == null) {
      throw TagflowException.invalidInput(
          object.getKind()
              + " with generateName "
              + object.getMetadata().getGenerateName()
              + ": only hooks (annotation argocd.argoproj.io/hook or helm.sh/hook) may have"
              + " metadata.generateName instead of metadata.name; give the object a name");
    }
    return new ObjectRef(
        object.getApiVersion(),
        object.getKind(),
        object.getMetadata().getNamespace(),
        object.getMetadata().getGenerateName());
  }

  /** The key under which a generated name is kept in the state: {@code batch/Job/shop/migrate-}. */
  static String key(ObjectRef identity) {
    return identity.group() + "/" + identity.subject();
  }
}
