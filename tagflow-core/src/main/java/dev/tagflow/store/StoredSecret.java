package dev.tagflow.store;

import java.time.Instant;

/** A stored secret's scope, name and last update: what may be shown of it. */
public record StoredSecret(String scope, String name, Instant updatedAt) {}
