package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The secrets a workflow names: only those reach its runs. */
class SecretNamesTest {

  private final WorkflowLoader loader = new WorkflowLoader();

  @Test
  void everyFixedSecretReferenceOfEveryExpressionIsNamedInUpperCase() {
    Workflow workflow =
        loader.load(
            "release.yml",
            """
            on: {push: {tags: ['v*']}}
            env:
              TOP: ${{ secrets.top_level }}
            jobs:
              build:
                runs-on: ubuntu-latest
                if: ${{ github.ref_type == 'tag' }}
                env:
                  JOB: "${{ secrets['Job_Token'] }}"
                steps:
                  - if: env.JOB != ''
                    env: {KEY: "${{ secrets.DEPLOY_KEY != '' && 'set' || '' }}"}
                    run: echo "${{ format('{0}', secrets.IN_FORMAT) }} ${{ env.TOP }}"
                  - uses: tagflow/image
                    with:
                      from: scratch
                      directory: out
                      image: 127.0.0.1:5000/web
                      tags: ${{ github.ref_name }}
                    env:
                      PASSWORD: ${{ secrets.REGISTRY_PASSWORD || 'none' }}
                  - run: echo "secrets.NOT_AN_EXPRESSION and ${{ 'secrets.IN_A_STRING' }}"
            """);

    assertThat(workflow.secretNames())
        .containsExactly("DEPLOY_KEY", "IN_FORMAT", "JOB_TOKEN", "REGISTRY_PASSWORD", "TOP_LEVEL");
  }

  @Test
  void aWorkflowWithoutSecretsNamesNoneAndAComputedKeyNamesNothing() {
    Workflow plain =
        loader.load(
            "ci.yml",
            """
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                strategy: {matrix: {name: [A, B]}}
                steps:
                  - run: echo "${{ secrets[matrix.name] }} ${{ toJSON(github) }}"
            """);

    assertThat(plain.secretNames()).isEmpty();
  }
}
