package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates and keys of one local cluster: a CA, the API server's serving certificate, an
 * admin client certificate in {@code system:masters}, the service-account signing key, and what the
 * aggregation layer and the metrics pipeline need: a front-proxy CA with the client certificate the
 * API server proxies with, and serving certificates for kwok's simulated kubelets and for
 * metrics-server.
 *
 * <p>EC P-256 keys, generated in milliseconds and accepted by every Kubernetes component; the admin
 * client's key is RSA, because fabric8's kubeconfig loader reads RSA keys without extra options.
 */
public record ClusterCertificates(
    Path caCertificate,
    Path servingCertificate,
    Path servingKey,
    Path adminCertificate,
    Path adminKey,
    Path serviceAccountKey,
    Path serviceAccountPublicKey,
    Path frontProxyCaCertificate,
    Path frontProxyClientCertificate,
    Path frontProxyClientKey,
    Path kubeletCertificate,
    Path kubeletKey,
    Path metricsServerCertificate,
    Path metricsServerKey) {

  /** The common name of the API server's proxy client certificate; extension servers allow it. */
  public static final String FRONT_PROXY_CLIENT = "front-proxy-client";

  /**
   * The name the API server's aggregator expects on metrics-server's certificate: it checks the
   * Service's DNS name, {@code <service>.<namespace>.svc}, whatever address it dials.
   */
  static final String METRICS_SERVER_DNS_NAME = "metrics-server.kube-system.svc";

  private static final Duration VALIDITY = Duration.ofDays(365);

  /** Generates a fresh set into {@code dir}, replacing what was there. */
  public static ClusterCertificates generate(Path dir) {
    try {
      Files.createDirectories(dir);
      ClusterCertificates files = in(dir);
      KeyPair ca = newKeyPair();
      X500Name caName = new X500Name("CN=tagflow-local-ca");
      X509Certificate caCert = sign(caName, ca.getPublic(), caName, ca, true, null, List.of());
      writePem(files.caCertificate, "CERTIFICATE", caCert.getEncoded());

      KeyPair serving = newKeyPair();
      writeCertificateAndKey(
          files.servingCertificate,
          files.servingKey,
          serving,
          sign(
              new X500Name("CN=kube-apiserver"),
              serving.getPublic(),
              caName,
              ca,
              false,
              KeyPurposeId.id_kp_serverAuth,
              List.of(
                  ip("127.0.0.1"),
                  ip("10.0.0.1"),
                  dns("localhost"),
                  dns("kubernetes"),
                  dns("kubernetes.default"),
                  dns("kubernetes.default.svc"),
                  dns("kubernetes.default.svc.cluster.local"))));

      KeyPair admin = newRsaKeyPair();
      writeCertificateAndKey(
          files.adminCertificate,
          files.adminKey,
          admin,
          sign(
              new X500Name("CN=tagflow-admin,O=system:masters"),
              admin.getPublic(),
              caName,
              ca,
              false,
              KeyPurposeId.id_kp_clientAuth,
              List.of()));

      KeyPair serviceAccounts = newKeyPair();
      writePem(files.serviceAccountKey, "PRIVATE KEY", serviceAccounts.getPrivate().getEncoded());
      writePem(
          files.serviceAccountPublicKey, "PUBLIC KEY", serviceAccounts.getPublic().getEncoded());

      // The aggregation layer: extension servers trust usernames in request headers only from a
      // client certificate of this second CA, as kubeadm's front-proxy CA.
      KeyPair frontProxyCa = newKeyPair();
      X500Name frontProxyCaName = new X500Name("CN=tagflow-local-front-proxy-ca");
      writePem(
          files.frontProxyCaCertificate,
          "CERTIFICATE",
          sign(
                  frontProxyCaName,
                  frontProxyCa.getPublic(),
                  frontProxyCaName,
                  frontProxyCa,
                  true,
                  null,
                  List.of())
              .getEncoded());
      KeyPair frontProxyClient = newKeyPair();
      writeCertificateAndKey(
          files.frontProxyClientCertificate,
          files.frontProxyClientKey,
          frontProxyClient,
          sign(
              new X500Name("CN=" + FRONT_PROXY_CLIENT),
              frontProxyClient.getPublic(),
              frontProxyCaName,
              frontProxyCa,
              false,
              KeyPurposeId.id_kp_clientAuth,
              List.of()));

      KeyPair kubelet = newKeyPair();
      writeCertificateAndKey(
          files.kubeletCertificate,
          files.kubeletKey,
          kubelet,
          sign(
              new X500Name("CN=kwok-kubelet"),
              kubelet.getPublic(),
              caName,
              ca,
              false,
              KeyPurposeId.id_kp_serverAuth,
              List.of(ip("127.0.0.1"), dns("localhost"))));

      KeyPair metricsServer = newKeyPair();
      writeCertificateAndKey(
          files.metricsServerCertificate,
          files.metricsServerKey,
          metricsServer,
          sign(
              new X500Name("CN=metrics-server"),
              metricsServer.getPublic(),
              caName,
              ca,
              false,
              KeyPurposeId.id_kp_serverAuth,
              List.of(dns(METRICS_SERVER_DNS_NAME), ip("127.0.0.1"), dns("localhost"))));
      return files;
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw LocalSetupException.failed("could not create the cluster's certificates in " + dir, e);
    }
  }

  /** The same files, as they were generated earlier into {@code dir}. */
  public static ClusterCertificates in(Path dir) {
    return new ClusterCertificates(
        dir.resolve("ca.crt"),
        dir.resolve("apiserver.crt"),
        dir.resolve("apiserver.key"),
        dir.resolve("admin.crt"),
        dir.resolve("admin.key"),
        dir.resolve("sa.key"),
        dir.resolve("sa.pub"),
        dir.resolve("front-proxy-ca.crt"),
        dir.resolve("front-proxy-client.crt"),
        dir.resolve("front-proxy-client.key"),
        dir.resolve("kubelet.crt"),
        dir.resolve("kubelet.key"),
        dir.resolve("metrics-server.crt"),
        dir.resolve("metrics-server.key"));
  }

  private static GeneralName ip(String address) {
    return new GeneralName(GeneralName.iPAddress, address);
  }

  private static GeneralName dns(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  private static void writeCertificateAndKey(
      Path certificate, Path key, KeyPair keys, X509Certificate signed)
      throws IOException, GeneralSecurityException {
    writePem(certificate, "CERTIFICATE", signed.getEncoded());
    writePem(key, "PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return generator.generateKeyPair();
  }

  private static KeyPair newRsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, new SecureRandom());
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Name subject,
      PublicKey subjectKey,
      X500Name issuer,
      KeyPair issuerKeys,
      boolean isCa,
      KeyPurposeId purpose,
      List<GeneralName> alternativeNames)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(VALIDITY)),
            subject,
            subjectKey);
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
    if (isCa) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (!alternativeNames.isEmpty()) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
    }
    PrivateKey signingKey = issuerKeys.getPrivate();
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
  }

  private static void writePem(Path file, String type, byte[] der) throws IOException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }

  /** The file's bytes, base64-encoded as a kubeconfig's {@code *-data} fields want them. */
  static String base64Of(Path file) {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    } catch (IOException e) {
      throw LocalSetupException.failed("could not read " + file, e);
    }
  }
}
