package dev.tagflow.cluster;

import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/**
 * Names one object in a cluster: API version, kind, namespace ({@code ""} when cluster-scoped) and
 * name. The API version is kept so the object can be fetched; equality ignores it, because the same
 * object served as {@code apps/v1} or {@code apps/v1beta2} is still one object.
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name)
    implements Comparable<ObjectRef> {

  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing(ObjectRef::group)
          .thenComparing(ObjectRef::kind)
          .thenComparing(ObjectRef::namespace)
          .thenComparing(ObjectRef::name);

  public ObjectRef {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
  }

  /**
   * The reference of an object as written (its namespace may still be empty).
   *
   * @throws TagflowException when the object lacks an apiVersion, a kind or a name
   */
  public static ObjectRef of(HasMetadata object) {
    String name = object.getMetadata() == null ? null : object.getMetadata().getName();
    if (object.getApiVersion() == null
        || object.getKind() == null
        || name == null
        || name.isBlank()) {
      throw TagflowException.invalidInput(
          "an object needs apiVersion, kind and metadata.name; got apiVersion "
              + object.getApiVersion()
              + ", kind "
              + object.getKind()
              + ", name "
              + name
              + " (metadata.generateName is not supported: give the object a name)");
    }
    return new ObjectRef(
        object.getApiVersion(),
        object.getKind(),
        object.getMetadata().getNamespace(),
        object.getMetadata().getName());
  }

  /** The API group: {@code ""} for the core group ({@code v1}). */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The version part of the API version. */
  public String version() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  /** Whether the object lives in a namespace (as far as this reference knows). */
  public boolean isNamespaced() {
    return !namespace.isEmpty();
  }

  /** The same reference in {@code newNamespace}. */
  public ObjectRef inNamespace(String newNamespace) {
    return new ObjectRef(apiVersion, kind, newNamespace, name);
  }

  /** How people read it: {@code Deployment/shop/web}, or {@code Namespace/shop}. */
  public String subject() {
    return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ObjectRef o
        && group().equals(o.group())
        && kind.equals(o.kind)
        && namespace.equals(o.namespace)
        && name.equals(o.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group(), kind, namespace, name);
  }

  @Override
  public int compareTo(ObjectRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return subject();
  }
}
