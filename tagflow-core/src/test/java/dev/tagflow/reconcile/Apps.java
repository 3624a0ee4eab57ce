package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;

/** Applications for unit tests, written as a person writes them. */
final class Apps {

  private Apps() {}

  static Application app(String name, String repoURL, String extraSpec) {
    return new ApplicationLoader()
        .load(
            name + ".yaml",
            """
            apiVersion: tagflow.dev/v1alpha1
            kind: Application
            metadata: {name: %s}
            spec:
              source: {repoURL: "%s", targetRevision: main, path: app}
              destination: {cluster: local, namespace: shop}
            %s"""
                .formatted(name, repoURL, extraSpec.indent(2)))
        .getFirst();
  }

  static Application app(String name) {
    return app(name, "https://git.example.com/acme/env.git", "");
  }
}
