package dev.tagflow.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeyFileTest {

  private static final SecretScope SHOP = new SecretScope.Project("shop");

  @TempDir Path dataDir;

  @Test
  void theKeyFileIsCreatedOnFirstUseReadableByItsOwnerOnly() throws Exception {
    SecretCipher cipher = SecretKeyFile.load(dataDir.resolve("new"));

    Path file = dataDir.resolve("new/secrets.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file).strip()).hasSize(44);
    try (var files = Files.list(dataDir.resolve("new"))) {
      assertThat(files).containsExactly(file);
    }
    byte[] sealed = cipher.seal(SHOP, "TOKEN", "value".getBytes(StandardCharsets.UTF_8));
    assertThat(SecretKeyFile.load(dataDir.resolve("new")).open(SHOP, "TOKEN", sealed))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("value");
  }

  @Test
  void aKeyFileOthersCanReadIsRefusedWithTheChmodThatFixesIt() throws Exception {
    SecretKeyFile.load(dataDir);
    Path file = dataDir.resolve("secrets.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> SecretKeyFile.load(dataDir))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "the secret key file "
                + file
                + " has mode rw-r--r--: others than its owner can read or change it, and with it"
                + " every stored secret. Make it private with: chmod 600 "
                + file);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(SecretKeyFile.load(dataDir)).isNotNull();
  }

  @Test
  void aKeyFileWritableByTheGroupIsRefusedToo() throws Exception {
    SecretKeyFile.load(dataDir);
    Path file = dataDir.resolve("secrets.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));

    assertThatThrownBy(() -> SecretKeyFile.load(dataDir)).hasMessageContaining("chmod 600 " + file);
  }

  @Test
  void aKeyFileThatHoldsNoKeyIsNamedAndNotReplaced() throws Exception {
    Path file = dataDir.resolve("secrets.key");
    Files.writeString(file, "not a key\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> SecretKeyFile.load(dataDir))
        .hasMessageContaining("does not hold a key (256 bits in base64)")
        .hasMessageContaining("restore it from its backup");
    assertThat(Files.readString(file)).isEqualTo("not a key\n");
  }

  @Test
  void processesStartingAtOnceAgreeOnOneKey() throws Exception {
    Path fresh = dataDir.resolve("race");
    List<Callable<SecretCipher>> loads =
        IntStream.range(0, 8)
            .<Callable<SecretCipher>>mapToObj(i -> () -> SecretKeyFile.load(fresh))
            .toList();
    List<SecretCipher> ciphers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<SecretCipher> loaded : pool.invokeAll(loads)) {
        ciphers.add(loaded.get());
      }
    }

    byte[] sealed = ciphers.getFirst().seal(SHOP, "TOKEN", "v".getBytes(StandardCharsets.UTF_8));
    for (SecretCipher cipher : ciphers) {
      assertThat(cipher.open(SHOP, "TOKEN", sealed))
          .isEqualTo("v".getBytes(StandardCharsets.UTF_8));
    }
    try (var files = Files.list(fresh)) {
      assertThat(files).containsExactly(fresh.resolve("secrets.key"));
    }
  }

  @Test
  void sealingTwiceGivesDifferentBytesThatBothOpen() {
    SecretCipher cipher = SecretKeyFile.load(dataDir);
    byte[] value = "same".getBytes(StandardCharsets.UTF_8);

    byte[] first = cipher.seal(SHOP, "TOKEN", value);
    byte[] second = cipher.seal(SHOP, "TOKEN", value);

    assertThat(first).isNotEqualTo(second);
    assertThat(cipher.open(SHOP, "TOKEN", first)).isEqualTo(value);
    assertThat(cipher.open(SHOP, "TOKEN", second)).isEqualTo(value);
  }

  @Test
  void aValueOpensOnlyUnderTheScopeAndNameItWasSealedFor() {
    SecretCipher cipher = SecretKeyFile.load(dataDir);
    byte[] sealed = cipher.seal(SHOP, "TOKEN", "v".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> cipher.open(SHOP, "OTHER", sealed))
        .hasMessageContaining("does not open");
    assertThatThrownBy(() -> cipher.open(new SecretScope.Repository("shop"), "TOKEN", sealed))
        .hasMessageContaining("does not open");
    assertThatThrownBy(() -> cipher.open(SHOP, "TOKEN", new byte[3]))
        .hasMessageContaining("does not open");
  }
}
