package dev.tagflow.server.ui;

import dev.tagflow.TagflowException;
import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.ObjectOf;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.server.notify.Delivery;
import dev.tagflow.store.ApiTokenRecord;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Settings, for admins: API tokens (create — the token shown once —, list, revoke) and local users
 * (add, change password, remove), under the same rules as {@code tagflow token} and {@code tagflow
 * user} (names, password length, a removed user's tokens revoked); and the notifications sent
 * lately. Each change answers with the settings' new content and what it did, or why not.
 */
public final class SettingsPage {

  static final String PATH = "/ui/settings";
  static final String TOKENS = "/ui/settings/tokens";
  static final String REVOKE = "/ui/settings/tokens/{id}/revoke";
  static final String USERS = "/ui/settings/users";
  static final String PASSWORD = "/ui/settings/users/{name}/password";
  static final String REMOVE = "/ui/settings/users/{name}/remove";

  /** The lifetimes a token may be given here, as {@code tagflow token create --expires} takes. */
  static final Map<String, Optional<Duration>> LIFETIMES =
      Map.of(
          "30d", Optional.of(Duration.ofDays(30)),
          "90d", Optional.of(Duration.ofDays(90)),
          "365d", Optional.of(Duration.ofDays(365)),
          "never", Optional.empty());

  private final PageFrame frame;
  private final Supplier<List<Delivery>> deliveries;

  SettingsPage(PageFrame frame, Supplier<List<Delivery>> deliveries) {
    this.frame = frame;
    this.deliveries = deliveries;
  }

  void addTo(RouteTable table) {
    table.get(PATH, Access.needs("tokens/get", ObjectOf.fixed("*")), this::page);
    table.post(
        TOKENS,
        Access.needs(
            "tokens/create",
            new ObjectOf(
                "form fields owner/name",
                ctx -> formField(ctx, "owner") + "/" + formField(ctx, "name"))),
        this::createToken);
    table.post(
        REVOKE,
        Access.needs("tokens/revoke", new ObjectOf("the token's owner/name", this::tokenObject)),
        this::revokeToken);
    table.post(
        USERS,
        Access.needs(
            "users/create", new ObjectOf("form field name", ctx -> formField(ctx, "name"))),
        this::addUser);
    table.post(PASSWORD, Access.needs("users/update", ObjectOf.pathParams("name")), this::password);
    table.post(REMOVE, Access.needs("users/delete", ObjectOf.pathParams("name")), this::removeUser);
  }

  /** What a change did, for the page to say. */
  public record Notice(String text, boolean refused, Optional<String> secret) {
    static Notice none() {
      return new Notice("", false, Optional.empty());
    }
  }

  /** A token as listed: never its secret. */
  public record TokenRow(ApiTokenRecord token, String state) {}

  private void page(Context ctx) {
    Map<String, Object> params = frame.params(ctx);
    params.putAll(content(Notice.none()));
    frame.page(ctx, "settings.jte", params);
  }

  private void createToken(Context ctx) {
    String name = formField(ctx, "name");
    String owner = formField(ctx, "owner");
    String expires = formField(ctx, "expires");
    change(
        ctx,
        () -> {
          if (!LIFETIMES.containsKey(expires)) {
            throw TagflowException.invalidInput(
                "choose the token's lifetime: 30d, 90d, 365d or never");
          }
          ApiTokens.Created created =
              frame.access().tokens().create(name, owner, LIFETIMES.get(expires));
          return new Notice(created.summary(), false, Optional.of(created.text()));
        });
  }

  private void revokeToken(Context ctx) {
    String id = ctx.pathParam("id");
    change(
        ctx,
        () -> {
          ApiTokenRecord revoked =
              frame
                  .access()
                  .tokens()
                  .revoke(id)
                  .orElseThrow(() -> TagflowException.invalidInput("there is no token " + id));
          return new Notice(
              "Token " + revoked.name() + " revoked; it stops working at once.",
              false,
              Optional.empty());
        });
  }

  private void addUser(Context ctx) {
    String name = formField(ctx, "name");
    change(
        ctx,
        () -> {
          frame.access().users().add(name, samePasswords(ctx));
          return new Notice(
              "User "
                  + name
                  + " added. Grant a role in the settings' rbac.policy, e.g. 'g, "
                  + name
                  + ", role:viewer'.",
              false,
              Optional.empty());
        });
  }

  private void password(Context ctx) {
    String name = ctx.pathParam("name");
    change(
        ctx,
        () -> {
          frame.access().users().setPassword(name, samePasswords(ctx));
          return new Notice(
              "Password of " + name + " changed; their sessions ended.", false, Optional.empty());
        });
  }

  private void removeUser(Context ctx) {
    String name = ctx.pathParam("name");
    change(
        ctx,
        () -> {
          frame.access().users().remove(name);
          return new Notice(
              "User " + name + " removed; their sessions ended and their tokens revoked.",
              false,
              Optional.empty());
        });
  }

  /** The two password fields, which must be the same. */
  private static String samePasswords(Context ctx) {
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    if (!password.equals(Optional.ofNullable(ctx.formParam("again")).orElse(""))) {
      throw TagflowException.invalidInput("the two passwords differ: nothing changed");
    }
    return password;
  }

  private interface Change {
    Notice make();
  }

  /** Makes the change and answers the settings' content: 200 with what it did, 422 with why not. */
  private void change(Context ctx, Change change) {
    Notice notice;
    try {
      notice = change.make();
    } catch (TagflowException e) {
      ctx.status(422);
      notice = new Notice(e.getMessage(), true, Optional.empty());
    }
    Map<String, Object> params = frame.params(ctx);
    params.putAll(content(notice));
    PageFrame.html(ctx, frame.render("settingsbody.jte", params));
  }

  private Map<String, Object> content(Notice notice) {
    Instant now = frame.clock().instant();
    List<TokenRow> tokens =
        frame.access().tokens().list().stream()
            .map(
                t ->
                    new TokenRow(
                        t,
                        t.revokedAt().isPresent()
                            ? "revoked"
                            : t.validAt(now) ? "active" : "expired"))
            .toList();
    return Map.of(
        "notice",
        notice,
        "tokens",
        tokens,
        "users",
        frame.access().users().list(),
        "deliveries",
        deliveries.get().stream().limit(DeliverySource.DELIVERIES_SHOWN).toList());
  }

  private String tokenObject(Context ctx) {
    String id = ctx.pathParam("id");
    return frame.access().tokens().list().stream()
        .filter(t -> t.id().equals(id))
        .findFirst()
        .map(t -> t.owner() + "/" + t.name())
        .orElse("");
  }

  private static String formField(Context ctx, String name) {
    return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
  }
}
