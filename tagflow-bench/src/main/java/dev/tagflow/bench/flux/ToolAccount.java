package dev.tagflow.bench.flux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's own identity on the cluster, so the API server can count the requests it sent: a service
 * account bound to cluster-admin, a kubeconfig with its token, and a FlowSchema matching only it.
 * {@code apiserver_request_total} has no user or user-agent label; API Priority and Fairness counts
 * every request (watches too) by the FlowSchema that classified it, in {@code
 * apiserver_flowcontrol_dispatched_requests_total}. Every tool gets the same priority level
 * (workload-high, where the cluster's own controllers run), so neither is throttled differently.
 *
 * @param name the account's and FlowSchema's name
 * @param kubeconfig the kubeconfig the tool is started with
 */
record ToolAccount(String name, Path kubeconfig) {

  static final String NAMESPACE = "bench-tools";
  private static final Pattern CA = Pattern.compile("certificate-authority-data: (\\S+)");
  private static final Pattern SERVER = Pattern.compile("server: (\\S+)");

  /** Creates the account, its binding, its FlowSchema and its kubeconfig in {@code dir}. */
  static ToolAccount create(Kubectl admin, String name, Path dir) throws IOException {
    admin.run(
        "apply",
        "--server-side",
        "-f",
        Files.writeString(dir.resolve(name + "-account.yaml"), objects(name)).toString());
    String token = admin.run("create", "token", name, "-n", NAMESPACE, "--duration=24h").strip();
    String adminConfig = Files.readString(admin.kubeconfig());
    Path kubeconfig = dir.resolve(name + ".kubeconfig");
    Files.deleteIfExists(kubeconfig);
    Files.createFile(
        kubeconfig,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: bench
          cluster: {server: %s, certificate-authority-data: %s}
        users:
        - name: %s
          user: {token: %s}
        contexts:
        - name: bench
          context: {cluster: bench, user: %s, namespace: default}
        current-context: bench
        """
            .formatted(first(SERVER, adminConfig), first(CA, adminConfig), name, token, name));
    return new ToolAccount(name, kubeconfig);
  }

  /** The requests the API server dispatched for this account so far, from its metrics. */
  long requestsSent(Kubectl admin) {
    String wanted = "flow_schema=\"" + flowSchema() + "\"";
    long total = 0;
    for (String line : admin.run("get", "--raw", "/metrics").split("\n")) {
      if (line.startsWith("apiserver_flowcontrol_dispatched_requests_total{")
          && line.contains(wanted)) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  String flowSchema() {
    return "bench-" + name;
  }

  private static String objects(String name) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %2$s}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: %1$s, namespace: %2$s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: bench-%1$s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: %1$s, namespace: %2$s}]
        ---
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: FlowSchema
        metadata: {name: bench-%1$s}
        spec:
          matchingPrecedence: 100
          priorityLevelConfiguration: {name: workload-high}
          distinguisherMethod: {type: ByUser}
          rules:
          - subjects: [{kind: ServiceAccount, serviceAccount: {name: %1$s, namespace: %2$s}}]
            resourceRules:
            - {verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"]}
            nonResourceRules:
            - {verbs: ["*"], nonResourceURLs: ["*"]}
        """
        .formatted(name, NAMESPACE);
  }

  private static String first(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      throw new IllegalStateException("the admin kubeconfig has no " + pattern.pattern());
    }
    return matcher.group(1);
  }
}
