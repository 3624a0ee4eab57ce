package dev.tagflow.schedule;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which applications a sync window applies to, as Argo CD's: by application name, destination
 * namespace or destination cluster, each a list of globs ({@code *}, {@code ?}); any one that
 * matches selects the application. A selector that lists nothing selects nothing.
 */
public record Selector(List<String> applications, List<String> namespaces, List<String> clusters) {

  public Selector {
    applications = List.copyOf(applications);
    namespaces = List.copyOf(namespaces);
    clusters = List.copyOf(clusters);
  }

  /** Every application. */
  public static Selector all() {
    return new Selector(List.of("*"), List.of(), List.of());
  }

  /** These applications, by name or glob. */
  public static Selector applications(List<String> names) {
    return new Selector(names, List.of(), List.of());
  }

  /** What a selector is matched against. */
  public record Target(String application, String namespace, String cluster) {}

  /** Whether the selector names that application. */
  public boolean matches(Target target) {
    return any(applications, target.application())
        || any(namespaces, target.namespace())
        || any(clusters, target.cluster());
  }

  private static boolean any(List<String> globs, String value) {
    for (String glob : globs) {
      if (glob(glob).matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
