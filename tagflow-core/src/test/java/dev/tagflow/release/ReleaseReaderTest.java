package dev.tagflow.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ObjectJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseReaderTest {

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String HASH = "ab".repeat(32);
  private static final String DIGEST_1 = "sha256:" + "1".repeat(64);
  private static final String DIGEST_2 = "sha256:" + "2".repeat(64);
  private static final String DIGEST_3 = "sha256:" + "3".repeat(64);

  private final ReleaseReader reader = new ReleaseReader();
  private final ObjectJson json = new ObjectJson();

  private List<GenericKubernetesResource> fixture(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/release/" + name)) {
      return json.readYaml(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private List<GenericKubernetesResource> yaml(String text) {
    return json.readYaml(text);
  }

  @Test
  void findsTheImagesOfEveryKindOfPodTemplateOnceInTheOrderFound() throws IOException {
    assertThat(reader.imageReferences(fixture("workloads.yaml")))
        .containsExactly(
            "registry.example.com/shop/debug:1.0",
            "busybox:1.36",
            "registry.example.com/shop/migrate:1.4.2",
            "registry.example.com/shop/web@" + DIGEST_1,
            "envoyproxy/envoy:v1.30.1",
            "postgres:16",
            "registry.example.com/agent:0.3@" + DIGEST_2,
            "registry.example.com/legacy:7",
            "registry.example.com/shop/report:1.4.2",
            "registry.example.com/old:1",
            "registry.example.com/shop/web:1.5.0");
  }

  @Test
  void aReferencePinnedByDigestCarriesItAndAnotherTakesWhatLivePodsReported() throws IOException {
    Release release =
        reader.read(
            Optional.of("v1.4.2"),
            COMMIT,
            fixture("workloads.yaml"),
            HASH,
            Map.of("postgres:16", DIGEST_3),
            Instant.EPOCH);

    assertThat(release.images())
        .filteredOn(i -> i.digest().isPresent())
        .extracting(Release.Image::reference, i -> i.digest().orElseThrow())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "registry.example.com/shop/web@" + DIGEST_1, DIGEST_1),
            org.assertj.core.groups.Tuple.tuple("postgres:16", DIGEST_3),
            org.assertj.core.groups.Tuple.tuple(
                "registry.example.com/agent:0.3@" + DIGEST_2, DIGEST_2));
    assertThat(release.tag()).contains("v1.4.2");
    assertThat(release.commit()).isEqualTo(COMMIT);
    assertThat(release.manifestsHash()).isEqualTo(HASH);
  }

  @Test
  void theChartIsTheOneHelmsLabelNamesOnMostObjects() throws IOException {
    Release release =
        reader.read(
            Optional.empty(), COMMIT, fixture("workloads.yaml"), HASH, Map.of(), Instant.EPOCH);

    assertThat(release.chart()).contains(new Release.Chart("shop", "1.4.2"));
  }

  @Test
  void aChartVersionWithAPreReleaseOrBuildIsReadWhole() {
    Release release =
        reader.read(
            Optional.empty(),
            COMMIT,
            yaml(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, labels: {helm.sh/chart: my-app2-0.3.0-rc.1_build.5}}
                """),
            HASH,
            Map.of(),
            Instant.EPOCH);

    assertThat(release.chart()).contains(new Release.Chart("my-app2", "0.3.0-rc.1+build.5"));
  }

  @Test
  void manifestsWithoutHelmLabelsOrImagesHaveNoChartAndNoImages() {
    Release release =
        reader.read(
            Optional.empty(),
            COMMIT,
            yaml(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, labels: {helm.sh/chart: not-a-version}}
                """),
            HASH,
            Map.of(),
            Instant.EPOCH);

    assertThat(release.chart()).isEmpty();
    assertThat(release.images()).isEmpty();
    assertThat(release.id()).startsWith("0123456789ab-");
  }

  @Test
  void theSameInputsGiveTheSameIdAndAnotherDigestAnotherOne() throws IOException {
    List<GenericKubernetesResource> manifests = fixture("workloads.yaml");
    Release first =
        reader.read(Optional.of("v1.4.2"), COMMIT, manifests, HASH, Map.of(), Instant.EPOCH);
    Release again =
        reader.read(Optional.of("v1.4.2"), COMMIT, manifests, HASH, Map.of(), Instant.now());
    Release withDigest =
        reader.read(
            Optional.of("v1.4.2"),
            COMMIT,
            manifests,
            HASH,
            Map.of("postgres:16", DIGEST_3),
            Instant.EPOCH);
    Release otherTag =
        reader.read(Optional.of("v1.4.3"), COMMIT, manifests, HASH, Map.of(), Instant.EPOCH);

    assertThat(again.id()).isEqualTo(first.id()).startsWith("v1.4.2-");
    assertThat(ReleaseReader.sameContent(first, again)).isTrue();
    assertThat(withDigest.id()).isNotEqualTo(first.id());
    assertThat(otherTag.id()).isNotEqualTo(first.id());
  }

  @Test
  void aMalformedDigestIsNotTakenForOne() {
    Release release =
        reader.read(
            Optional.empty(),
            COMMIT,
            yaml(
                """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - {name: a, image: "web@sha256:short"}
                  - {name: b, image: "web@sha256:SHOUTING%s"}
                  - {name: c, image: "   "}
                  - {name: d}
                """
                    .formatted("A".repeat(56))),
            HASH,
            Map.of(),
            Instant.EPOCH);

    assertThat(release.images())
        .extracting(Release.Image::reference, Release.Image::digest)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web@sha256:short", Optional.empty()),
            org.assertj.core.groups.Tuple.tuple(
                "web@sha256:SHOUTING" + "A".repeat(56), Optional.empty()));
  }

  @Test
  void theDigestOfAContainerStatusImageIdIsReadInEachFormRuntimesWrite() {
    assertThat(ReleaseReader.digestOfImageId("docker-pullable://web@" + DIGEST_1))
        .contains(DIGEST_1);
    assertThat(ReleaseReader.digestOfImageId("registry.example.com/web@" + DIGEST_2))
        .contains(DIGEST_2);
    assertThat(ReleaseReader.digestOfImageId(DIGEST_3)).contains(DIGEST_3);
    assertThat(ReleaseReader.digestOfImageId("web:1.0")).isEmpty();
    assertThat(ReleaseReader.digestOfImageId("")).isEmpty();
    assertThat(ReleaseReader.digestOfImageId(null)).isEmpty();
  }

  @Test
  void twoThousandWorkloadsSharingImagesGiveEachImageOnce() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append(
          """
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: d%d}
          spec:
            template:
              spec:
                containers: [{name: c, image: "registry.example.com/app:%d"}, {name: s, image: "sidecar:1"}]
          """
              .formatted(i, i % 500));
    }
    List<String> references = reader.imageReferences(yaml(text.toString()));

    assertThat(references).hasSize(501).contains("sidecar:1", "registry.example.com/app:499");
  }
}
