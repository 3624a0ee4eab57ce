package dev.tagflow.secret;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals Tagflow's secrets: 256 random bits in base64, in {@code secrets.key} of the
 * data directory, created with mode 600 on first use. Lose it and the stored secrets are lost; copy
 * it and whoever has the database can read them: back it up apart from the database.
 */
public final class SecretKeyFile {

  /** The key file's name in the data directory. */
  public static final String FILE_NAME = "secrets.key";

  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SecretKeyFile() {}

  /**
   * Reads the key of {@code dataDir}, creating it (and the directory) when there is none yet.
   *
   * @throws TagflowException when the file is readable or writable by others than its owner (with
   *     the chmod that fixes it), or is not a key
   */
  public static SecretCipher load(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      create(file);
    }
    requireOwnerOnly(file);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw TagflowException.failed("could not read the secret key file " + file + ": " + e);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != KEY_BYTES) {
      throw TagflowException.failed(
          "the secret key file "
              + file
              + " does not hold a key (256 bits in base64); restore it from its backup: without it"
              + " the stored secrets cannot be read");
    }
    return new SecretCipher(new SecretKeySpec(key, "AES"));
  }

  private static void create(Path file) {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.UTF_8);
    Path temporary = null;
    try {
      Files.createDirectories(file.getParent());
      // Written whole under another name, then linked: another process starting at the same
      // moment sees either no key file or a complete one, and one of the two keys wins.
      temporary =
          Files.createTempFile(
              file.getParent(),
              ".secrets",
              ".key",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temporary, text);
      Files.createLink(file, temporary);
    } catch (FileAlreadyExistsException e) {
      // Another process made it first: use theirs.
    } catch (UnsupportedOperationException e) {
      throw TagflowException.failed(
          "the data directory "
              + file.getParent()
              + " is on a file system without POSIX permissions; Tagflow keeps its secret key"
              + " only where it can make it readable by its owner alone");
    } catch (IOException e) {
      throw TagflowException.failed("could not create the secret key file " + file + ": " + e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // A leftover temporary key file is mode 600 like the key itself.
        }
      }
    }
  }

  private static void requireOwnerOnly(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = view.readAttributes().permissions();
    } catch (IOException e) {
      throw TagflowException.failed("could not read the permissions of " + file + ": " + e);
    }
    if (permissions.stream().anyMatch(OTHERS::contains)) {
      throw TagflowException.invalidInput(
          "the secret key file "
              + file
              + " has mode "
              + PosixFilePermissions.toString(permissions)
              + ": others than its owner can read or change it, and with it every stored secret."
              + " Make it private with: chmod 600 "
              + file);
    }
  }
}
