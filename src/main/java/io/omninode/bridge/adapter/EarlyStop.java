package io.omninode.bridge.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIGTERM before Vert.x runs: nothing to stop yet, but said like any other stop. The launcher
 * installs its own shutdown hook (which closes Vert.x) only once Vert.x has started.
 */
final class EarlyStop {

  private static final Logger log = LoggerFactory.getLogger(EarlyStop.class);

  private final Thread hook = new Thread(() -> log.info("Shut down cleanly"), "early-stop");

  void arm() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** From now on the launcher's hook answers a stop, or start-up failed; false if a stop has already begun. */
  boolean disarm() {
    try {
      return Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }
}
