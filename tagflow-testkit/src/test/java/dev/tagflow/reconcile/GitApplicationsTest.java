package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.reconcile.ApplicationRegistry.SourceProblem;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.yaml.YamlLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of Application files in a real Git repository, attacked; no cluster needed. */
class GitApplicationsTest {

  @TempDir Path root;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ApplicationRegistry registry = ApplicationRegistry.withDefaults();
  private final List<String> heard = new ArrayList<>();
  private RemoteAccess remotes;
  private RepoCache repos;
  private GitWorkTree repo;

  @BeforeEach
  void open() {
    remotes = RemoteAccess.anonymous(meters);
    repos = new RepoCache(root.resolve("mirrors"), remotes, meters, Clock.systemUTC());
    repo = GitWorkTree.init(root.resolve("env"));
    registry.addListener(
        change -> heard.add(change.getClass().getSimpleName() + " " + change.name()));
  }

  @AfterEach
  void close() {
    repos.close();
    remotes.close();
  }

  private GitApplications source(String path, ApplicationLoader loader) {
    return new GitApplications(
        new GitApplications.Location("env", repo.url(), "main", path), repos, registry, loader);
  }

  private static String app(String name) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %s}
        spec:
          source: {repoURL: "https://git.example.com/env.git", path: %s}
          destination: {cluster: local, namespace: shop}
        """
        .formatted(name, name);
  }

  private List<String> problems() {
    return registry.problems().stream().map(SourceProblem::message).toList();
  }

  @Test
  void aLinkLeadingOutOfTheFolderKeepsTheApplicationsReadBefore() throws IOException {
    repo.write("apps/a.yaml", app("a")).write("apps/b.yaml", app("b")).write("secret.yaml", "x");
    repo.commit("a and b");
    GitApplications apps = source("apps", new ApplicationLoader());
    apps.load();
    Files.createSymbolicLink(root.resolve("env/apps/c.yaml"), Path.of("../secret.yaml"));
    repo.commit("a link out of the folder");
    repos.fetch(repo.url());

    apps.load();

    assertThat(registry.list()).extracting(r -> r.application().name()).containsExactly("a", "b");
    assertThat(problems())
        .singleElement()
        .satisfies(m -> assertThat(m).contains("cannot list apps"));
  }

  @Test
  void anOversizedFileIsRefusedByItsSizeAndTheOthersRegister() {
    repo.write("apps/a.yaml", app("a"));
    repo.write("apps/huge.yaml", app("huge") + "#" + "x".repeat(4096) + "\n");
    repo.commit("a and a huge file");
    YamlLimits small = new YamlLimits(2048, 200, 1_000_000, 1_000_000, 100);

    source("apps", new ApplicationLoader(small)).load();

    assertThat(registry.list()).extracting(r -> r.application().name()).containsExactly("a");
    assertThat(registry.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.where()).isEqualTo("env:apps/huge.yaml"));
  }

  @Test
  void twoSourcesDefiningOneNameIsAConflictNotLastWins() {
    repo.write("team-a/web.yaml", app("web")).write("team-b/web.yaml", app("web"));
    repo.commit("two teams, one name");

    source("team-a", new ApplicationLoader()).load();
    source("team-b", new ApplicationLoader()).load();

    assertThat(registry.list())
        .singleElement()
        .satisfies(r -> assertThat(r.source()).isEqualTo("git:env/team-a@main"));
    assertThat(registry.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.source()).isEqualTo("git:env/team-b@main");
              assertThat(p.message())
                  .contains("'web' is already registered from git:env/team-a@main");
            });
  }

  @Test
  void aCommitElsewhereInTheRepositoryChangesNothingAndAMissingFolderIsHeldByTheBreaker() {
    repo.write("apps/a.yaml", app("a")).write("apps/b.yaml", app("b"));
    repo.commit("a and b");
    GitApplications apps = source("apps", new ApplicationLoader());
    apps.load();
    repo.write("elsewhere/readme.md", "hello");
    repo.commit("elsewhere");
    repos.fetch(repo.url());

    apps.load();

    assertThat(heard).containsExactly("Added a", "Added b");

    repo.git("mv", "apps", "applications");
    repo.commit("renamed the folder");
    repos.fetch(repo.url());
    apps.load();

    assertThat(registry.list()).hasSize(2);
    assertThat(problems())
        .anySatisfy(m -> assertThat(m).contains("it holds no applications"))
        .anySatisfy(m -> assertThat(m).contains("would remove 2 of its 2 applications at once"));
    assertThat(heard).containsExactly("Added a", "Added b");
  }
}
