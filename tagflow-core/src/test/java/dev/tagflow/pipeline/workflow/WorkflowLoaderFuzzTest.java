package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import dev.tagflow.app.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any text as a workflow file, with the default limits, and any pattern against any name. A crash
 * is any exception but the clear ones: an InvalidWorkflowException whose every problem names the
 * file and a line and column inside it; for patterns, RefPattern.Invalid with a place inside the
 * pattern.
 */
class WorkflowLoaderFuzzTest {

  private static final String FILE = ".github/workflows/release.yml";
  private static final List<RefPush> PUSHES =
      List.of(
          RefPush.tag("v1.2.3"),
          RefPush.tag("prod-v1.2.3-rc.1"),
          RefPush.tag("release/x/y"),
          RefPush.branch("main"),
          RefPush.branch("feature/a-b"));

  private final WorkflowLoader loader = new WorkflowLoader();

  @DictionaryFile(resourcePath = "/dev/tagflow/yaml/yaml.dict")
  @DictionaryFile(resourcePath = "/dev/tagflow/pipeline/workflow/workflow.dict")
  @FuzzTest
  void loadsAnyFileOrNamesEveryProblemWhereItIs(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    long lines = text.lines().count();
    try {
      Workflow workflow = loader.load(FILE, text);
      assertThat(workflow.jobs()).isNotEmpty().hasSizeLessThanOrEqualTo(256);
      for (RefPush push : PUSHES) {
        workflow.on().startsOn(push);
      }
      for (Job job : workflow.jobs().values()) {
        assertThat(job.steps()).isNotEmpty();
        if (job.strategy().isPresent()
            && job.strategy().get().matrix() instanceof Matrix.Values values) {
          assertThat(values.combinations()).hasSizeLessThanOrEqualTo(Matrix.MAX_JOBS);
        }
      }
    } catch (InvalidWorkflowException invalid) {
      assertThat(invalid.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      assertThat(invalid.problems()).isNotEmpty();
      for (Problem problem : invalid.problems()) {
        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.line()).isBetween(1, (int) lines + 1);
        assertThat(problem.column()).isPositive();
        assertThat(problem.message()).isNotBlank();
      }
    }
  }

  @FuzzTest
  void matchesAnyNameAgainstAnyPatternInOnePass(FuzzedDataProvider data) {
    String pattern = data.consumeString(200);
    String name = data.consumeRemainingAsString();
    try {
      RefPattern parsed = RefPattern.parse(pattern);
      boolean matches = parsed.matches(name);
      if (!parsed.negative() && pattern.equals(name) && pattern.matches("[A-Za-z0-9./_-]+")) {
        assertThat(matches).isTrue(); // a pattern without special characters matches itself
      }
    } catch (RefPattern.Invalid invalid) {
      assertThat(invalid.offset()).isBetween(0, Math.max(pattern.length(), RefPattern.MAX_LENGTH));
      assertThat(invalid.getMessage()).isNotBlank();
    }
  }
}
