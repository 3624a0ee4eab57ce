package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.GroupKind;
import dev.tagflow.TagflowException;
import dev.tagflow.source.Revision;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRenderTest {

  static final RenderTarget TARGET =
      new RenderTarget(
          "shop",
          new Capabilities(
              "v1.37.2",
              Set.of("v1", "apps/v1"),
              Set.of(new GroupKind("", "ConfigMap"), new GroupKind("apps", "Deployment")),
              Set.of(
                  new GroupKind("", "Namespace"),
                  new GroupKind("rbac.authorization.k8s.io", "ClusterRole"))));

  @TempDir Path root;
  GitFixture repo;

  @BeforeEach
  void repository() {
    repo = new GitFixture(root, Optional.empty());
  }

  @AfterEach
  void close() {
    repo.close();
  }

  RenderSource source(String path, SourceKind kind) {
    return new RenderSource("web", repo.url(), path, "main", kind);
  }

  List<Manifest> render(String path, SourceKind kind, Revision revision) {
    return repo.render(source(path, kind), revision, TARGET);
  }

  static String configMap(String name) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata: {a: b}\n";
  }

  @Test
  void readsEveryDocumentOfMultiDocumentFilesAndSkipsEmptyOnes() {
    repo.write(
        "app/all.yaml",
        "---\n" + configMap("one") + "---\n---\n# only a comment\n---\n" + configMap("two"));
    Revision revision = repo.commit("two config maps");

    List<Manifest> manifests = render("app", SourceKind.Directory.plain(), revision);

    assertThat(manifests)
        .extracting(m -> m.object().getMetadata().getName(), Manifest::file, Manifest::document)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("one", "app/all.yaml", 0),
            org.assertj.core.groups.Tuple.tuple("two", "app/all.yaml", 3));
    assertThat(manifests.get(1).line()).isEqualTo(11);
  }

  @Test
  void expandsListKindsIntoTheirItems() {
    repo.write(
        "app/list.yaml",
        "apiVersion: v1\nkind: List\nitems:\n"
            + "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
            + "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n");
    repo.write(
        "app/maps.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMapList\", \"items\": ["
            + "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\"}}]}");
    Revision revision = repo.commit("lists");

    assertThat(render("app", SourceKind.Directory.plain(), revision))
        .extracting(m -> m.object().getMetadata().getName())
        .containsExactly("a", "b", "c");
  }

  @Test
  void readsSubdirectoriesOnlyWithRecurseAndFiltersWithIncludeAndExclude() {
    repo.write("app/top.yaml", configMap("top"));
    repo.write("app/nested/deep.yml", configMap("deep"));
    repo.write("app/nested/skip-me.yaml", configMap("skipped"));
    repo.write("app/README.md", "not a manifest");
    Revision revision = repo.commit("tree");

    assertThat(names(render("app", SourceKind.Directory.plain(), revision))).containsExactly("top");
    assertThat(
            names(
                render(
                    "app",
                    new SourceKind.Directory(true, Optional.empty(), Optional.of("**/skip-*")),
                    revision)))
        .containsExactly("deep", "top");
    assertThat(
            names(
                render(
                    "app",
                    new SourceKind.Directory(true, Optional.of("nested/*"), Optional.empty()),
                    revision)))
        .containsExactly("deep", "skipped");
  }

  @Test
  void givesNamespacedKindsTheDestinationNamespaceButNeverClusterScopedOnes() {
    repo.write(
        "app/objects.yaml",
        configMap("defaulted")
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept, namespace: other}\n"
            + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
            + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n"
            + "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            + "metadata: {name: gadgets.example.com}\n"
            + "spec: {group: example.com, scope: Cluster, names: {kind: Gadget, plural: gadgets}}\n"
            + "---\napiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: global}\n"
            + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: unknown-kind}\n");
    Revision revision = repo.commit("scopes");

    assertThat(render("app", SourceKind.Directory.plain(), revision))
        .extracting(
            m -> m.object().getMetadata().getName(), m -> m.object().getMetadata().getNamespace())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("defaulted", "shop"),
            org.assertj.core.groups.Tuple.tuple("kept", "other"),
            org.assertj.core.groups.Tuple.tuple("shop", null),
            org.assertj.core.groups.Tuple.tuple("reader", null),
            org.assertj.core.groups.Tuple.tuple("gadgets.example.com", null),
            org.assertj.core.groups.Tuple.tuple("global", null),
            org.assertj.core.groups.Tuple.tuple("unknown-kind", "shop"));
  }

  @Test
  void leavesNamespacesAsWrittenWhenTheDestinationNamesNone() {
    repo.write("app/cm.yaml", configMap("settings"));
    Revision revision = repo.commit("one");

    List<Manifest> manifests =
        repo.render(
            source("app", SourceKind.Directory.plain()),
            revision,
            new RenderTarget("", TARGET.capabilities()));

    assertThat(manifests.getFirst().object().getMetadata().getNamespace()).isNull();
  }

  @Test
  void refusesTheSameObjectTwiceNamingBothFiles() {
    repo.write("app/a.yaml", configMap("settings"));
    repo.write(
        "app/b.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n");
    Revision revision = repo.commit("duplicate");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "duplicate object ConfigMap shop/settings: in app/a.yaml (document 1, line 1) and in"
                + " app/b.yaml (document 1, line 1); each object may be defined once");
  }

  @Test
  void namesFileLineAndColumnOfAYamlSyntaxError() {
    repo.write(
        "app/bad.yaml",
        configMap("fine") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n");
    Revision revision = repo.commit("broken yaml");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "app/bad.yaml:10:16: invalid YAML: while parsing a flow sequence: expected ',' or ']',"
                + " but got <stream end>");
  }

  @Test
  void namesFileLineAndColumnOfAJsonSyntaxError() {
    repo.write("app/bad.json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\" \"ConfigMap\"\n}\n");
    Revision revision = repo.commit("broken json");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .hasMessageStartingWith("app/bad.json:3:10: invalid JSON: ");
  }

  @Test
  void refusesAFieldWrittenTwiceNamingFileLineAndColumn() {
    repo.write(
        "app/twice.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
    Revision revision = repo.commit("field twice");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .hasMessageStartingWith("app/twice.yaml:5:")
        .hasMessageContaining("Duplicate field 'name'");
  }

  @Test
  void rendersFromSeveralThreadsAsFromOne() throws Exception {
    for (int i = 0; i < 8; i++) {
      repo.write("apps/a" + i + "/cm.yaml", configMap("cm-" + i));
    }
    Revision revision = repo.commit("eight apps");
    List<RenderRequest> requests = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(
          new RenderRequest(source("apps/a" + i, SourceKind.Directory.plain()), revision, TARGET));
    }

    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      List<java.util.concurrent.Future<List<Manifest>>> futures = new java.util.ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (RenderRequest request : requests) {
          futures.add(
              pool.submit(
                  () ->
                      repo.renderer.render(
                          request.source(), request.revision(), request.target())));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(names(futures.get(i).get())).containsExactly("cm-" + (i % 8));
      }
    }
  }

  @Test
  void refusesAnObjectWithoutANameNamingFileAndLine() {
    repo.write(
        "app/nameless.yaml",
        configMap("ok") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
    Revision revision = repo.commit("nameless");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .hasMessage(
            "app/nameless.yaml:7: the object in document 2 has no metadata.name; every Kubernetes"
                + " object needs apiVersion, kind and metadata.name");
  }

  @Test
  void refusesAFieldOfEveryObjectWrittenWithTheWrongTypeNamingIt() {
    // Found by ManifestParserFuzzTest: fabric8's IllegalArgumentException escaped the renderer.
    repo.write(
        "app/labels.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app: [web]\n");
    Revision revision = repo.commit("a label that is a list");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "app/labels.yaml:1: the object in document 1 has metadata.labels.app of the wrong"
                + " type: Kubernetes takes text there");
  }

  @Test
  void acceptsAHookWithGenerateNameButNoOtherObjectWithoutAName() {
    String hook =
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          generateName: db-migrate-
          annotations: {argocd.argoproj.io/hook: PreSync}
        spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: m}]}}}
        """;
    repo.write("app/hook.yaml", hook);
    Revision withHook = repo.commit("hook");

    List<Manifest> manifests = render("app", SourceKind.Directory.plain(), withHook);

    assertThat(manifests)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.object().getMetadata().getGenerateName()).isEqualTo("db-migrate-");
              assertThat(m.subject()).isEqualTo("Job/shop/db-migrate-");
            });

    repo.write("app/plain.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: x-}\n");
    Revision withPlain = repo.commit("plain object with generateName");
    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), withPlain))
        .hasMessageContaining("app/plain.yaml:1: the object in document 1 has no metadata.name");
  }

  @Test
  void everyKindOfHookAnnotationMakesAHookThatMayGoWithoutAName() {
    for (String annotation : List.of("tagflow.dev/hook", "argocd.argoproj.io/hook")) {
      repo.write(
          "app/hook.yaml",
          """
          apiVersion: batch/v1
          kind: Job
          metadata:
            generateName: db-migrate-
            annotations: {%s: PreSync}
          spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: m}]}}}
          """
              .formatted(annotation));
      Revision revision = repo.commit("hook " + annotation);

      List<Manifest> manifests = render("app", SourceKind.Directory.plain(), revision);

      assertThat(manifests).as(annotation).singleElement().matches(Manifest::hook);
    }
  }

  @Test
  void refusesAnObjectWithoutKind() {
    repo.write("app/kindless.yaml", "apiVersion: v1\nmetadata: {name: x}\n");
    Revision revision = repo.commit("kindless");

    assertThatThrownBy(() -> render("app", SourceKind.Directory.plain(), revision))
        .hasMessageContaining("app/kindless.yaml:1: the object in document 1 has no kind");
  }

  @Test
  void answersFromTheCacheWhenOnlyASiblingPathChanged() {
    repo.write("apps/web/cm.yaml", configMap("web"));
    repo.write("apps/api/cm.yaml", configMap("api"));
    Revision first = repo.commit("two apps");
    render("apps/web", SourceKind.Directory.plain(), first);

    repo.write("apps/api/cm.yaml", configMap("api-v2"));
    Revision second = repo.commit("only api changed");
    List<Manifest> again = render("apps/web", SourceKind.Directory.plain(), second);

    assertThat(names(again)).containsExactly("web");
    assertThat(repo.cacheCount("hit")).isEqualTo(1);
    assertThat(repo.cacheCount("miss")).isEqualTo(1);

    repo.write("apps/web/cm.yaml", configMap("web-v2"));
    Revision third = repo.commit("web changed");
    assertThat(names(render("apps/web", SourceKind.Directory.plain(), third)))
        .containsExactly("web-v2");
    assertThat(repo.cacheCount("miss")).isEqualTo(2);
  }

  @Test
  void rendersAgainOnceTheRendererForgotItsRenders() {
    repo.write("app/cm.yaml", configMap("web"));
    Revision revision = repo.commit("one");
    render("app", SourceKind.Directory.plain(), revision);
    render("app", SourceKind.Directory.plain(), revision);

    repo.renderer.forgetRenders();

    assertThat(names(render("app", SourceKind.Directory.plain(), revision))).containsExactly("web");
    assertThat(repo.cacheCount("hit")).isEqualTo(1);
    assertThat(repo.cacheCount("miss")).isEqualTo(2);
  }

  @Test
  void givesEveryCallerItsOwnObjectsSoChangesDoNotReachTheCache() {
    repo.write("app/cm.yaml", configMap("web"));
    Revision revision = repo.commit("one");
    render("app", SourceKind.Directory.plain(), revision)
        .getFirst()
        .object()
        .getMetadata()
        .setName("changed");

    assertThat(names(render("app", SourceKind.Directory.plain(), revision))).containsExactly("web");
  }

  @Test
  void rendersTheOtherSourcesWhenOneIsBroken() {
    repo.write("good/cm.yaml", configMap("good"));
    repo.write("bad/cm.yaml", "kind: [");
    Revision revision = repo.commit("one good, one bad");

    List<RenderResult> results =
        repo.renderer.renderAll(
            List.of(
                new RenderRequest(source("bad", SourceKind.Directory.plain()), revision, TARGET),
                new RenderRequest(source("good", SourceKind.Directory.plain()), revision, TARGET)));

    assertThat(results.get(0)).isInstanceOf(RenderResult.Failed.class);
    assertThat(((RenderResult.Failed) results.get(0)).message()).startsWith("bad/cm.yaml:1:");
    assertThat(((RenderResult.Rendered) results.get(1)).manifests()).hasSize(1);
  }

  @Test
  void refusesAnInvalidGlob() {
    repo.write("app/cm.yaml", configMap("web"));
    Revision revision = repo.commit("one");

    assertThatThrownBy(
            () ->
                render(
                    "app",
                    new SourceKind.Directory(false, Optional.of("{a,"), Optional.empty()),
                    revision))
        .hasMessageStartingWith("the directory include pattern '{a,' is not a valid glob");
  }

  static List<String> names(List<Manifest> manifests) {
    return manifests.stream().map(m -> m.object().getMetadata().getName()).sorted().toList();
  }
}
