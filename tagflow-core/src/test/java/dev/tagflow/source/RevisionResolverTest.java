package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevisionResolverTest {

  GitWorkTree git;
  Repository repository;
  final Map<String, String> commitOfTag = new HashMap<>();
  final RevisionResolver resolver = new RevisionResolver();

  @BeforeAll
  void makeRepository(@TempDir Path root) throws IOException {
    git = GitWorkTree.init(root.resolve("app"));
    int n = 0;
    for (String tag :
        new String[] {
          "1.0.0",
          "v1.1.0",
          "v1.2.0",
          "v1.2.5",
          "v1.3.0-rc.1",
          "v2.0.0",
          "prod-v1.4.0",
          "prod-v1.5.0-beta.1",
          "nightly"
        }) {
      commitOfTag.put(tag, git.commitFile("version.txt", tag + "\n", "release " + tag + " " + n++));
      git.git("tag", "-a", "-m", "release " + tag, tag);
    }
    git.git("branch", "release");
    git.commitFile("version.txt", "next\n", "work after the last tag");
    repository = new FileRepositoryBuilder().setGitDir(root.resolve("app/.git").toFile()).build();
  }

  @AfterAll
  void close() {
    repository.close();
  }

  @ParameterizedTest(name = "{0} resolves to tag {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "*                ; v2.0.0",
        "1.x              ; v1.2.5",
        "1.2.x            ; v1.2.5",
        "~1.2             ; v1.2.5",
        "^1               ; v1.2.5",
        ">=1.0.0 <1.2.0   ; v1.1.0",
        "1.0.x            ; 1.0.0",
        "v1.1             ; v1.1.0",
        ">=1.3.0-rc.0 <2  ; v1.3.0-rc.1",
        "^1 || ^2         ; v2.0.0",
        "prod-v^1         ; prod-v1.4.0",
        "prod-v1.x        ; prod-v1.4.0",
        "^prod-v1.5.0-beta.0 ; prod-v1.5.0-beta.1",
      })
  void resolvesVersionRangesToTheHighestMatchingTag(String range, String tag) {
    Revision revision = resolver.resolve(repository, "app", range);

    assertThat(revision.kind()).isEqualTo(Revision.Kind.VERSION_RANGE);
    assertThat(revision.tag()).contains(tag);
    assertThat(revision.ref()).contains("refs/tags/" + tag);
    assertThat(revision.commit()).isEqualTo(commitOfTag.get(tag));
  }

  @Test
  void namesTheTagsItSawWhenNoTagMatchesARange() {
    assertThatThrownBy(() -> resolver.resolve(repository, "app", "^3"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("no tag of app matches the version range '^3'")
        .hasMessageContaining("prereleases excluded")
        .hasMessageContaining("tags seen: 1.0.0, nightly, prod-v1.4.0");
  }

  @Test
  void resolvesABranch() {
    Revision revision = resolver.resolve(repository, "app", "release");

    assertThat(revision.kind()).isEqualTo(Revision.Kind.BRANCH);
    assertThat(revision.ref()).contains("refs/heads/release");
    assertThat(revision.commit()).isEqualTo(commitOfTag.get("nightly"));
  }

  @Test
  void resolvesAnAnnotatedTagToItsCommitAndVersion() {
    Revision revision = resolver.resolve(repository, "app", "v1.2.0");

    assertThat(revision.kind()).isEqualTo(Revision.Kind.TAG);
    assertThat(revision.commit()).isEqualTo(commitOfTag.get("v1.2.0"));
    assertThat(revision.version()).contains(SemVer.of(1, 2, 0));
  }

  @Test
  void resolvesAFullRefName() {
    assertThat(resolver.resolve(repository, "app", "refs/tags/nightly").commit())
        .isEqualTo(commitOfTag.get("nightly"));
  }

  @Test
  void resolvesHeadToTheDefaultBranch() {
    Revision revision = resolver.resolve(repository, "app", "HEAD");

    assertThat(revision.kind()).isEqualTo(Revision.Kind.HEAD);
    assertThat(revision.ref()).contains("refs/heads/main");
    assertThat(revision.commit()).isEqualTo(git.git("rev-parse", "main").strip());
  }

  @Test
  void resolvesAFullAndAShortCommitId() {
    String commit = commitOfTag.get("v1.1.0");

    assertThat(resolver.resolve(repository, "app", commit).kind()).isEqualTo(Revision.Kind.COMMIT);
    assertThat(resolver.resolve(repository, "app", commit.substring(0, 7)).commit())
        .isEqualTo(commit);
  }

  @Test
  void saysAFullCommitIdIsNotInTheRepository() {
    assertThatThrownBy(() -> resolver.resolve(repository, "app", "0".repeat(40)))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("commit " + "0".repeat(40) + " is not in app");
  }

  @Test
  void namesBranchesAndTagsWhenARevisionIsUnknown() {
    assertThatThrownBy(() -> resolver.resolve(repository, "app", "develop"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("'develop' is not a branch, tag or commit of app")
        .hasMessageContaining("branches: main, release");
  }
}
