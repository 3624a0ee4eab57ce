package dev.tagflow.diff;

import java.util.List;

/**
 * How an application's objects are compared.
 *
 * @param application the application's name (its objects carry it in their tracking id)
 * @param destinationNamespace where namespaced objects that name no namespace go
 * @param fieldManager the manager whose fields count as Tagflow's ({@code tagflow})
 * @param ignoreRules differences that are not drift ({@code ignoreDifferences})
 */
public record DiffOptions(
    String application,
    String destinationNamespace,
    String fieldManager,
    List<IgnoreRule> ignoreRules) {

  public DiffOptions {
    ignoreRules = List.copyOf(ignoreRules);
  }

  /** Field manager {@code tagflow}, no ignore rules. */
  public static DiffOptions defaults(String application, String destinationNamespace) {
    return new DiffOptions(application, destinationNamespace, "tagflow", List.of());
  }

  public DiffOptions withIgnoreRules(List<IgnoreRule> rules) {
    return new DiffOptions(application, destinationNamespace, fieldManager, rules);
  }
}
