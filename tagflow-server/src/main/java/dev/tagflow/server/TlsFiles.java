package dev.tagflow.server;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A TLS certificate chain and its private key from PEM files, as an in-memory key store for Jetty.
 * The key may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}); an encrypted key is refused with what to do.
 *
 * @param certificateFile the certificate, then any intermediates
 * @param keyFile the private key of the first certificate
 */
public record TlsFiles(Path certificateFile, Path keyFile) {

  /** The password of the in-memory key store; it never leaves the process. */
  static final char[] STORE_PASSWORD = "tagflow".toCharArray();

  /** Reads both files into a key store; every problem names the file and the fix. */
  public KeyStore keyStore() {
    List<Certificate> chain = certificates();
    PrivateKey key = privateKey();
    if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw TagflowException.invalidInput(
          "the key in "
              + keyFile
              + " ("
              + key.getAlgorithm()
              + ") does not belong to the certificate in "
              + certificateFile
              + " ("
              + chain.getFirst().getPublicKey().getAlgorithm()
              + "): give the key the certificate was issued for");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("tagflow", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw TagflowException.invalidInput(
          "the key in "
              + keyFile
              + " and the certificate in "
              + certificateFile
              + " cannot be used together: "
              + e.getMessage());
    }
  }

  private List<Certificate> certificates() {
    try (InputStream in = Files.newInputStream(certificateFile)) {
      List<Certificate> chain =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (chain.isEmpty()) {
        throw TagflowException.invalidInput(
            certificateFile + " holds no certificate: give a PEM file with BEGIN CERTIFICATE");
      }
      return chain;
    } catch (IOException | GeneralSecurityException e) {
      throw TagflowException.invalidInput(
          "cannot read the TLS certificate "
              + certificateFile
              + ": "
              + e.getMessage()
              + " (a PEM file with BEGIN CERTIFICATE is expected)");
    }
  }

  private PrivateKey privateKey() {
    Object parsed;
    try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(reader)) {
      parsed = pem.readObject();
    } catch (IOException | RuntimeException e) {
      // No key material in the message: the file is named, its content is not.
      throw TagflowException.invalidInput(
          "cannot read the TLS key " + keyFile + ": not a PEM private key");
    }
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return switch (parsed) {
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
        case null ->
            throw TagflowException.invalidInput(
                keyFile + " holds no private key: give a PEM file with BEGIN PRIVATE KEY");
        default ->
            throw TagflowException.invalidInput(
                keyFile
                    + " holds a "
                    + parsed.getClass().getSimpleName()
                    + ", not an unencrypted private key: decrypt it first (openssl pkey -in"
                    + " <file> -out <plain file>) and keep that file readable by you only");
      };
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "cannot read the TLS key " + keyFile + ": " + e.getClass().getSimpleName());
    }
  }
}
