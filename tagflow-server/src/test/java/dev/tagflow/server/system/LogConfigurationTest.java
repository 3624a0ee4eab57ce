package dev.tagflow.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogConfigurationTest {

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();

  private String configured(Level level, Runnable logging) {
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own start gives a context
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setOutputStream(written);
    LogConfiguration.configure(context, appender, level);
    logging.run();
    context.stop();
    return written.toString(StandardCharsets.UTF_8);
  }

  @Test
  void oneLinePerEventWithoutTheCredentialsOfAUrl() {
    String log =
        configured(
            Level.INFO,
            () ->
                context
                    .getLogger("dev.tagflow.source.GitPoller")
                    .info("fetched https://alice:s3cret@git.example.com/shop.git"));

    assertThat(log)
        .matches(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.t\\.source\\.GitPoller - fetched"
                + " https://git\\.example\\.com/shop\\.git\\R")
        .doesNotContain("s3cret");
  }

  @Test
  void theRootLevelAndTheQuietLibrariesHold() {
    String log =
        configured(
            Level.WARN,
            () -> {
              context.getLogger("dev.tagflow.x").info("not shown");
              context.getLogger("dev.tagflow.x").warn("shown");
              context.getLogger("org.eclipse.jgit.transport").warn("jgit warning");
              assertThat(context.getLogger("org.eclipse.jgit.transport").getEffectiveLevel())
                  .isEqualTo(Level.WARN);
            });
    assertThat(log).contains("shown", "jgit warning").doesNotContain("not shown");
  }

  @Test
  void logbackFindsItAndItConfiguresStderr() {
    assertThat(ServiceLoader.load(Configurator.class))
        .anySatisfy(found -> assertThat(found).isInstanceOf(LogConfiguration.class));
    context.setMDCAdapter(new LogbackMDCAdapter());
    LogConfiguration configuration = new LogConfiguration();
    configuration.setContext(context);

    assertThat(configuration.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
        .isInstanceOfSatisfying(
            ConsoleAppender.class,
            stderr -> assertThat(stderr.getTarget()).isEqualTo("System.err"));
    context.stop();
  }
}
