package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actions/setup-java with the JDKs of this host (found the way the runner finds them; this machine
 * has Debian's 17 and Temurin 25): the asked major is chosen and a later step's {@code java} is it;
 * a major the host lacks fails naming every installed JDK.
 */
class SetupJavaTest {

  @TempDir Path dir;
  TestRuns runs;
  List<InstalledJdk> installed;

  @BeforeEach
  void setUp() throws Exception {
    runs = new TestRuns(dir, BuiltInSettings.defaults());
    installed = new JdkCatalog(List.of()).installed(RunScope.hostEnvironment());
    assertThat(installed).as("this test needs a JDK on the host").isNotEmpty();
  }

  @Test
  void eachAskedMajorIsTheHostsJdkOfThatMajorInLaterSteps() throws Exception {
    Map<Integer, InstalledJdk> byMajor = new LinkedHashMap<>();
    installed.forEach(j -> byMajor.putIfAbsent(j.major(), j));
    for (InstalledJdk jdk : byMajor.values()) {
      int major = jdk.major();
      String yaml =
          """
          on: {push: {tags: ['v*']}}
          jobs:
            j:
              steps:
                - id: setup
                  uses: actions/setup-java@v4
                  with: {java-version: '%d', distribution: temurin}
                - id: seen
                  run: |
                    echo "version=$(java -version 2>&1 | head -n 1)" >> "$GITHUB_OUTPUT"
                    echo "home=$JAVA_HOME" >> "$GITHUB_OUTPUT"
                    echo "arch-home=$JAVA_HOME_%d_X64" >> "$GITHUB_OUTPUT"
                    echo "which=$(command -v java)" >> "$GITHUB_OUTPUT"
          """
              .formatted(major, major);

      RunResult result = runs.run("java-" + major, yaml);

      JobResult j = result.single("j").orElseThrow();
      assertThat(result.conclusion()).as(TestRuns.log(result)).isEqualTo(Conclusion.SUCCESS);
      Map<String, String> setup = j.steps().get(0).outputs();
      assertThat(setup)
          .containsEntry("distribution", "temurin")
          .containsEntry("path", jdk.home().toString());
      assertThat(setup.get("version")).startsWith(major + ".");
      Map<String, String> seen = j.steps().get(1).outputs();
      assertThat(seen.get("version")).contains("version \"" + major);
      assertThat(seen)
          .containsEntry("home", jdk.home().toString())
          .containsEntry("arch-home", jdk.home().toString())
          .containsEntry("which", jdk.home().resolve("bin/java").toString());
      assertThat(TestRuns.log(result)).contains("using the host's JDK " + jdk.describe());
    }
  }

  @Test
  void aMajorTheHostLacksFailsNamingEveryInstalledJdk() throws Exception {
    int missing =
        List.of(8, 11, 19, 23, 99).stream()
            .filter(m -> installed.stream().noneMatch(j -> j.major() == m))
            .findFirst()
            .orElseThrow();
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: actions/setup-java@v4
                with: {java-version: '%d', distribution: zulu}
              - run: echo never
        """
            .formatted(missing);

    RunResult result = runs.run("missing", yaml);

    JobResult j = result.single("j").orElseThrow();
    assertThat(j.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(j.steps().get(1).conclusion()).isEqualTo(Conclusion.SKIPPED);
    String message = j.steps().get(0).message();
    assertThat(message)
        .contains("no JDK on the Tagflow host matches java-version '" + missing + "'")
        .contains("Install it on the host");
    for (InstalledJdk jdk : installed) {
      assertThat(message).contains(jdk.describe());
    }
  }

  @Test
  void theVersionFileRangesAndBadInputsAreReadAsSetupJavaReadsThem() throws Exception {
    InstalledJdk newest = installed.getFirst();
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - run: printf 'nodejs 20\\njava temurin-%s\\n' > .tool-versions
              - id: file
                uses: actions/setup-java@v4
                with: {java-version-file: .tool-versions, distribution: temurin}
              - id: range
                uses: actions/setup-java@v4
                with: {java-version: '>=%d <%d', distribution: temurin}
              - id: x
                uses: actions/setup-java@v4
                with: {java-version: '%d.x', distribution: temurin, architecture: x64}
          bad:
            steps:
              - continue-on-error: true
                uses: actions/setup-java@v4
                with: {java-version: 'seventeen', distribution: temurin}
              - continue-on-error: true
                uses: actions/setup-java@v4
                with: {java-version: '17'}
              - continue-on-error: true
                uses: actions/setup-java@v4
                with: {java-version: '17', distribution: nosuch}
              - continue-on-error: true
                uses: actions/setup-java@v4
                with: {java-version: '%d', distribution: temurin, architecture: ppc64le}
        """
            .formatted(
                newest.major(), newest.major(), newest.major() + 1, newest.major(), newest.major());

    RunResult result = runs.run("forms", yaml);

    JobResult j = result.single("j").orElseThrow();
    assertThat(j.conclusion()).as(TestRuns.log(result)).isEqualTo(Conclusion.SUCCESS);
    for (int step = 1; step <= 3; step++) {
      assertThat(j.steps().get(step).outputs().get("version")).startsWith(newest.major() + ".");
    }
    List<String> messages =
        result.single("bad").orElseThrow().steps().stream().map(StepResult::message).toList();
    assertThat(messages.get(0)).contains("'seventeen' is not a version");
    assertThat(messages.get(1)).isEqualTo("Input required and not supplied: distribution");
    assertThat(messages.get(2)).contains("No supported distribution was found for input nosuch");
    assertThat(messages.get(3)).contains("ppc64le").contains("Installed:");
  }

  @Test
  void cacheMavenKeysOnThePomsAndSavesTheRepositoryAtTheJobsEnd() throws Exception {
    Path home = dir.resolve("home");
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            env: {HOME: %s}
            steps:
              - uses: actions/checkout@v4
              - id: setup
                uses: actions/setup-java@v4
                with: {java-version: '%d', distribution: temurin, cache: maven}
              - run: |
                  if [ ! -f ~/.m2/repository/org/x/x.jar ]; then
                    mkdir -p ~/.m2/repository/org/x && echo jar > ~/.m2/repository/org/x/x.jar
                  fi
        """
            .formatted(home, installed.getFirst().major());

    RunResult first = runs.run("maven-1", yaml);
    CacheStepTest.deleteTree(home);
    RunResult second = runs.run("maven-2", yaml);

    assertThat(first.conclusion()).as(TestRuns.log(first)).isEqualTo(Conclusion.SUCCESS);
    assertThat(first.single("j").orElseThrow().steps().get(1).outputs())
        .containsEntry("cache-hit", "false");
    assertThat(TestRuns.log(first))
        .containsPattern("Cache saved with key: setup-java-Linux-x64-maven-[0-9a-f]{64}");
    assertThat(second.single("j").orElseThrow().steps().get(1).outputs())
        .containsEntry("cache-hit", "true");
    assertThat(Files.readString(home.resolve(".m2/repository/org/x/x.jar"))).isEqualTo("jar\n");
  }

  @Test
  void aJdkInAConfiguredFolderIsFoundByItsReleaseFile() throws Exception {
    // A JDK unpacked by hand: its own release file (a version this host has not), and the host
    // JDK's programs linked in, since the files are what discovery reads.
    InstalledJdk host = installed.getFirst();
    Path folder = Files.createDirectories(dir.resolve("my-jdks/zulu-11"));
    Files.writeString(
        folder.resolve("release"),
        "IMPLEMENTOR=\"Azul Systems, Inc.\"\nJAVA_VERSION=\"11.0.99\"\n"
            + "JAVA_RUNTIME_VERSION=\"11.0.99+7-LTS\"\nOS_ARCH=\"x86_64\"\n");
    Files.createSymbolicLink(folder.resolve("bin"), host.home().resolve("bin"));
    TestRuns configured =
        new TestRuns(
            Files.createDirectories(dir.resolve("configured")),
            new BuiltInSettings(List.of(dir.resolve("my-jdks")), 1 << 20));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: actions/setup-java@v4
                with: {java-version: '11', distribution: zulu}
        """;

    RunResult result = configured.run("configured", yaml);

    Map<String, String> outputs = result.single("j").orElseThrow().steps().get(0).outputs();
    assertThat(outputs)
        .containsEntry("version", "11.0.99+7")
        .containsEntry("path", folder.toRealPath().toString());
    assertThat(TestRuns.log(result)).contains("(Azul Systems, Inc., x64)");
  }

  @Test
  void versionSpecsMatchAsSemverRangesDo() {
    InstalledJdk jdk17 =
        new InstalledJdk(
            Path.of("/j17"), new int[] {17, 0, 15}, "6", "Debian", "x64", true, false, false);
    assertThat(JavaVersionSpec.parse("17").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("17.0").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("17.0.x").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("17.0.15").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("17.0.15+6").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("17.0.15+7").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse("17.0.14").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse("17.1").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse("21").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse(">=11 <18").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse(">17").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse(">17.0.1").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("<=17").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("^17.0.2").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("~17.1").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse("11 - 17").accepts(jdk17)).isTrue();
    assertThat(JavaVersionSpec.parse("11 || 21").accepts(jdk17)).isFalse();
    assertThat(JavaVersionSpec.parse("17-ea").accepts(jdk17)).isFalse();
    assertThat(InstalledJdk.version("1.8.0_392").orElseThrow()).containsExactly(8, 0, 392);
    assertThat(
            JavaVersionSpec.parse("1.8")
                .accepts(
                    new InstalledJdk(
                        Path.of("/j8"), new int[] {8, 0, 392}, "", "x", "x64", true, false, false)))
        .isTrue();
  }
}
