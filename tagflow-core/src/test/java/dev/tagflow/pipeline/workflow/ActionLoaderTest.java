package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading action.yml: what is kept, and every mistake at its file:line:column. */
class ActionLoaderTest {

  final ActionLoader loader = new ActionLoader();

  ActionDefinition load(String yaml) {
    return loader.load("octo/x@v1/action.yml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCompositeActionKeepsItsInputsOutputsAndSteps() {
    ActionDefinition action =
        load(
            """
            name: build
            description: builds
            branding: {icon: box, color: blue}
            inputs:
              target: {description: what, required: true}
              mode: {default: '${{ github.ref_name }}'}
            outputs:
              jar: {value: '${{ steps.b.outputs.jar }}'}
            runs:
              using: composite
              steps:
                - id: b
                  shell: bash
                  run: echo jar=x >> $GITHUB_OUTPUT
                - uses: octo/other@v2
                  with: {a: b}
            """);

    assertThat(action.inputs()).containsOnlyKeys("target", "mode");
    assertThat(action.inputs().get("target").required()).isTrue();
    assertThat(action.inputs().get("mode").defaultValue().orElseThrow().value())
        .isEqualTo("${{ github.ref_name }}");
    assertThat(action.outputs().get("jar").value()).isEqualTo("${{ steps.b.outputs.jar }}");
    assertThat(((ActionDefinition.Composite) action.runs()).steps()).hasSize(2);
  }

  @Test
  void javaScriptActionsOfEachNodeAreReadWithGitHubsDefaultConditions() {
    ActionDefinition.Node node =
        (ActionDefinition.Node)
            load("runs: {using: node16, main: dist/index.js, post: dist/post.js}\n").runs();

    assertThat(node.major()).isEqualTo(16);
    assertThat(node.postIf().value()).isEqualTo("always()");
    assertThat(node.pre()).isEmpty();
  }

  @Test
  void everyMistakeIsNamedAtItsPlace() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    name: x
                    runs:
                      using: composite
                      steps:
                        - run: echo no shell
                        - shell: bash
                          timeout-minutes: 5
                          run: echo
                    colour: red
                    """))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("octo/x@v1/action.yml:5:7: runs.steps[0] has run: without shell:")
        .hasMessageContaining("octo/x@v1/action.yml:7:7: runs.steps[1].timeout-minutes is not")
        .hasMessageContaining("octo/x@v1/action.yml:9:1: unknown key 'colour'");
  }

  @Test
  void aDockerActionIsRefusedWithWhatToUseInstead() {
    assertThatThrownBy(() -> load("runs:\n  using: docker\n  image: Dockerfile\n"))
        .hasMessageContaining("octo/x@v1/action.yml:2:10: runs.using 'docker'")
        .hasMessageContaining("tagflow/image");
  }

  @Test
  void scriptsOutsideTheActionAndUnknownRuntimesAreRefused() {
    assertThatThrownBy(() -> load("runs: {using: node20, main: ../../etc/passwd}\n"))
        .hasMessageContaining("1:29: '../../etc/passwd' is not a file of the action");
    assertThatThrownBy(() -> load("runs: {using: node20, main: /etc/passwd}\n"))
        .hasMessageContaining("is not a file of the action");
    assertThatThrownBy(() -> load("runs: {using: deno, main: x.js}\n"))
        .hasMessageContaining("1:15: runs.using 'deno' is not one Tagflow runs");
    assertThatThrownBy(() -> load("runs: {using: node20}\n"))
        .hasMessageContaining("runs has no 'main:'");
  }

  @Test
  void aHugeOrDeepFileIsRefusedBeforeItIsRead() {
    byte[] huge = ("name: '" + "x".repeat(2 * 1024 * 1024) + "'\n").getBytes();
    assertThatThrownBy(() -> loader.load("octo/x@v1/action.yml", huge))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("octo/x@v1/action.yml is 2,097,161 bytes");
    String deep = "runs: " + "[".repeat(100) + "]".repeat(100) + "\n";
    assertThatThrownBy(() -> load(deep))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("octo/x@v1/action.yml:1:");
  }
}
