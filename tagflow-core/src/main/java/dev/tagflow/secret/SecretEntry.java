package dev.tagflow.secret;

import java.time.Instant;

/** What {@code tagflow secret list} shows of a secret: never its value. */
public record SecretEntry(SecretScope scope, String name, Instant updatedAt) {}
