package dev.tagflow.server.system;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tagflow.UrlRedaction;

/**
 * Logback's {@code %ex} with the credentials of every URL removed: a stack trace carries the
 * messages of every cause, JGit's included, which name the URL they failed on.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return UrlRedaction.redact(super.convert(event));
  }
}
