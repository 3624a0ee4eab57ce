/**
 * Reading YAML that someone else wrote, within bounds: Application files, manifests, values files,
 * kustomization files, health rules, what Helm and kustomize print. Every YAML Tagflow reads goes
 * through here; nothing else in Tagflow parses YAML.
 *
 * <p>{@link dev.tagflow.yaml.YamlLimits} is the policy, with defaults explained where they are set:
 *
 * <ul>
 *   <li>A file over 10 MiB is refused by its size, before it is read ({@link
 *       dev.tagflow.yaml.YamlLimits#readFile}; a file in Git by its blob's size, see {@code
 *       TreeReader.size}).
 *   <li>Aliases are resolved to the values they stand for, and what they expand to is counted
 *       without expanding it: past 1,000,000 nodes, 32 MiB of text or 200 levels of nesting the
 *       read stops at the alias that passed the limit, with file:line:column and the limit. A
 *       "billion laughs" file of 30 chained aliases fails at once instead of filling the heap.
 *   <li>Merge keys ({@code <<: *base}, {@code <<: [*a, *b]}) are merged as YAML defines them; a
 *       quoted {@code "<<"} is an ordinary key.
 *   <li>An alias inside the node it names, or naming no anchor, is an error, not a loop.
 * </ul>
 *
 * <p>Two readers, for two kinds of caller: {@link dev.tagflow.yaml.YamlReader} gives Jackson trees
 * (manifests, values, anything bound to Jackson types), built here from SnakeYAML's events with
 * scalars typed as YAML 1.1 types them ({@link dev.tagflow.yaml.ScalarTyping}: {@code yes} is true,
 * {@code 0755} octal), and {@link dev.tagflow.yaml.YamlComposer} gives SnakeYAML's node graph with
 * the line and column of every node (the Application loader, which reports every mistake where it
 * is). Both count with the same meter, so they refuse the same files. YAML that another program
 * reads (a chart's values for Helm, an overlay's resources for kubectl) is only measured, with
 * {@link dev.tagflow.yaml.YamlReader#checkLimits}, before that program spends its time on it; its
 * syntax stays that program's to judge.
 *
 * <p>Every YAML Tagflow writes is written by {@link dev.tagflow.yaml.YamlOutput}, as YAML 1.1
 * readers (Kubernetes', Helm's) read it back.
 *
 * <pre>{@code
 * YamlReader yaml = new YamlReader(YamlLimits.defaults(), true);
 * for (YamlDocument document : yaml.read(Path.of("deploy.yaml"))) {
 *   JsonNode object = document.value(); // line: document.line()
 * }
 * }</pre>
 */
package dev.tagflow.yaml;
