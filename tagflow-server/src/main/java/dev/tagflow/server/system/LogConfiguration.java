package dev.tagflow.server.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * Tagflow's logging, set up in code (found by logback through {@code META-INF/services}) rather
 * than read from a {@code logback.xml}: parsing XML costs a CLI verb about 150 ms of CPU at start.
 * One line per event on stderr, so that command output on stdout stays parseable ({@code -o json});
 * every message and stack trace without the credentials of any URL in it; the root level from
 * {@code TAGFLOW_LOG_LEVEL} (a system property, else the environment; default INFO). A file named
 * by {@code -Dlogback.configurationFile} takes precedence.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %redactedMsg%n%redactedEx";

  /** Libraries whose INFO lines are noise to an operator. */
  static final List<String> QUIET = List.of("org.eclipse.jgit", "org.eclipse.jetty", "io.javalin");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setTarget("System.err");
    configure(context, stderr, rootLevel());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sends every event of {@code context} at {@code level} or above to {@code appender}. */
  static void configure(
      LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, Level level) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put("redactedMsg", RedactingMessageConverter::new);
    layout.getInstanceConverterMap().put("redactedEx", RedactingThrowableConverter::new);
    layout.setPattern(PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setEncoder(encoder);
    appender.start();
    for (String quiet : QUIET) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
  }

  private static Level rootLevel() {
    String level = System.getProperty("TAGFLOW_LOG_LEVEL", System.getenv("TAGFLOW_LOG_LEVEL"));
    return Level.toLevel(level, Level.INFO);
  }
}
