package dev.tagflow.secret;

import dev.tagflow.TagflowException;
import dev.tagflow.store.SecretStore;
import dev.tagflow.store.StoredSecret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tagflow's secrets: set, list, delete per project or repository, sealed at rest ({@link
 * SecretCipher}) in the store, and resolved for a workflow: only the names it uses.
 */
public final class Secrets {

  private static final Logger log = LoggerFactory.getLogger(Secrets.class);

  /** GitHub's limit on a secret's size, so a workflow that runs there runs here. */
  public static final int MAX_VALUE_BYTES = 48 * 1024;

  // GitHub's rules: letters, digits and '_', not starting with a digit, not GITHUB_.
  private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,254}");

  private final SecretStore store;
  private final SecretCipher cipher;

  public Secrets(SecretStore store, SecretCipher cipher) {
    this.store = store;
    this.cipher = cipher;
  }

  /**
   * Sets a secret, replacing its value if it has one.
   *
   * @param value UTF-8 text, not empty, at most {@link #MAX_VALUE_BYTES}, no NUL
   * @return the name as stored (upper case)
   */
  public String set(SecretScope scope, String name, byte[] value) {
    String stored = checkedName(name);
    checkValue(stored, value);
    store.put(scope.key(), stored, cipher.seal(scope, stored, value));
    log.info("secret {} of {} set", stored, scope);
    return stored;
  }

  /** Every secret, or those of one scope: scope, name and update time, never a value. */
  public List<SecretEntry> list(Optional<SecretScope> scope) {
    return store.list().stream()
        .filter(s -> scope.isEmpty() || scope.get().key().equals(s.scope()))
        .map(Secrets::entryOf)
        .toList();
  }

  /**
   * Deletes a secret.
   *
   * @return whether there was one
   */
  public boolean delete(SecretScope scope, String name) {
    String stored = checkedName(name);
    boolean deleted = store.delete(scope.key(), stored);
    if (deleted) {
      log.info("secret {} of {} deleted", stored, scope);
    }
    return deleted;
  }

  /**
   * The values of the secrets a workflow names, and only those: each from the first scope that
   * holds it (a repository's before its project's).
   *
   * @param scopes where to look, in order of precedence
   * @param names the names the workflow references ({@code secrets.NAME}); any case
   * @throws TagflowException when a stored value does not open (changed, moved, other key)
   */
  public ResolvedSecrets resolve(List<SecretScope> scopes, Collection<String> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names) {
      wanted.add(canonicalName(name));
    }
    Map<String, String> values = new HashMap<>();
    for (SecretScope scope : scopes) {
      List<String> open = wanted.stream().filter(n -> !values.containsKey(n)).toList();
      if (open.isEmpty()) {
        break;
      }
      store
          .getAll(scope.key(), open)
          .forEach((name, stored) -> values.put(name, text(cipher.open(scope, name, stored))));
    }
    TreeSet<String> missing = new TreeSet<>(wanted);
    missing.removeAll(values.keySet());
    return new ResolvedSecrets(values, missing);
  }

  /** A secret name as GitHub compares it: upper case. */
  static String canonicalName(String name) {
    return name.strip().toUpperCase(Locale.ROOT);
  }

  private static String checkedName(String name) {
    String upper = canonicalName(name);
    if (!NAME.matcher(upper).matches()) {
      throw TagflowException.invalidInput(
          "'"
              + name
              + "' is not a secret name: letters, digits and '_', not starting with a digit"
              + " (as GitHub's), such as REGISTRY_PASSWORD");
    }
    if (upper.startsWith("GITHUB_")) {
      throw TagflowException.invalidInput(
          "secret names starting with GITHUB_ are reserved (as on GitHub); rename " + name);
    }
    return upper;
  }

  private static void checkValue(String name, byte[] value) {
    if (value.length == 0) {
      throw TagflowException.invalidInput(
          "the value of secret " + name + " is empty; give it on stdin or with --from-file");
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw TagflowException.invalidInput(
          "the value of secret "
              + name
              + " has "
              + value.length
              + " bytes, more than the "
              + MAX_VALUE_BYTES
              + " a secret may hold (as on GitHub); keep a larger file encrypted in the"
              + " repository and its key as the secret");
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      if (text.indexOf('\0') >= 0) {
        throw TagflowException.invalidInput(
            "the value of secret "
                + name
                + " contains a NUL byte, which no environment variable can carry; store binary"
                + " data base64-encoded");
      }
    } catch (CharacterCodingException e) {
      throw TagflowException.invalidInput(
          "the value of secret "
              + name
              + " is not UTF-8 text; store binary data base64-encoded (base64 -w0 file)");
    }
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private static SecretEntry entryOf(StoredSecret stored) {
    return new SecretEntry(SecretScope.ofKey(stored.scope()), stored.name(), stored.updatedAt());
  }
}
