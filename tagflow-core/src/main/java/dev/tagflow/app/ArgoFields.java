package dev.tagflow.app;

import java.util.Map;

/**
 * Fields of Argo CD's Application that Tagflow does not support, each with the reason a person
 * reads in the error; kept in one place so the list is easy to check against Argo CD's types.
 */
final class ArgoFields {

  private ArgoFields() {}

  static final Map<String, String> ROOT =
      Map.of("operation", "a pending operation belongs to Argo CD's controller");

  static final Map<String, String> SPEC =
      Map.of(
          "info", "informational links; put them in metadata.annotations",
          "revisionHistoryLimit", "Tagflow keeps its own history of syncs",
          "sourceHydrator", "source hydration");

  static final Map<String, String> METADATA =
      Map.of("generateName", "an Application needs a fixed name");

  static final Map<String, String> HELM_UNSUPPORTED =
      Map.ofEntries(
          Map.entry("fileParameters", "values read from files by parameter"),
          Map.entry("passCredentials", "Helm repository credentials"),
          Map.entry("ignoreMissingValueFiles", "missing value files are always an error"),
          Map.entry("skipCrds", "skipping a chart's CRDs"),
          Map.entry("skipTests", "skipping a chart's tests"),
          Map.entry("skipSchemaValidation", "skipping values schema validation"),
          Map.entry("namespace", "a release namespace other than the destination's"),
          Map.entry("kubeVersion", "a Kubernetes version other than the cluster's"),
          Map.entry("apiVersions", "API versions other than the cluster's"));
}
