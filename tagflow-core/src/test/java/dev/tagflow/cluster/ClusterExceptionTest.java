package dev.tagflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterExceptionTest {

  @ParameterizedTest(name = "HTTP {0} is {1}")
  @CsvSource({
    "400, INVALID",
    "401, FORBIDDEN",
    "403, FORBIDDEN",
    "404, NOT_FOUND",
    "405, INVALID",
    "409, CONFLICT",
    "415, INVALID",
    "422, INVALID",
    "429, UNAVAILABLE",
    "500, UNAVAILABLE",
    "502, UNAVAILABLE",
    "503, UNAVAILABLE",
    "504, UNAVAILABLE",
    "302, UNEXPECTED",
    "410, UNEXPECTED"
  })
  void mapsEachStatusCodeToTheFailureACallerMustTellApart(int code, ClusterFailure expected) {
    Status status = new StatusBuilder().withCode(code).withMessage("the server says no").build();

    ClusterException e =
        ClusterException.of("could not read it", new KubernetesClientException(status));

    assertThat(e.failure()).isEqualTo(expected);
    assertThat(e.serverMessage()).isEqualTo("the server says no");
    assertThat(e.getMessage()).isEqualTo("could not read it: the server says no");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "immutable-deployment-selector",
        "immutable-job-template",
        "immutable-statefulset-service-name",
        "immutable-statefulset-pod-management-policy",
        "immutable-secret-type",
        "immutable-pvc-spec",
        "immutable-service-cluster-ip",
        "immutable-configmap"
      })
  void recognisesAnImmutableFieldInTheRealServersAnswers(String fixture) {
    ClusterException e = ClusterException.of("could not apply it", answer(fixture));

    assertThat(e.failure()).isEqualTo(ClusterFailure.IMMUTABLE);
    assertThat(e.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
  }

  @Test
  void aRejectedValueIsInvalidNotImmutable() {
    ClusterException e =
        ClusterException.of("could not apply it", answer("invalid-deployment-replicas"));

    assertThat(e.failure()).isEqualTo(ClusterFailure.INVALID);
    assertThat(e.serverMessage())
        .isEqualTo(
            "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater"
                + " than or equal to 0");
  }

  @Test
  void readsTheRealServersConflictForbiddenAndNotFound() {
    assertThat(ClusterException.of("x", answer("conflict-field-manager")).failure())
        .isEqualTo(ClusterFailure.CONFLICT);
    assertThat(ClusterException.of("x", answer("forbidden-user")).failure())
        .isEqualTo(ClusterFailure.FORBIDDEN);
    assertThat(ClusterException.of("x", answer("not-found-namespace")).serverMessage())
        .isEqualTo("namespaces \"nowhere-at-all\" not found");
  }

  @Test
  void anImmutableWordOutsideA422IsNotAnImmutableField() {
    Status status =
        new StatusBuilder()
            .withCode(403)
            .withMessage("the spec is immutable, says a policy")
            .build();

    assertThat(ClusterException.of("x", new KubernetesClientException(status)).failure())
        .isEqualTo(ClusterFailure.FORBIDDEN);
  }

  @Test
  void recognisesTheStatefulSetMessageOfOlderServersAndCelRules() {
    // Servers before the per-field message said this for any StatefulSet spec change.
    Status older =
        invalid(
            "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for"
                + " fields other than 'replicas', 'template' and 'updateStrategy' are forbidden");
    // What a CRD's x-kubernetes-validations rule "self == oldSelf" answers.
    Status cel =
        invalid(
            "Gadget.tagflow.dev \"g\" is invalid: spec.size: Invalid value: \"string\": Value is immutable");
    Status notImmutable =
        invalid("Gadget.tagflow.dev \"g\" is invalid: spec.size: is not immutable");

    assertThat(ClusterException.of("x", new KubernetesClientException(older)).failure())
        .isEqualTo(ClusterFailure.IMMUTABLE);
    assertThat(ClusterException.of("x", new KubernetesClientException(cel)).failure())
        .isEqualTo(ClusterFailure.IMMUTABLE);
    assertThat(ClusterException.of("x", new KubernetesClientException(notImmutable)).failure())
        .isEqualTo(ClusterFailure.INVALID);
  }

  @Test
  void aRefusedConnectionIsUnavailableAndSaysSo() {
    KubernetesClientException refused =
        new KubernetesClientException(
            "Operation: [get] for kind: [ConfigMap] failed.",
            new ConnectException("Connection refused"));

    ClusterException e = ClusterException.of("could not read ConfigMap/shop/web", refused);

    assertThat(e.failure()).isEqualTo(ClusterFailure.UNAVAILABLE);
    assertThat(e.failure().isTransient()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "could not read ConfigMap/shop/web: the API server could not be reached: connection"
                + " refused");
    assertThat(e.reason()).isEqualTo(TagflowException.Reason.FAILED);
  }

  @Test
  void aRequestThatTimedOutIsUnavailable() {
    KubernetesClientException timedOut =
        new KubernetesClientException(
            "Operation: [patch] failed.", new HttpTimeoutException("request timed out"));

    ClusterException e = ClusterException.of("could not apply it", timedOut);

    assertThat(e.failure()).isEqualTo(ClusterFailure.UNAVAILABLE);
    assertThat(e.serverMessage()).contains("no answer within the request timeout");
  }

  @Test
  void aFailureWithNeitherAnAnswerNorANetworkCauseIsUnexpected() {
    KubernetesClientException garbled =
        new KubernetesClientException("could not parse", new IllegalStateException("bad JSON"));

    assertThat(ClusterException.of("x", garbled).failure()).isEqualTo(ClusterFailure.UNEXPECTED);
  }

  @Test
  void saysTheSameFailureAboutWhatTheCallerWasDoing() {
    ClusterException e =
        ClusterException.of(
            "could not apply ConfigMap/tagflow-system/inventory-web", answer("forbidden-user"));

    ClusterException about = e.about("could not store the inventory of application 'web'");

    assertThat(about.failure()).isEqualTo(ClusterFailure.FORBIDDEN);
    assertThat(about.getMessage())
        .startsWith("could not store the inventory of application 'web': configmaps");
    assertThat(about.getCause()).isSameAs(e);
  }

  private static Status invalid(String message) {
    return new StatusBuilder().withCode(422).withMessage(message).build();
  }

  /** The exception fabric8 throws for an answer captured from kube-apiserver v1.37.2. */
  private static KubernetesClientException answer(String fixture) {
    try (InputStream in =
        ClusterExceptionTest.class.getResourceAsStream("/cluster/status/" + fixture + ".json")) {
      Status status = Serialization.unmarshal(in, Status.class);
      return new KubernetesClientException(status);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
