package dev.tagflow.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The product's logging configuration, as {@code tagflow} loads it, with its redaction. */
class RedactingConvertersTest {

  private static final String SECRET = "log-canary-s3cret";

  @Test
  void aLineAndItsStackTraceLoseTheCredentialsOfEveryUrl() throws Exception {
    String logged =
        logWithTheProductConfiguration(
            "fetch of https://deploy:" + SECRET + "@git.example.com/a.git failed",
            new IllegalStateException(
                "refresh failed",
                new RuntimeException(
                    "https://" + SECRET + "@git.example.com/a.git: not authorized")));

    assertThat(logged)
        .contains("WARN")
        .contains("fetch of https://git.example.com/a.git failed")
        .contains("java.lang.IllegalStateException: refresh failed")
        .contains("Caused by: java.lang.RuntimeException: https://git.example.com/a.git")
        .contains("\tat ")
        .doesNotContain(SECRET)
        .doesNotContain("deploy");
  }

  /** One WARN line with a failure, through {@link LogConfiguration} into stderr, as printed. */
  private static String logWithTheProductConfiguration(String message, Throwable failure)
      throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogConfiguration configuration = new LogConfiguration();
      configuration.setContext(context);
      configuration.configure(context);
      context.getLogger("dev.tagflow.test").warn(message, failure);
    } finally {
      context.stop();
      System.setErr(stderr);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
