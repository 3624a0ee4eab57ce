package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ComponentCommandsTest {

  private final ControlPlaneBinaries binaries =
      new ControlPlaneBinaries(Path.of("/cache/core/bin"), Path.of("/cache/metrics/bin"));
  private final ClusterCertificates pki = ClusterCertificates.in(Path.of("/state/pki"));
  private final Path kubeconfig = Path.of("/state/kubeconfig");

  @Test
  void theApiServerProxiesToExtensionServersWithTheFrontProxyClientCertificate() {
    List<String> command = ComponentCommands.apiserverCommand(binaries, pki, 16443, 16444);

    assertThat(command)
        .contains(
            "--requestheader-client-ca-file=/state/pki/front-proxy-ca.crt",
            "--requestheader-allowed-names=front-proxy-client",
            "--proxy-client-cert-file=/state/pki/front-proxy-client.crt",
            "--proxy-client-key-file=/state/pki/front-proxy-client.key")
        // An EndpointSlice may not hold a loopback address, so the aggregator routes by Service.
        .noneMatch(flag -> flag.startsWith("--enable-aggregator-routing"));
  }

  @Test
  void theServiceRangeHoldsAThousandServicesAndKeepsTenZeroZeroOneForTheApiServer() {
    // A /24 ran out at 254 Services in the side by side with 1,000 applications.
    assertThat(ComponentCommands.apiserverCommand(binaries, pki, 16443, 16444))
        .contains("--service-cluster-ip-range=10.0.0.0/16");
  }

  @Test
  void theControllerManagerProvisionsHostPathVolumes() {
    assertThat(ComponentCommands.controllerManagerCommand(binaries, pki, kubeconfig, 0))
        .contains("--enable-hostpath-provisioner=true");
  }

  @Test
  void theControllerManagerKeepsItsOwnRequestRateUnlessOneIsGiven() {
    assertThat(ComponentCommands.controllerManagerCommand(binaries, pki, kubeconfig, 0))
        .noneMatch(flag -> flag.startsWith("--kube-api-"));
    assertThat(ComponentCommands.controllerManagerCommand(binaries, pki, kubeconfig, 100))
        .contains("--kube-api-qps=100", "--kube-api-burst=200");
  }

  @Test
  void kwoksNodesHaveTheirKubeletWhereKwoksServerListensWithACertificateOfTheClusterCa() {
    List<String> command =
        ComponentCommands.kwokCommand(
            binaries,
            pki,
            kubeconfig,
            List.of(Path.of("/state/kwok-stages.yaml"), Path.of("/state/kwok-server.yaml")),
            16446);

    assertThat(command)
        .startsWith("/cache/core/bin/kwok")
        .contains(
            "--config=/state/kwok-stages.yaml",
            "--config=/state/kwok-server.yaml",
            "--node-ip=127.0.0.1",
            "--node-port=16446",
            "--server-address=127.0.0.1:16446",
            "--tls-cert-file=/state/pki/kubelet.crt");
  }

  @Test
  void metricsServerVerifiesTheSimulatedKubeletsAndTimesOutBeforeItsNextScrape() {
    List<String> command =
        ComponentCommands.metricsServerCommand(binaries, pki, kubeconfig, 16447, 16446);

    assertThat(command)
        .startsWith("/cache/metrics/bin/metrics-server")
        .contains(
            "--secure-port=16447",
            "--bind-address=127.0.0.1",
            "--kubelet-port=16446",
            "--kubelet-certificate-authority=/state/pki/ca.crt",
            "--tls-cert-file=/state/pki/metrics-server.crt")
        .doesNotContain("--kubelet-insecure-tls");
    // metrics-server refuses to start unless a scrape times out before the next one begins.
    assertThat(duration(command, "--kubelet-request-timeout="))
        .isLessThan(duration(command, "--metric-resolution="));
  }

  private static Duration duration(List<String> command, String flag) {
    String value =
        command.stream()
            .filter(f -> f.startsWith(flag))
            .findFirst()
            .orElseThrow()
            .substring(flag.length());
    return Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
  }
}
