package dev.tagflow.server;

/**
 * The body of every error answer of the HTTP API: a stable code, what went wrong, how to fix it.
 *
 * @param error a stable machine-readable code, e.g. {@code invalid_signature}
 * @param message what went wrong, for a person
 * @param fix what to do about it
 */
public record ApiError(String error, String message, String fix) {}
