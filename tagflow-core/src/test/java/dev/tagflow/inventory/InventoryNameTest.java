package dev.tagflow.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InventoryNameTest {

  private static final String LONG =
      "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);

  @Test
  void aShortNameIsKeptAsItIsDotsIncluded() {
    assertThat(InventoryStore.name("example.guestbook")).isEqualTo("inventory-example.guestbook");
    assertThat(InventoryStore.labelValue("example.guestbook")).isEqualTo("example.guestbook");
  }

  @Test
  void aLongNameFitsAnObjectNameAndALabelValueAndStaysApart() {
    String other = LONG.substring(0, 252) + "e";

    assertThat(InventoryStore.name(LONG)).hasSizeLessThanOrEqualTo(253).startsWith("inventory-a");
    assertThat(InventoryStore.labelValue(LONG))
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
    assertThat(InventoryStore.name(LONG)).isNotEqualTo(InventoryStore.name(other));
    assertThat(InventoryStore.labelValue(LONG)).isNotEqualTo(InventoryStore.labelValue(other));
  }

  @Test
  void aCutNeverEndsOnADot() {
    // 52 characters kept: the 52nd is the dot after 51 letters.
    String name = "a".repeat(51) + "." + "b".repeat(20);
    assertThat(InventoryStore.labelValue(name)).doesNotContain(".-").hasSizeLessThanOrEqualTo(63);
  }
}
