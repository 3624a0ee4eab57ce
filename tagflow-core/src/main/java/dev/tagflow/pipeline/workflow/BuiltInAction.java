package dev.tagflow.pipeline.workflow;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The actions Tagflow runs itself instead of fetching them, by the name a workflow uses. */
public enum BuiltInAction {
  CHECKOUT("actions/checkout"),
  SETUP_JAVA("actions/setup-java"),
  UPLOAD_ARTIFACT("actions/upload-artifact"),
  DOWNLOAD_ARTIFACT("actions/download-artifact"),
  CACHE("actions/cache"),
  CACHE_RESTORE("actions/cache/restore"),
  CACHE_SAVE("actions/cache/save"),
  IMAGE("tagflow/image"),
  PROMOTE("tagflow/promote");

  private final String action;

  BuiltInAction(String action) {
    this.action = action;
  }

  /** The name in {@code uses:}, without the ref: {@code actions/checkout}. */
  public String action() {
    return action;
  }

  /** The built-in of that name, if it is one (names compare as GitHub does, ignoring case). */
  public static Optional<BuiltInAction> named(String action) {
    String wanted = action.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(b -> b.action.equals(wanted)).findFirst();
  }
}
