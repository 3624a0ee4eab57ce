package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {

  @TempDir static Path dir;
  private static ClusterCertificates pki;

  @BeforeAll
  static void generate() {
    pki = ClusterCertificates.generate(dir);
  }

  @Test
  void metricsServersCertificateNamesItsServiceAsTheAggregatorChecksIt() throws Exception {
    X509Certificate certificate = read(pki.metricsServerCertificate());

    certificate.verify(read(pki.caCertificate()).getPublicKey());
    assertThat(alternativeNames(certificate))
        .contains("metrics-server.kube-system.svc", "127.0.0.1");
  }

  @Test
  void theSimulatedKubeletsCertificateIsForLoopbackAndSignedByTheClusterCa() throws Exception {
    X509Certificate certificate = read(pki.kubeletCertificate());

    certificate.verify(read(pki.caCertificate()).getPublicKey());
    assertThat(alternativeNames(certificate)).contains("127.0.0.1");
  }

  @Test
  void theProxyClientCertificateComesFromTheFrontProxyCaAloneSoNoAdminCanSpoofHeaders()
      throws Exception {
    X509Certificate client = read(pki.frontProxyClientCertificate());

    client.verify(read(pki.frontProxyCaCertificate()).getPublicKey());
    assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=front-proxy-client");
    assertThatThrownBy(() -> client.verify(read(pki.caCertificate()).getPublicKey()))
        .isInstanceOf(SignatureException.class);
    assertThatThrownBy(
            () ->
                read(pki.adminCertificate())
                    .verify(read(pki.frontProxyCaCertificate()).getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void theFilesAreWhereInSaysTheyAre() {
    assertThat(ClusterCertificates.in(dir)).isEqualTo(pki);
    assertThat(List.of(pki.frontProxyClientKey(), pki.kubeletKey(), pki.metricsServerKey()))
        .allSatisfy(key -> assertThat(key).content().startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  private static X509Certificate read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static List<String> alternativeNames(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .map(entry -> String.valueOf(entry.get(1)))
        .toList();
  }
}
