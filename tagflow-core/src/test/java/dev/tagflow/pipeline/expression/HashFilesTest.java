package dev.tagflow.pipeline.expression;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hashFiles over a real workspace directory, the hash computed here the way GitHub describes it.
 */
class HashFilesTest {

  @TempDir Path workspace;
  @TempDir Path elsewhere;

  @BeforeEach
  void files() throws IOException {
    write("pom.xml", "<project/>");
    write("sub/pom.xml", "<project>sub</project>");
    write("sub/deep/build.gradle", "plugins {}");
    write("sub/deep/notes.txt", "notes");
    write(".github/workflows/release.yml", "on: push");
    write("a1.txt", "a1");
    write("b2.txt", "b2");
  }

  private void write(String path, String content) throws IOException {
    Path file = workspace.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private String hashFiles(String... patterns) {
    StringBuilder call = new StringBuilder("hashFiles(");
    for (int i = 0; i < patterns.length; i++) {
      call.append(i == 0 ? "" : ", ")
          .append('\'')
          .append(patterns[i].replace("'", "''"))
          .append('\'');
    }
    Contexts contexts = Contexts.builder().workspace(workspace).build();
    return Expression.parse(call.append(')').toString()).evaluate(contexts).asText();
  }

  /** SHA-256 over the SHA-256 of each file, in the order given: what GitHub's hashFiles does. */
  private String expected(String... paths) throws Exception {
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (String path : paths) {
      all.update(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(workspace.resolve(path))));
    }
    return HexFormat.of().formatHex(all.digest());
  }

  @Test
  void hashesEveryMatchedFileInPathOrder() throws Exception {
    assertThat(hashFiles("**/pom.xml")).isEqualTo(expected("pom.xml", "sub/pom.xml"));
    assertThat(hashFiles("pom.xml")).isEqualTo(expected("pom.xml"));
  }

  @Test
  void hashesForACallerOutsideAnExpressionToo() throws Exception {
    Contexts contexts = Contexts.builder().workspace(workspace).build();
    assertThat(contexts.hashFiles(java.util.List.of("**/pom.xml")))
        .isEqualTo(expected("pom.xml", "sub/pom.xml"));
  }

  @Test
  void isEmptyWhenNothingMatches() {
    assertThat(hashFiles("**/package-lock.json")).isEmpty();
    assertThat(hashFiles("!**")).isEmpty();
  }

  @Test
  void excludesWithALaterNegatedPatternAndIncludesAgainWithALaterPositiveOne() throws Exception {
    assertThat(hashFiles("**/*.xml", "!sub/**")).isEqualTo(expected("pom.xml"));
    assertThat(hashFiles("!sub/**", "**/*.xml")).isEqualTo(expected("pom.xml", "sub/pom.xml"));
    assertThat(hashFiles("**/*.xml\n!sub/**\n# a comment\n\n")).isEqualTo(expected("pom.xml"));
  }

  @Test
  void hashesTheFilesOfAMatchedDirectory() throws Exception {
    assertThat(hashFiles("sub/deep"))
        .isEqualTo(expected("sub/deep/build.gradle", "sub/deep/notes.txt"));
    assertThat(hashFiles("sub/deep/"))
        .isEqualTo(expected("sub/deep/build.gradle", "sub/deep/notes.txt"));
  }

  @Test
  void matchesWildcardsClassesAndHiddenFiles() throws Exception {
    assertThat(hashFiles("?1.txt")).isEqualTo(expected("a1.txt"));
    assertThat(hashFiles("[ab][0-1].txt")).isEqualTo(expected("a1.txt"));
    assertThat(hashFiles("[!a]*.txt")).isEqualTo(expected("b2.txt"));
    assertThat(hashFiles("**/*.yml")).isEqualTo(expected(".github/workflows/release.yml"));
    assertThat(hashFiles("sub/**/*.gradle")).isEqualTo(expected("sub/deep/build.gradle"));
    assertThat(hashFiles(workspace + "/pom.xml")).isEqualTo(expected("pom.xml"));
    assertThat(hashFiles("./sub/../pom.xml")).isEqualTo(expected("pom.xml"));
  }

  @Test
  void changesWhenAFileChanges() throws Exception {
    String before = hashFiles("**/pom.xml");
    write("sub/pom.xml", "<project>changed</project>");
    assertThat(hashFiles("**/pom.xml")).isNotEqualTo(before);
  }

  @Test
  void refusesPatternsThatLeaveTheWorkspace() {
    assertThatThrownBy(() -> hashFiles("../**"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("reaches outside the workspace");
    assertThatThrownBy(() -> hashFiles("sub/../../x"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("reaches outside the workspace");
    assertThatThrownBy(() -> hashFiles("/etc/passwd"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("reaches outside the workspace");
    assertThatThrownBy(() -> hashFiles("~/.ssh/id_rsa"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("reaches outside the workspace");
    assertThatThrownBy(() -> hashFiles("**/../../x"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("reaches outside the workspace");
  }

  @Test
  void refusesALinkToAFileOutsideTheWorkspace() throws IOException {
    Files.writeString(elsewhere.resolve("secret"), "host secret", UTF_8);
    Files.createSymbolicLink(workspace.resolve("leak.txt"), elsewhere.resolve("secret"));
    assertThatThrownBy(() -> hashFiles("*.txt"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("leak.txt is a link to a file outside the workspace");
  }

  @Test
  void followsDirectoryLinksOnlyWhenAskedAndOnlyInsideTheWorkspace() throws Exception {
    Files.createSymbolicLink(workspace.resolve("alias"), workspace.resolve("sub/deep"));
    assertThat(hashFiles("alias/**")).isEmpty();
    assertThat(hashFiles("--follow-symbolic-links", "alias/**"))
        .isEqualTo(expected("alias/build.gradle", "alias/notes.txt"));

    Files.writeString(elsewhere.resolve("secret"), "host secret", UTF_8);
    Files.createSymbolicLink(workspace.resolve("out"), elsewhere);
    assertThat(hashFiles("out/**")).isEmpty();
    assertThatThrownBy(() -> hashFiles("out/secret"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("outside the workspace");
    assertThatThrownBy(() -> hashFiles("--follow-symbolic-links", "**"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("outside the workspace");
  }

  @Test
  void stopsAtTheLimitOfFiles() {
    Contexts contexts =
        Contexts.builder()
            .workspace(workspace)
            .limits(new ExpressionLimits(21_000, 50, 1 << 20, 16L << 20, 1_000_000, 100, 3))
            .build();
    assertThatThrownBy(() -> Expression.parse("hashFiles('**')").evaluate(contexts))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("match more than 3 files");
  }

  @Test
  void saysSoWhenTheWorkspaceIsNotThere() {
    Contexts contexts = Contexts.builder().workspace(workspace.resolve("gone")).build();
    assertThatThrownBy(() -> Expression.parse("hashFiles('**')").evaluate(contexts))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("is not there");
  }
}
