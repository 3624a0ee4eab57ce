package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the kubeconfig that every component and every client of a local cluster uses. */
final class Kubeconfig {

  private Kubeconfig() {}

  /** The kubeconfig's text: one cluster, one admin user, one context, all named {@code name}. */
  static String render(String name, String serverUrl, ClusterCertificates certificates) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %1$s-admin
          user:
            client-certificate-data: %4$s
            client-key-data: %5$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s-admin
            namespace: default
        current-context: %1$s
        """
        .formatted(
            name,
            serverUrl,
            ClusterCertificates.base64Of(certificates.caCertificate()),
            ClusterCertificates.base64Of(certificates.adminCertificate()),
            ClusterCertificates.base64Of(certificates.adminKey()));
  }

  /** Writes the text atomically, readable only by its owner (it holds the admin key). */
  static void write(Path file, String text) {
    try {
      Path temp = Files.createTempFile(file.getParent(), ".kubeconfig", ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw LocalSetupException.failed("could not write the kubeconfig " + file, e);
    }
  }
}
