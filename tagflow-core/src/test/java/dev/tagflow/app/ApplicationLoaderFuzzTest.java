package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any text as an Application file, ours or Argo CD's, with the default limits. A crash is any
 * exception but the loader's two clear ones: an InvalidApplicationException whose every problem
 * names the file and a line and column inside it, or a TagflowException (INVALID_INPUT) for a
 * limit, naming the file.
 */
class ApplicationLoaderFuzzTest {

  private static final String FILE = "apps/web.yaml";

  private final ApplicationLoader loader = new ApplicationLoader();

  @DictionaryFile(resourcePath = "/dev/tagflow/yaml/yaml.dict")
  @DictionaryFile(resourcePath = "/dev/tagflow/app/application.dict")
  @FuzzTest
  void loadsAnyFileOrNamesEveryProblemWhereItIs(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    long lines = text.lines().count();
    try {
      List<Application> applications = loader.load(FILE, text);
      applications.forEach(app -> assertThat(app.name()).isNotBlank());
    } catch (InvalidApplicationException invalid) {
      assertThat(invalid.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      assertThat(invalid.problems()).isNotEmpty();
      for (Problem problem : invalid.problems()) {
        assertThat(problem.file()).isEqualTo(FILE);
        assertThat(problem.line()).isBetween(1, (int) lines + 1);
        assertThat(problem.column()).isPositive();
        assertThat(problem.message()).isNotBlank();
      }
    } catch (TagflowException refused) {
      assertThat(refused.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
      assertThat(refused.getMessage()).startsWith(FILE);
    }
  }
}
