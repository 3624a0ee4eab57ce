package dev.tagflow.local.postgres;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who the PostgreSQL server runs as. PostgreSQL refuses to run as root, and tests and CI run as
 * root: then the server runs as the system user {@code tagflow-test} (created when missing, or
 * {@code nobody} when it cannot be), through {@code setpriv}; otherwise as the current user.
 *
 * @param user the user to switch to, or empty to stay the current user
 * @param group that user's group
 */
record ServerAccount(Optional<String> user, Optional<String> group) {

  static final String USER = "tagflow-test";
  private static final String FALLBACK_USER = "nobody";

  /** The account for this process: an unprivileged one when we are root. */
  static ServerAccount forThisProcess() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return new ServerAccount(Optional.empty(), Optional.empty());
    }
    String user = USER;
    if (!exists(USER)) {
      // Two test JVMs may both try: the loser's useradd fails, and the user exists all the same.
      run(
          List.of(
              "useradd",
              "--system",
              "--user-group",
              "--no-create-home",
              "--home-dir",
              "/nonexistent",
              "--shell",
              "/usr/sbin/nologin",
              USER));
      if (!exists(USER)) {
        user = FALLBACK_USER;
      }
    }
    String group = output(List.of("id", "-gn", user)).strip();
    return new ServerAccount(Optional.of(user), Optional.of(group));
  }

  /** The command, run as this account. */
  List<String> command(List<String> command) {
    if (user.isEmpty()) {
      return command;
    }
    List<String> full = new ArrayList<>();
    full.add("setpriv");
    full.add("--reuid=" + user.get());
    full.add("--regid=" + group.orElseThrow());
    full.add("--clear-groups");
    full.add("--");
    full.addAll(command);
    return full;
  }

  /** Makes the folder this account's, so that the server can write in it. */
  void own(Path folder) {
    if (user.isEmpty()) {
      return;
    }
    try {
      UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view =
          Files.getFileAttributeView(folder, PosixFileAttributeView.class);
      view.setOwner(lookup.lookupPrincipalByName(user.get()));
      GroupPrincipal owningGroup = lookup.lookupPrincipalByGroupName(group.orElseThrow());
      view.setGroup(owningGroup);
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "could not give " + folder + " to the user " + user.get() + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(String user) {
    return run(List.of("id", "-u", user)) == 0;
  }

  private static int run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LocalSetupException.failed("interrupted while running " + command.getFirst());
    }
  }

  private static String output(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw LocalSetupException.failed(String.join(" ", command) + " failed: " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw LocalSetupException.failed(
          "could not run " + command.getFirst() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LocalSetupException.failed("interrupted while running " + command.getFirst());
    }
  }
}
