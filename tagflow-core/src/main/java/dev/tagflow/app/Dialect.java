package dev.tagflow.app;

import java.util.Arrays;
import java.util.Optional;

/** Whose Application format a document is written in, told apart by its {@code apiVersion}. */
public enum Dialect {
  /** Ours: {@code tagflow.dev/v1alpha1}. */
  TAGFLOW("tagflow.dev/v1alpha1"),
  /** Argo CD's: {@code argoproj.io/v1alpha1}, accepted as written, unsupported fields named. */
  ARGO_CD("argoproj.io/v1alpha1");

  private final String apiVersion;

  Dialect(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public static Optional<Dialect> ofApiVersion(String apiVersion) {
    return Arrays.stream(values()).filter(d -> d.apiVersion.equals(apiVersion)).findFirst();
  }
}
