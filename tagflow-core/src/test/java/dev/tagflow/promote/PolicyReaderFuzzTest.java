package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlLimits;
import java.nio.charset.StandardCharsets;

/**
 * The policy reader over any text. A crash is an exception other than a {@link TagflowException}
 * naming the file, or a policy read without error whose environments break its own rules.
 */
class PolicyReaderFuzzTest {

  private final PolicyReader reader = new PolicyReader(YamlLimits.defaults());

  @DictionaryEntries({
    "apiVersion: tagflow.dev/v1alpha1\\x0A",
    "kind: EnvironmentPolicy\\x0A",
    "environments:\\x0A",
    "- name: ",
    "accept: ",
    "{tags: ",
    "prerelease: false",
    "semver: true",
    "promotion: auto",
    "approval: {required: ",
    "after: ",
    "applications: [",
    "syncWindows: [{kind: deny, schedule: ",
    "duration: 1h"
  })
  @FuzzTest
  void readingAnyTextGivesAPolicyOrAClearError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    EnvironmentPolicy policy;
    try {
      policy = reader.read("policy.yaml", text);
    } catch (TagflowException mistake) {
      assertThat(mistake.getMessage()).startsWith("policy.yaml");
      return;
    }
    assertThat(policy.environments()).isNotEmpty();
    for (Environment environment : policy.environments()) {
      assertThat(environment.accept()).isNotEmpty();
      environment.after().ifPresent(after -> assertThat(policy.environment(after)).isPresent());
    }
  }
}
