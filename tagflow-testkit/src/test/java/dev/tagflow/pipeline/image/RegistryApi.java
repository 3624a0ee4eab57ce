package dev.tagflow.pipeline.image;

import dev.tagflow.PlainJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;

/** Reads manifests and blobs over the registry HTTP API (distribution spec), as a runtime does. */
final class RegistryApi {

  static final String ACCEPT =
      "application/vnd.oci.image.manifest.v1+json,"
          + " application/vnd.docker.distribution.manifest.v2+json";

  private final URI base;

  RegistryApi(URI base) {
    this.base = base;
  }

  /** A manifest as served: its bytes' digest, the digest header, and the parsed document. */
  record Fetched(int status, String bodyDigest, String headerDigest, JsonNode document) {}

  Fetched manifest(String repository, String reference) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/manifests/" + reference))
                  .header("Accept", ACCEPT)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Fetched(
          response.statusCode(),
          "sha256:" + sha256(response.body()),
          response.headers().firstValue("Docker-Content-Digest").orElse(""),
          response.statusCode() == 200 ? PlainJson.MAPPER.readTree(response.body()) : null);
    }
  }

  JsonNode blob(String repository, String digest) throws IOException, InterruptedException {
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/" + digest))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException("GET blob " + digest + " answered " + response.statusCode());
      }
      return PlainJson.MAPPER.readTree(response.body());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
