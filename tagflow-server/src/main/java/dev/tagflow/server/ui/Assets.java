package dev.tagflow.server.ui;

import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The UI's scripts and stylesheet, served from the classpath (webjars and our own). */
final class Assets {

  /** The htmx of the htmx.org webjar. */
  static String htmx() {
    return webjar("htmx.org", "dist/htmx.min.js");
  }

  /** htmx's server-sent events extension, from the htmx-ext-sse webjar. */
  static String htmxSse() {
    return webjar("htmx-ext-sse", "sse.js");
  }

  /** uPlot, the charts' library, from its webjar. */
  static String uPlot() {
    return webjar("uplot", "dist/uPlot.iife.min.js");
  }

  /** uPlot's stylesheet. */
  static String uPlotCss() {
    return webjar("uplot", "dist/uPlot.min.css");
  }

  static final String CHARTS = "/dev/tagflow/server/ui/tagflow-charts.js";

  static final String CSS = "/dev/tagflow/server/ui/tagflow.css";
  static final String SCRIPT = "/dev/tagflow/server/ui/tagflow.js";

  private Assets() {}

  /**
   * A file of an npm webjar, at the version the pom pinned (read from the jar's pom.properties).
   */
  static String webjar(String name, String file) {
    String properties = "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
    try (InputStream in = Assets.class.getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException("the webjar " + name + " is not on the classpath");
      }
      java.util.Properties read = new java.util.Properties();
      read.load(in);
      return "/META-INF/resources/webjars/" + name + "/" + read.getProperty("version") + "/" + file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + properties, e);
    }
  }

  /** Serves one resource, read once at start: a missing one stops the start, not a request. */
  static Handler of(String resource, String contentType) {
    byte[] bytes;
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the UI asset " + resource + " is not on the classpath: the build left it out");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the UI asset " + resource, e);
    }
    return ctx -> {
      ctx.header("Cache-Control", "public, max-age=3600");
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.contentType(contentType).result(bytes);
    };
  }
}
