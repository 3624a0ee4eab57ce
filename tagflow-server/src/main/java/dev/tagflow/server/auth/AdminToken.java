package dev.tagflow.server.auth;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The admin token: made at the first start (owner {@code admin}, which the built-in policy makes an
 * admin), printed once to the console, never to the log, and written to {@code
 * <dataDir>/admin-token} with mode 0600. A start with that file readable by others is refused.
 */
public final class AdminToken {

  public static final String FILE = "admin-token";
  public static final String OWNER = "admin";

  private AdminToken() {}

  /**
   * Makes the admin token if the data directory has none; checks the file's mode if it has.
   *
   * @return whether a token was made (and printed)
   */
  public static boolean ensure(Path dataDir, ApiTokens tokens, PrintWriter console) {
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      requirePrivate(file);
      return false;
    }
    String name =
        tokens.list().stream().anyMatch(t -> t.name().equals(OWNER))
            ? OWNER + "-" + System.currentTimeMillis() / 1000
            : OWNER;
    ApiTokens.Created created = tokens.create(name, OWNER, Optional.empty());
    try {
      Files.createDirectories(dataDir);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(
          file,
          created.text() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException raced) {
      tokens.revoke(created.record().id());
      throw TagflowException.failed(file + " appeared while Tagflow was making it: start again");
    } catch (IOException e) {
      tokens.revoke(created.record().id());
      throw TagflowException.failed(
          "cannot write the admin token to " + file + ": " + e.getMessage());
    }
    console.println(
        "Admin token (shown once; also in " + file + ", readable by you only): " + created.text());
    console.flush();
    return true;
  }

  /** Refuses a token file that its group or others may read or write. */
  static void requirePrivate(Path file) {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException notPosix) {
      return;
    } catch (IOException e) {
      throw TagflowException.failed("cannot read the mode of " + file + ": " + e.getMessage());
    }
    Set<PosixFilePermission> loose =
        Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);
    if (mode.stream().anyMatch(loose::contains)) {
      throw TagflowException.invalidInput(
          file
              + " holds the admin token but its mode is "
              + PosixFilePermissions.toString(mode)
              + ": others may read it. Run 'chmod 600 "
              + file
              + "' (and revoke the token with 'tagflow token revoke admin' if someone may have"
              + " read it), then start again");
    }
  }
}
