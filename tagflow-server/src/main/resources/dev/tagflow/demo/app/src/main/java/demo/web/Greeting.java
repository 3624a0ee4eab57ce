package demo.web;

/** What the service answers: a greeting naming the version it was released as. */
public record Greeting(String version, String environment) {

  public String text() {
    return "hello from web " + version + " in " + environment + "\n";
  }
}
