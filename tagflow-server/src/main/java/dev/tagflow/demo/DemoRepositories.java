package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * The demo's repositories on tagflow server's own Git server: created over {@code /api/repos},
 * worked on in {@code <demo>/work/<name>} and pushed with the real {@code git}, whose token is in a
 * credential file rather than in a URL or an argument.
 */
final class DemoRepositories {

  private final Narrator tell;
  private final DemoSetup setup;
  private final URI server;

  DemoRepositories(Narrator tell, DemoSetup setup, URI server) {
    this.tell = tell;
    this.setup = setup;
    this.server = server;
  }

  /** Creates the repository on the server, as curl would. */
  void create(String name) {
    tell.command(
        "curl -X POST -H 'Authorization: Bearer …' -d '{\"name\":\""
            + name
            + "\"}' "
            + server
            + "/api/repos");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(server.resolve("/api/repos"))
                  .header("Authorization", "Bearer " + setup.token())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw TagflowException.failed(
            "the demo stopped: POST /api/repos "
                + name
                + " answered "
                + answer.statusCode()
                + ": "
                + answer.body());
      }
      tell.say("created " + server + "/git/" + name + ".git");
    } catch (IOException e) {
      throw TagflowException.failed(
          "the demo stopped: POST /api/repos failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("the demo was interrupted");
    }
  }

  /** A work tree whose origin is the server's repository; the token is in a credential file. */
  GitWorkTree workTree(String name) {
    GitWorkTree tree = GitWorkTree.init(setup.home().resolve("work").resolve(name));
    Path credentials = setup.home().resolve("git-credentials");
    DemoFiles.write(
        credentials, "http://tagflow:" + setup.token() + "@" + server.getAuthority() + "\n");
    tree.git("config", "credential.helper", "store --file=" + credentials);
    tree.git("remote", "add", "origin", server + "/git/" + name + ".git");
    return tree;
  }

  void push(GitWorkTree tree, String ref) {
    tell.command("git push origin " + ref + "   # in " + tree.directory().getFileName());
    tree.git("push", "-q", "origin", ref);
  }

  void tag(GitWorkTree tree, String tag, String message) {
    tell.command("git tag -a " + tag + " -m '" + message + "'");
    tree.git("tag", "-a", tag, "-m", message);
    push(tree, tag);
  }
}
