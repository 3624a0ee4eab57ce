package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.Problem;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile workflow files: each is refused with where and why, never loaded half or hung on. */
class WorkflowAttackTest {

  private static final String JOBS = "jobs: {a: {steps: [{run: x}]}}\n";

  @TempDir Path root;

  @Test
  void aFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws IOException {
    write(".github/workflows/huge.yml", "on: push\n" + JOBS + "# " + "x".repeat(11 * 1024 * 1024));

    WorkflowSet set = new WorkflowLoader().load(root);

    assertThat(set.workflows()).isEmpty();
    assertThat(set.problems())
        .extracting(Problem::toString)
        .containsExactly(
            ".github/workflows/huge.yml:1:1: the file is 11,534,378 bytes, more"
                + " than the 10 MiB Tagflow reads from one YAML file; split it into smaller"
                + " files");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedWhereItPassesIt() {
    String deep = "[".repeat(300) + "]".repeat(300);

    List<Problem> problems =
        WorkflowLoaderTest.problems("w.yml", "on: push\nenv: {A: " + deep + "}\n" + JOBS);

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().line()).isEqualTo(2);
    assertThat(problems.getFirst().message()).contains("200 levels deep");
  }

  @Test
  void aBillionLaughsOfAliasesIsRefusedWithoutExpandingIt() {
    StringBuilder bomb = new StringBuilder("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 30; i++) {
      bomb.append("x").append(i).append(": &a").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(8, "*a" + (i - 1))));
      bomb.append("]\n");
    }
    String text =
        "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n"
            + bomb.toString().indent(8)
            + "    steps: [{run: x}]\n";

    List<Problem> problems = WorkflowLoaderTest.problems("w.yml", text);

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().message())
        .contains("the limit Tagflow reads from one file (aliases of aliases multiply");
  }

  @Test
  void aMatrixOfAstronomicalSizeIsRefusedWithoutMakingItsCombinations() {
    StringBuilder axes = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      axes.append("a").append(i).append(": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
    }

    List<Problem> problems = WorkflowLoaderTest.problems("w.yml", matrixWorkflow(axes.toString()));

    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "w.yml:6:9: jobs.a.strategy.matrix makes more than 9,223,372,036,854,775,807"
                + " combinations of its axes; a matrix runs at most 256 jobs (GitHub's limit"
                + " too): use fewer axes or values");
  }

  @Test
  void aMatrixPastTwoHundredFiftySixJobsIsRefusedAndOneExcludedDownToItLoads() {
    String values17 = "[" + String.join(", ", range(17)) + "]";
    String values16 = "[" + String.join(", ", range(16)) + "]";

    assertThat(
            WorkflowLoaderTest.problems(
                "w.yml", matrixWorkflow("x: " + values17 + "\ny: " + values16 + "\n")))
        .extracting(Problem::message)
        .containsExactly(
            "jobs.a.strategy.matrix makes 272 jobs after include and exclude; a matrix runs at"
                + " most 256 (GitHub's limit too): use fewer axes or values");
    Workflow w =
        new WorkflowLoader()
            .load(
                "w.yml",
                matrixWorkflow(
                    "x: " + values17 + "\ny: " + values16 + "\nexclude:\n  - {x: 16}\n"));
    assertThat(((Matrix.Values) w.jobs().get("a").strategy().orElseThrow().matrix()).combinations())
        .hasSize(256);
  }

  @Test
  void weirdKeysAreNamedNotFollowed() {
    String text =
        """
        On: push
        ? [a, b]
        : x
        ~: null key
        name: one
        name: two
        """
            + "? "
            + "k".repeat(10_000)
            + "\n: long\n"
            + "ｏｎ: fullwidth\n"
            + JOBS;

    List<Problem> problems = WorkflowLoaderTest.problems("w.yml", text);

    assertThat(problems)
        .extracting(Problem::toString)
        .contains(
            "w.yml:1:1: unknown key 'On' in the workflow; did you mean 'on'? (allowed: name,"
                + " run-name, on, permissions, env, defaults, concurrency, jobs)",
            "w.yml:2:3: a key in the workflow must be text",
            "w.yml:6:1: duplicate key 'name' in the workflow");
    assertThat(problems)
        .filteredOn(p -> p.line() == 7)
        .extracting(Problem::message)
        .singleElement()
        .satisfies(m -> assertThat(m).startsWith("unknown key '" + "k".repeat(80) + "…' in"));
    assertThat(problems).anyMatch(p -> p.message().startsWith("unknown key 'ｏｎ'"));
    assertThat(problems).anyMatch(p -> p.message().startsWith("the workflow has no 'on:'"));
  }

  @Test
  void longIdsAndTooManyJobsAreRefused() {
    String longId = "j".repeat(101);
    assertThat(
            WorkflowLoaderTest.problems(
                "w.yml", "on: push\njobs:\n  " + longId + ": {steps: [{run: x}]}\n"))
        .extracting(Problem::message)
        .containsExactly(
            "job id '" + "j".repeat(80) + "…' is 101 characters long; Tagflow takes at most 100");

    StringBuilder many = new StringBuilder("on: push\njobs:\n");
    for (int i = 0; i < 300; i++) {
      many.append("  j").append(i).append(": {steps: [{run: x}]}\n");
    }
    assertThat(WorkflowLoaderTest.problems("w.yml", many.toString()))
        .extracting(Problem::message)
        .containsExactly(
            "jobs: has 300 jobs; Tagflow runs at most 256 jobs per workflow (GitHub's cap for a"
                + " matrix); split the workflow");
  }

  @Test
  void aLongChainOfNeedsLoadsAndALongCycleIsNamed() {
    StringBuilder chain = new StringBuilder("on: push\njobs:\n  j0: {steps: [{run: x}]}\n");
    for (int i = 1; i < 256; i++) {
      chain
          .append("  j")
          .append(i)
          .append(": {needs: j")
          .append(i - 1)
          .append(", steps: [{run: x}]}\n");
    }
    assertThat(new WorkflowLoader().load("w.yml", chain.toString()).jobs()).hasSize(256);

    String cycle = chain.toString().replace("j0: {steps", "j0: {needs: j255, steps");
    assertThat(WorkflowLoaderTest.problems("w.yml", cycle))
        .extracting(Problem::message)
        .singleElement()
        .satisfies(
            m -> assertThat(m).startsWith("jobs need each other in a cycle: j0 → j255 → j254"));
  }

  @Test
  void encodingsControlCharactersAndTabsAreProblemsWithTheirPlace() throws IOException {
    write(".github/workflows/latin1.yml", "on: push\nname: caf\u00e9\n" + JOBS, "ISO-8859-1");
    write(".github/workflows/bom.yml", "\uFEFFon: push\n" + JOBS, "UTF-8");
    write(".github/workflows/nul.yml", "on: push\nname: a\u0000b\n" + JOBS, "UTF-8");
    write(".github/workflows/tabs.yml", "on: push\njobs:\n\ta: {steps: [{run: x}]}\n", "UTF-8");

    WorkflowSet set = new WorkflowLoader().load(root);

    assertThat(set.workflows())
        .extracting(Workflow::file)
        .containsExactly(".github/workflows/bom.yml");
    assertThat(set.problems())
        .extracting(p -> p.file() + ":" + p.line() + " " + p.message().substring(0, 26))
        .containsExactly(
            ".github/workflows/latin1.yml:1 the file is not UTF-8 text",
            ".github/workflows/nul.yml:2 the file holds the control",
            ".github/workflows/tabs.yml:3 not valid YAML: found char");
  }

  @Test
  void aLinkLeadingOutOfTheTreeIsNotRead() throws IOException {
    Path secret =
        Files.writeString(
            root.resolveSibling(root.getFileName() + "-secret.yml"), "on: push\n" + JOBS);
    Files.createDirectories(root.resolve(".github/workflows"));
    Files.createSymbolicLink(root.resolve(".github/workflows/out.yml"), secret);

    WorkflowSet set = new WorkflowLoader().load(root);

    assertThat(set.workflows()).isEmpty();
    assertThat(set.problems())
        .extracting(Problem::message)
        .singleElement()
        .satisfies(m -> assertThat(m).startsWith("the file is a link leading outside"));
  }

  @Test
  void moreWorkflowFilesThanTheLimitAreNamedAndTheRestNotRead() throws IOException {
    for (int i = 0; i < WorkflowLoader.MAX_FILES + 5; i++) {
      write(String.format(".tagflow/workflows/w%03d.yml", i), "on: push\n" + JOBS);
    }

    WorkflowSet set = new WorkflowLoader(YamlLimits.defaults(), ExpressionCheck.NONE).load(root);

    assertThat(set.workflows()).hasSize(WorkflowLoader.MAX_FILES);
    assertThat(set.problems())
        .extracting(Problem::toString)
        .containsExactly(
            ".tagflow/workflows/w200.yml:1:1: more than 200 workflow files; Tagflow reads at most"
                + " 200 (the files after this one were not read)");
  }

  private static String matrixWorkflow(String matrix) {
    return "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n"
        + matrix.indent(8)
        + "    steps: [{run: x}]\n";
  }

  private static List<String> range(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
  }

  private void write(String path, String text) throws IOException {
    write(path, text, "UTF-8");
  }

  private void write(String path, String text, String charset) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, text.getBytes(java.nio.charset.Charset.forName(charset)));
  }
}
