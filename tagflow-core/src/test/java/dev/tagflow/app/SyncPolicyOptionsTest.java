package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyncOptionsTest {

  @Test
  void defaultsApplyServerSideAndValidateAndChangeNothingElse() {
    SyncPolicyOptions d = SyncPolicyOptions.defaults();

    assertThat(d.serverSideApply()).isTrue();
    assertThat(d.validate()).isTrue();
    assertThat(d.createNamespace()).isFalse();
    assertThat(d.pruneLast()).isFalse();
    assertThat(d.prunePropagationPolicy())
        .isEqualTo(SyncPolicyOptions.PropagationPolicy.FOREGROUND);
  }

  @Test
  void eachOptionSetsOnlyItsOwnField() {
    SyncPolicyOptions replaced = SyncPolicyOptions.defaults().with("Replace=true").options();

    assertThat(replaced.replace()).isTrue();
    assertThat(replaced.force()).isFalse();
    assertThat(replaced.with("Force=true").options().force()).isTrue();
    assertThat(replaced.with("ServerSideApply=false").options().serverSideApply()).isFalse();
  }

  @Test
  void refusesAnOptionWithoutAValueWithAnExample() {
    assertThat(SyncPolicyOptions.defaults().with("CreateNamespace").error())
        .contains("must be Name=value, e.g. CreateNamespace=true");
  }

  @Test
  void refusesAnUnknownPropagationPolicyNamingTheKnownOnes() {
    assertThat(SyncPolicyOptions.defaults().with("PrunePropagationPolicy=cascade").error())
        .contains("PrunePropagationPolicy must be foreground, background or orphan, not 'cascade'");
  }
}
