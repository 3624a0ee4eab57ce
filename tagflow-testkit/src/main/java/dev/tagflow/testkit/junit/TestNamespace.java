package dev.tagflow.testkit.junit;

/** The namespace of one test, created before it and deleted after it. */
public record TestNamespace(String name) {}
