package io.omninode.bridge.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The words of a start or a stop that fails: one ERROR line naming the cause, no stack trace. A
 * start-up failure's line starts with {@code Cannot start: }, and it is the only one: the launcher's
 * own lines are silenced (logback.xml).
 */
final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  /** The launcher's own bound on starting Vert.x, on deploying and on closing. */
  static final String LAUNCHER_TIMEOUT = "2 minutes";
  private static final int MAX_CAUSES = 5;

  private Failures() {
  }

  static void cannotStart(String cause) {
    log.error("Cannot start: {}", cause);
  }

  /** {@code failure} is null when the launcher gave up waiting. */
  static void vertxDidNotStart(Throwable failure) {
    cannotStart(failure == null ? "Vert.x did not start within " + LAUNCHER_TIMEOUT
        : "Vert.x did not start: " + describe(failure));
  }

  /** {@code failure} is null when the launcher gave up waiting. */
  static void notDeployed(Throwable failure) {
    cannotStart(failure == null ? "not deployed within " + LAUNCHER_TIMEOUT : describe(failure));
  }

  /** {@code failure} is null when the launcher gave up waiting. */
  static void notStopped(Throwable failure) {
    log.error("Could not shut down cleanly: {}", failure == null ? "Vert.x did not close within " + LAUNCHER_TIMEOUT
        : describe(failure));
  }

  static void peersNotChecked(Throwable failure) {
    log.error("Cannot check the event-bus TLS of cluster members: {}", describe(failure));
  }

  /** The failure's own message, which says what; and its root cause when that says more about why. */
  static String describe(Throwable failure) {
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < MAX_CAUSES; depth++) {
      root = root.getCause();
    }
    boolean rootSaysMore = root != failure && root.getMessage() != null && !message.contains(root.getMessage());
    return rootSaysMore ? message + " (" + root + ")" : message;
  }
}
