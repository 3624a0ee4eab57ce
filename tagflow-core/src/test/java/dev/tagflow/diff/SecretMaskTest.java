package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskTest {

  @Test
  void unchangedAndChangedValuesGetDifferentMasksAndNoValueRemains() {
    Map<String, Object> live = secret(Map.of("user", "YWRtaW4=", "password", "b2xk"));
    Map<String, Object> desired =
        secret(Map.of("user", "YWRtaW4=", "password", "bmV3", "token", "dG9r"));

    new SecretMask().mask(live, desired);

    assertThat(live.get("data"))
        .isEqualTo(Map.of("user", SecretMask.SAME, "password", SecretMask.CHANGED_LIVE));
    assertThat(desired.get("data"))
        .isEqualTo(
            Map.of(
                "user",
                SecretMask.SAME,
                "password",
                SecretMask.CHANGED_DESIRED,
                "token",
                SecretMask.SAME));
  }

  @Test
  void aNewSecretIsMaskedWithoutALiveSide() {
    Map<String, Object> desired = secret(Map.of("password", "c2VjcmV0"));

    new SecretMask().mask(null, desired);

    assertThat(desired.get("data")).isEqualTo(Map.of("password", SecretMask.SAME));
  }

  private static Map<String, Object> secret(Map<String, Object> data) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("apiVersion", "v1");
    tree.put("kind", "Secret");
    tree.put("data", new LinkedHashMap<>(data));
    return tree;
  }
}
