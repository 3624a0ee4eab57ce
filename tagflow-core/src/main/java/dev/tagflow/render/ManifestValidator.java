package dev.tagflow.render;

import dev.tagflow.GroupKind;
import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns parsed documents into {@link Manifest}s: every object must have apiVersion, kind and
 * metadata.name (a hook may have metadata.generateName instead); objects of namespaced kinds that
 * name no namespace get the destination's; and no two objects may be the same
 * group/kind/namespace/name.
 */
final class ManifestValidator {

  List<Manifest> validate(List<ManifestParser.Document> documents, RenderTarget target) {
    Map<GroupKind, Capabilities.Scope> crdScopes = crdScopes(documents);
    Map<String, Manifest> seen = new LinkedHashMap<>();
    List<Manifest> manifests = new ArrayList<>(documents.size());
    for (ManifestParser.Document document : documents) {
      ObjectNode node = document.object();
      String apiVersion = required(document, node.get("apiVersion"), "apiVersion");
      String kind = required(document, node.get("kind"), "kind");
      JsonNode metadata = node.get("metadata");
      String name = generatedHookPrefix(metadata);
      if (name == null) {
        name = required(document, metadata == null ? null : metadata.get("name"), "metadata.name");
      }
      GroupKind groupKind = GroupKind.fromApiVersion(apiVersion, kind);
      JsonNode namespace = metadata.get("namespace");
      boolean hasNamespace = namespace != null && !NodeText.of(namespace).isEmpty();
      // An empty destination namespace leaves objects as written (kubectl's context decides).
      if (!hasNamespace
          && !target.namespace().isEmpty()
          && namespaced(groupKind, target.capabilities(), crdScopes)) {
        ((ObjectNode) metadata).put("namespace", target.namespace());
      }
      GenericKubernetesResource object = object(document, node);
      Manifest manifest =
          new Manifest(
              object,
              document.file(),
              document.document(),
              document.line(),
              Manifest.isHook(object));
      String key = groupKind + "/" + nullToEmpty(object.getMetadata().getNamespace()) + "/" + name;
      Manifest before = seen.putIfAbsent(key, manifest);
      if (before != null) {
        throw TagflowException.invalidInput(
            "duplicate object "
                + groupKind
                + " "
                + manifest.subject().substring(kind.length() + 1)
                + ": in "
                + before.location()
                + " and in "
                + manifest.location()
                + "; each object may be defined once");
      }
      manifests.add(manifest);
    }
    return manifests;
  }

  private static boolean namespaced(
      GroupKind kind, Capabilities capabilities, Map<GroupKind, Capabilities.Scope> crdScopes) {
    Capabilities.Scope scope = capabilities.scopeOf(kind);
    if (scope == Capabilities.Scope.UNKNOWN) {
      // A custom resource whose definition comes with it: its scope is in the definition.
      scope = crdScopes.getOrDefault(kind, Capabilities.Scope.NAMESPACED);
    }
    return scope == Capabilities.Scope.NAMESPACED;
  }

  private static Map<GroupKind, Capabilities.Scope> crdScopes(
      List<ManifestParser.Document> documents) {
    Map<GroupKind, Capabilities.Scope> scopes = new HashMap<>();
    for (ManifestParser.Document document : documents) {
      ObjectNode node = document.object();
      if (!"CustomResourceDefinition".equals(NodeText.of(node.path("kind")))) {
        continue;
      }
      JsonNode spec = node.path("spec");
      String group = NodeText.of(spec.path("group"));
      String kind = NodeText.of(spec.path("names").path("kind"));
      if (!kind.isEmpty()) {
        scopes.put(
            new GroupKind(group, kind),
            "Cluster".equals(NodeText.of(spec.path("scope")))
                ? Capabilities.Scope.CLUSTER
                : Capabilities.Scope.NAMESPACED);
      }
    }
    return scopes;
  }

  /**
   * The document as fabric8's object, which types the fields every object has (metadata's labels,
   * annotations, owner references, …); one of those written with the wrong type is the user's
   * mistake, named with its place.
   */
  private GenericKubernetesResource object(ManifestParser.Document document, ObjectNode node) {
    try {
      return PlainJson.MAPPER.convertValue(node, GenericKubernetesResource.class);
    } catch (JacksonException wrongType) { // Jackson 2 wrapped it in an IllegalArgumentException
      String field = "a field";
      String expected = "another type";
      if (wrongType instanceof MismatchedInputException mismatch) {
        field =
            mismatch.getPath().stream()
                .map(
                    r ->
                        r.getPropertyName() != null
                            ? r.getPropertyName()
                            : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        expected = describe(mismatch.getTargetType());
      }
      throw TagflowException.invalidInput(
          document.file()
              + ":"
              + document.line()
              + ": the object in document "
              + (document.document() + 1)
              + " has "
              + field
              + " of the wrong type: Kubernetes takes "
              + expected
              + " there");
    }
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "text";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a mapping (" + type.getSimpleName() + ")";
  }

  private static String required(ManifestParser.Document document, JsonNode value, String field) {
    if (value == null || !value.isString() || value.stringValue().isBlank()) {
      throw TagflowException.invalidInput(
          document.file()
              + ":"
              + document.line()
              + ": the object in document "
              + (document.document() + 1)
              + " has no "
              + field
              + "; every Kubernetes object needs apiVersion, kind and metadata.name");
    }
    return value.stringValue();
  }

  /**
   * The generateName of a hook that has no name (Helm's and Argo CD's {@code generateName:
   * db-migrate-}, a fresh Job each sync), or null: only hooks may go without a name.
   */
  private static String generatedHookPrefix(JsonNode metadata) {
    if (metadata == null || metadata.hasNonNull("name")) {
      return null;
    }
    JsonNode generateName = metadata.get("generateName");
    JsonNode annotations = metadata.path("annotations");
    boolean hook =
        annotations.has(HookAnnotations.TAGFLOW)
            || annotations.has(HookAnnotations.ARGO_CD)
            || annotations.has(HookAnnotations.HELM);
    return hook
            && generateName != null
            && generateName.isString()
            && !generateName.stringValue().isBlank()
        ? generateName.stringValue()
        : null;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
