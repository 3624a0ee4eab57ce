package dev.tagflow.cli;

import picocli.CommandLine.Command;

/** {@code tagflow cluster}: the local Kubernetes control plane for trying Tagflow. */
@Command(name = "cluster", description = "Run a local Kubernetes control plane.")
final class ClusterCommand {}
