package demo.web;

/**
 * The unit tests of the service, run by the release workflow with the JDK alone (no test library
 * to download): each check throws when it fails, and the workflow's test step fails with it.
 */
public final class GreetingTest {

  public static void main(String[] args) {
    theGreetingNamesTheVersionAndTheEnvironment();
    System.out.println("GreetingTest: 1 test passed");
  }

  static void theGreetingNamesTheVersionAndTheEnvironment() {
    String text = new Greeting("1.0.0", "dev").text();
    if (!text.equals("hello from web 1.0.0 in dev\n")) {
      throw new AssertionError("unexpected greeting: " + text);
    }
  }
}
