package dev.tagflow.testkit.junit;

import dev.tagflow.local.cluster.ClusterOptions;
import dev.tagflow.local.cluster.LocalCluster;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a real local cluster: one per test JVM, started on first use
 * and stopped when the JVM's tests are done, and a namespace of its own for every test.
 *
 * <p>Test methods and constructors may take a {@link LocalCluster}, a {@link KubernetesClient}
 * (shared; do not close it) and a {@link TestNamespace}. The cluster's state is kept in {@code
 * target/testkit-cluster} of the module, or in the folder named by the system property {@code
 * tagflow.testkit.stateDir}.
 */
public final class LocalClusterExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(LocalClusterExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    SharedCluster shared = shared(context);
    String name = namespaceName(context);
    Namespace namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("tagflow.dev/test", "true")
            .endMetadata()
            .build();
    shared.client().namespaces().resource(namespace).create();
    context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace =
        context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
    if (namespace != null) {
      // Not awaited: the namespace controller finishes the deletion while the next test runs.
      shared(context).client().namespaces().withName(namespace.name()).delete();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalCluster.class
        || type == KubernetesClient.class
        || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    SharedCluster shared = shared(context);
    if (type == LocalCluster.class) {
      return shared.cluster();
    }
    if (type == KubernetesClient.class) {
      return shared.client();
    }
    TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (namespace == null) {
      throw new IllegalStateException(
          "a TestNamespace exists only inside a test method, not in a constructor or @BeforeAll");
    }
    return namespace;
  }

  private static SharedCluster shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .computeIfAbsent(Startup.class, key -> Startup.attempt(), Startup.class)
        .cluster();
  }

  /**
   * The outcome of starting this JVM's cluster, kept so that a failed start is reported to every
   * test at once instead of being retried (slowly) by each.
   */
  record Startup(SharedCluster shared, RuntimeException failure) implements AutoCloseable {

    static Startup attempt() {
      try {
        return new Startup(SharedCluster.start(), null);
      } catch (RuntimeException e) {
        return new Startup(null, e);
      }
    }

    SharedCluster cluster() {
      if (failure != null) {
        throw new IllegalStateException(
            "the local cluster could not be started: " + failure.getMessage(), failure);
      }
      return shared;
    }

    @Override
    public void close() {
      if (shared != null) {
        shared.close();
      }
    }
  }

  private static String namespaceName(ExtensionContext context) {
    String method =
        context.getTestMethod().map(m -> m.getName()).orElse("test").toLowerCase(Locale.ROOT);
    String cleaned = method.replaceAll("[^a-z0-9]", "");
    if (cleaned.length() > 40) {
      cleaned = cleaned.substring(0, 40);
    }
    return "t-"
        + cleaned
        + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }

  /** The cluster of this test JVM and its admin client; closed by JUnit after the last test. */
  record SharedCluster(LocalCluster cluster, KubernetesClient client) implements AutoCloseable {

    static SharedCluster start() {
      String configured = System.getProperty("tagflow.testkit.stateDir");
      Path state =
          configured != null
              ? Path.of(configured)
              : Path.of("target", "testkit-cluster").toAbsolutePath();
      LocalCluster cluster =
          LocalCluster.start(
              ClusterOptions.defaults("tagflow-test", state, true),
              line -> System.out.println("[testkit] " + line));
      return new SharedCluster(cluster, cluster.newClient());
    }

    @Override
    public void close() {
      client.close();
      cluster.close();
    }
  }
}
