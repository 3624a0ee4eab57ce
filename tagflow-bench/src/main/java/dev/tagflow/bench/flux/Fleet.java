package dev.tagflow.bench.flux;

import dev.tagflow.local.git.GitWorkTree;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * The work both tools get: {@code apps} applications in one Git repository, each a folder {@code
 * apps/app-N} of one Deployment, one Service and {@code objects - 2} ConfigMaps, in namespaces of
 * 50 applications each. A release changes every application's image tag and every ConfigMap.
 *
 * @param apps how many applications
 * @param objects objects per application, at least 3
 */
record Fleet(int apps, int objects) {

  Fleet {
    if (apps < 1 || objects < 3) {
      throw new IllegalArgumentException(
          "a fleet needs at least 1 application of at least 3 objects, not "
              + apps
              + " x "
              + objects);
    }
  }

  static String name(int app) {
    return "app-" + app;
  }

  static String namespace(int app) {
    return "fleet-" + (app / 50);
  }

  int namespaces() {
    return (apps - 1) / 50 + 1;
  }

  /**
   * The kwok nodes the fleet's pods need: each node takes 250 pods, and a rollout of every
   * Deployment at once may hold two pods of each (the new one surging beside the old); at least the
   * testkit's usual two.
   */
  int nodes() {
    return Math.max(2, (2 * apps + 249) / 250);
  }

  /** Writes release {@code release} (1, 2, …) of every application into the work tree. */
  void write(GitWorkTree tree, int release) {
    for (int app = 0; app < apps; app++) {
      String dir = "apps/" + name(app) + "/";
      objects(app, release).forEach((file, text) -> tree.write(dir + file, text));
    }
  }

  /** The files of one application's folder at release {@code release}, by name, in order. */
  SequencedMap<String, String> objects(int app, int release) {
    SequencedMap<String, String> files = new LinkedHashMap<>();
    files.put("deployment.yaml", deployment(app, release));
    files.put("service.yaml", service(app));
    for (int cm = 0; cm < objects - 2; cm++) {
      files.put("cm-" + cm + ".yaml", configMap(app, cm, release));
    }
    return files;
  }

  /** The image tag release {@code release} gives every Deployment. */
  static String imageTag(int release) {
    return "1." + release + ".0";
  }

  private static String deployment(int app, int release) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, labels: {app: %1$s}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - name: web
                image: registry.bench.local/%1$s:%2$s
                ports: [{containerPort: 8080}]
        """
        .formatted(name(app), imageTag(release));
  }

  private static String service(int app) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports: [{port: 80, targetPort: 8080}]
        """
        .formatted(name(app));
  }

  private static String configMap(int app, int cm, int release) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s-cm-%d}
        data: {release: "%d", colour: blue}
        """
        .formatted(name(app), cm, release);
  }

  /** One Tagflow Application file: automated with prune, as the issue asks. */
  String tagflowApplication(int app, String repoUrl) {
    return """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: %1$s}
        spec:
          source: {repoURL: "%2$s", targetRevision: main, path: apps/%1$s}
          destination: {cluster: local, namespace: %3$s}
          syncPolicy: {automated: {prune: true}}
        """
        .formatted(name(app), repoUrl, namespace(app));
  }

  /**
   * The GitRepository and its credentials, with the intervals {@code flux bootstrap} writes (1m for
   * sources, 10m for Kustomizations).
   */
  static String fluxSource(String repoUrl, String token) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: fleet-auth, namespace: %3$s}
        stringData: {username: bench, password: "%2$s"}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: fleet, namespace: %3$s}
        spec:
          interval: 1m
          url: %1$s
          ref: {branch: main}
          secretRef: {name: fleet-auth}
        """
        .formatted(repoUrl, token, FluxControllers.NAMESPACE);
  }

  /** Every application as a Flux Kustomization with {@code wait} and {@code prune}. */
  String fluxKustomizations() {
    StringBuilder all = new StringBuilder();
    for (int app = 0; app < apps; app++) {
      all.append(
          """
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata: {name: %1$s, namespace: %3$s}
          spec:
            interval: 10m
            path: ./apps/%1$s
            prune: true
            wait: true
            timeout: 5m
            targetNamespace: %2$s
            sourceRef: {kind: GitRepository, name: fleet}
          """
              .formatted(name(app), namespace(app), FluxControllers.NAMESPACE));
    }
    return all.toString();
  }
}
