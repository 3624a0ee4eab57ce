package dev.tagflow.yaml;

/**
 * Hostile YAML for tests: small files that stand for huge or endless documents. Public so that the
 * tests of every package that reads YAML can feed them to their reader.
 */
public final class Bombs {

  private Bombs() {}

  /**
   * "Billion laughs" with lists: {@code l0: &l0 [lol, lol]}, then each level a list of two aliases
   * of the level before, so level n stands for 2<sup>n+1</sup> values; 30 levels in 1 KB stand for
   * two billion.
   *
   * @param indent spaces before each line, to put the bomb under a key
   */
  public static String chainedLists(int levels, String indent) {
    StringBuilder yaml = new StringBuilder(indent + "l0: &l0 [lol, lol]\n");
    for (int i = 1; i <= levels; i++) {
      yaml.append(indent)
          .append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [*l")
          .append(i - 1)
          .append(", *l")
          .append(i - 1)
          .append("]\n");
    }
    return yaml.toString();
  }

  /** The same with mappings: each level a mapping of two keys, both aliases of the level before. */
  public static String chainedMappings(int levels, String indent) {
    StringBuilder yaml = new StringBuilder(indent + "m0: &m0 {a: lol, b: lol}\n");
    for (int i = 1; i <= levels; i++) {
      yaml.append(indent)
          .append("m")
          .append(i)
          .append(": &m")
          .append(i)
          .append(" {a: *m")
          .append(i - 1)
          .append(", b: *m")
          .append(i - 1)
          .append("}\n");
    }
    return yaml.toString();
  }

  /** Lists nested {@code depth} levels deep, in flow style: {@code [[[[…]]]]}. */
  public static String nestedLists(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** A Kubernetes object (a ConfigMap) whose data holds the bomb. */
  public static String configMap(String bomb) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: laughs\ndata:\n" + bomb;
  }
}
