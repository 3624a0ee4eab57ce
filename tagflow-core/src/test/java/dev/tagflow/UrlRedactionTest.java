package dev.tagflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlRedactionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // user and password, password alone, token as user: the whole user info goes
        "https://user:s3cret@github.com/o/r.git | https://github.com/o/r.git",
        "https://:s3cret@github.com/o/r.git     | https://github.com/o/r.git",
        "https://ghp_s3cret@github.com/o/r.git  | https://github.com/o/r.git",
        "http://user:s3cret@127.0.0.1:8080/r    | http://127.0.0.1:8080/r",
        "HTTPS://user:s3cret@host/r             | HTTPS://host/r",
        "git://user:s3cret@host/r.git           | git://host/r.git",
        "git+https://s3cret@host/r.git          | git+https://host/r.git",
        "file://user:s3cret@/srv/r.git          | file:///srv/r.git",
        // the host alone, or with a port, a query or a fragment after it
        "https://s3cret@host                    | https://host",
        "https://s3cret@host:8443               | https://host:8443",
        "https://s3cret@host?x=1                | https://host?x=1",
        "https://s3cret@host#frag               | https://host#frag",
        // SSH keeps a plain user name, the account to log in as; a password still goes
        "ssh://git@github.com/o/r.git           | ssh://git@github.com/o/r.git",
        "ssh://git:s3cret@github.com/o/r.git    | ssh://git@github.com/o/r.git",
        "ssh://:s3cret@github.com/o/r.git       | ssh://github.com/o/r.git",
        "git+ssh://git:s3cret@host/r.git        | git+ssh://git@host/r.git",
        "SSH://git:s3cret@host/r.git            | SSH://git@host/r.git",
        "ssh://a%40b:s3cret@host/r.git          | ssh://host/r.git",
        // scp-like: only a user name, left as it is
        "git@github.com:o/r.git                 | git@github.com:o/r.git",
        // nothing to remove
        "https://github.com/o/r.git             | https://github.com/o/r.git",
        "/srv/git/r.git                         | /srv/git/r.git",
        "file:///srv/git/r.git                  | file:///srv/git/r.git",
      })
  void removesTheCredentialsOfOneUrl(String url, String redacted) {
    assertThat(UrlRedaction.redact(url)).isEqualTo(redacted);
  }

  @Test
  void aPercentEncodedAtSignInThePasswordGoesWithIt() {
    assertThat(UrlRedaction.redact("https://me%40corp.com:p%40ss%3Aw0rd@host/r.git"))
        .isEqualTo("https://host/r.git");
  }

  @Test
  void aRawAtSignInThePasswordGoesWithIt() {
    assertThat(UrlRedaction.redact("https://user:p@ss@w0rd@host/r.git"))
        .isEqualTo("https://host/r.git");
  }

  @Test
  void anAtSignInThePathIsNotUserInfo() {
    assertThat(UrlRedaction.redact("https://host/o/r@v1.git")).isEqualTo("https://host/o/r@v1.git");
    assertThat(UrlRedaction.redact("https://s3cret@host/o/r@v1.git"))
        .isEqualTo("https://host/o/r@v1.git");
  }

  @Test
  void aPasswordWithASlashIsRemovedEvenThoughItEndsTheHostEarly() {
    // Not a valid URL, and pasted all the same: shown too short rather than with its secret.
    assertThat(UrlRedaction.redact("https://user:s3/cr?e#t@host/r.git"))
        .isEqualTo("https://host/r.git");
    assertThat(UrlRedaction.redact("https://host:8080/o/r@v1.git"))
        .isEqualTo("https://host:8080/o/r@v1.git");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://user:/s3cret@host/r.git",
        "https://user:?s3cret@host/r.git",
        "https://:#s3cret@host/r.git",
        "https://[user:s3?cret@host/r.git",
        "https://user:\u0661/s3cret@host/r.git"
      })
  void aPasswordAfterWhatOnlyLooksLikeAHostAndPortIsRemoved(String url) {
    // Found by UrlRedactionFuzzTest: an empty or non-ASCII "port", or a '[' that starts no IPv6
    // address, was taken for part of a host.
    assertThat(UrlRedaction.redact(url)).isEqualTo("https://host/r.git");
  }

  @Test
  void anEmptyPortIsReadAsTheStartOfAPassword() {
    // Too short rather than with a secret: "host:" and "user:/pw" cannot be told apart.
    assertThat(UrlRedaction.redact("https://host:/r@x")).isEqualTo("https://x");
  }

  @Test
  void anEmailAsUserAndAPasswordWithASlashGoTogether() {
    assertThat(UrlRedaction.redact("https://me@corp.com:pa/ss@host/r.git"))
        .isEqualTo("https://host/r.git");
  }

  @Test
  void anSshPasswordAfterAUserWithAnAtSignIsRemoved() {
    // Found by UrlRedactionFuzzTest: the plain user before the first '@' was kept, and what came
    // after it was taken for the host.
    assertThat(UrlRedaction.redact("ssh://git@corp:pa?ss@host/r.git"))
        .isEqualTo("ssh://git@host/r.git");
  }

  @Test
  void redactingARedactedTextChangesNothing() {
    // Found by UrlRedactionFuzzTest: what followed the first user info looked like a password.
    String text = "ssh://%04ab:pX@YY[::1?e#t]w@host";
    assertThat(UrlRedaction.redact(text)).isEqualTo("ssh://host");
    assertThat(UrlRedaction.redact(UrlRedaction.redact(text))).isEqualTo("ssh://host");
  }

  @Test
  void ipv6HostsKeepTheirBracketsAndPort() {
    assertThat(UrlRedaction.redact("https://user:s3cret@[::1]:8443/r.git"))
        .isEqualTo("https://[::1]:8443/r.git");
    assertThat(UrlRedaction.redact("https://[2001:db8::1]/o/r@x.git"))
        .isEqualTo("https://[2001:db8::1]/o/r@x.git");
  }

  @Test
  void everyUrlOfAMessageIsRedacted() {
    String message =
        "no tracked repository matches https://a:s3cret@h1/x.git, ssh://git:s3cret@h2/x.git,"
            + " git@h3:x.git; add it with 'tagflow repo add https://s3cret@h4/x.git'";

    assertThat(UrlRedaction.redact(message))
        .isEqualTo(
            "no tracked repository matches https://h1/x.git, ssh://git@h2/x.git,"
                + " git@h3:x.git; add it with 'tagflow repo add https://h4/x.git'");
  }

  @Test
  void aUrlInsideAJGitMessageOrJsonOrAMeterLabelIsRedacted() {
    assertThat(
            UrlRedaction.redact(
                "org.eclipse.jgit.api.errors.TransportException: https://s3cret@host/r.git:"
                    + " not authorized"))
        .isEqualTo(
            "org.eclipse.jgit.api.errors.TransportException: https://host/r.git: not authorized");
    assertThat(UrlRedaction.redact("{\"repositories\":[\"https://u:s3cret@host/r.git\"]}"))
        .isEqualTo("{\"repositories\":[\"https://host/r.git\"]}");
    assertThat(UrlRedaction.redact("fetch_total{repository=\"http://:s3cret@h/r\",} 1.0"))
        .isEqualTo("fetch_total{repository=\"http://h/r\",} 1.0");
    assertThat(UrlRedaction.redact("(<https://u:s3cret@host/r>)")).isEqualTo("(<https://host/r>)");
  }

  @Test
  void aUrlInTheQueryOfAnotherIsRedactedToo() {
    assertThat(UrlRedaction.redact("https://u:s3cret@a/login?next=https://v:s3cret@b/r"))
        .isEqualTo("https://a/login?next=https://b/r");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "plain text", "://x@host", "https://", "a@b", "mailto:someone@example.com"})
  void textWithoutUserInfoInAUrlIsLeftAsItIs(String text) {
    assertThat(UrlRedaction.redact(text)).isEqualTo(text);
  }

  @Test
  void anEmptyUserInfoIsRemovedAndNullStaysNull() {
    assertThat(UrlRedaction.redact("https://@host/r")).isEqualTo("https://host/r");
    assertThat(UrlRedaction.redact(null)).isNull();
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    for (String url :
        new String[] {
          "https://u:s3cret@host/r", "ssh://git:s3cret@host/r", "https://u:s3/cret@host/r"
        }) {
      String once = UrlRedaction.redact(url);
      assertThat(UrlRedaction.redact(once)).isEqualTo(once);
    }
  }

  @Test
  void tellsWhetherAUrlHoldsCredentials() {
    assertThat(UrlRedaction.hasCredentials("https://s3cret@host/r")).isTrue();
    assertThat(UrlRedaction.hasCredentials("https://:s3cret@host/r")).isTrue();
    assertThat(UrlRedaction.hasCredentials("ssh://git:s3cret@host/r")).isTrue();
    assertThat(UrlRedaction.hasCredentials("ssh://git@host/r")).isFalse();
    assertThat(UrlRedaction.hasCredentials("git@host:r.git")).isFalse();
    assertThat(UrlRedaction.hasCredentials("https://host/r@x")).isFalse();
  }

  @Test
  void failuresAreRedactedWhenTheyAreMade() {
    TagflowException failure =
        TagflowException.failed("cannot reach repository https://u:s3cret@host/r.git");

    assertThat(failure.getMessage()).isEqualTo("cannot reach repository https://host/r.git");
  }
}
