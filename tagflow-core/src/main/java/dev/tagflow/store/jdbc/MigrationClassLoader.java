package dev.tagflow.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class loader one run of Flyway lives in. It defines Flyway's classes, Jackson 3's (which
 * Flyway uses) and {@link FlywayMigrator} itself, from the same class files its parent would load
 * them from; every other class comes from the parent. Once the run is over and the loader is
 * dropped, a collection unloads all of them: a server's first start (or an upgrade's) would
 * otherwise keep about 1,200 classes and 7 MB of class metadata it never uses again (BENCHMARKS.md,
 * "Memory at rest, part three").
 */
final class MigrationClassLoader extends ClassLoader {

  /** The packages Flyway's run needs its own copies of. */
  private static final List<String> OWN_PACKAGES = List.of("org.flywaydb.", "tools.jackson.");

  static {
    registerAsParallelCapable();
  }

  private final String migrator;
  private final Map<String, ProtectionDomain> domains = new HashMap<>(); // by the root's URL text

  MigrationClassLoader(ClassLoader parent) {
    super("tagflow-migrations", parent);
    // By name: a class literal would load the class, and Flyway's with it, in the parent.
    this.migrator = MigrationClassLoader.class.getPackageName() + ".FlywayMigrator";
  }

  /** A new {@link FlywayMigrator} of this loader. */
  SchemaMigrator migrator() {
    try {
      return (SchemaMigrator) loadClass(migrator).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load " + migrator + " for the migrations", e);
    }
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!owns(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        loaded = findClass(name);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String file = name.replace('.', '/') + ".class";
    URL url = getParent().getResource(file);
    if (url == null) {
      throw new ClassNotFoundException(name);
    }
    try (InputStream in = url.openStream()) {
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length, domainOf(url, file));
    } catch (IOException e) {
      throw new ClassNotFoundException(name + ": cannot read " + url, e);
    }
  }

  private boolean owns(String name) {
    return name.equals(migrator)
        || name.startsWith(migrator + "$")
        || OWN_PACKAGES.stream().anyMatch(name::startsWith);
  }

  /** The jar or directory the class file is in, as its code source, as the parent would say. */
  private ProtectionDomain domainOf(URL url, String file) {
    String text = url.toString();
    String root;
    if (text.startsWith("jar:") && text.endsWith("!/" + file)) {
      root = text.substring(4, text.length() - file.length() - 2);
    } else if (text.endsWith(file)) {
      root = text.substring(0, text.length() - file.length());
    } else {
      return null;
    }
    synchronized (domains) {
      return domains.computeIfAbsent(root, this::domainAt);
    }
  }

  private ProtectionDomain domainAt(String root) {
    try {
      CodeSource source = new CodeSource(URI.create(root).toURL(), (Certificate[]) null);
      return new ProtectionDomain(source, null, this, null);
    } catch (MalformedURLException | IllegalArgumentException e) {
      return null; // defined without a code source, as a class from bytes is
    }
  }
}
