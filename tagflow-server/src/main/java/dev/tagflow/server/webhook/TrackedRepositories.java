package dev.tagflow.server.webhook;

import java.util.List;

/** The repository URLs Tagflow follows, as configured; webhooks for any other are ignored. */
@FunctionalInterface
public interface TrackedRepositories {
  List<String> urls();
}
