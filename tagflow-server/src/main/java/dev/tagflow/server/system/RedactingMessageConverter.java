package dev.tagflow.server.system;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tagflow.UrlRedaction;

/**
 * Logback's {@code %msg} with the credentials of every URL removed: the last guard before a log
 * line leaves the process, for the lines of libraries (JGit, Jetty) and any of ours that forgot.
 */
public final class RedactingMessageConverter extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return UrlRedaction.redact(super.convert(event));
  }
}
