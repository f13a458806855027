package io.omninode.bridge.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The main verticle as the launcher deploys it, so that a stop arriving during start-up ends the
 * start before Vert.x undeploys: Vert.x 5.0.8 fails a verticle that is still starting when it
 * closes, then logs "Promise already completed" once that start completes.
 */
final class MainDeployment {

  private static final Logger log = LoggerFactory.getLogger(MainDeployment.class);
  /** A stop waits this long at most for the start-up step under way (migrations, a deployment) to end. */
  private static final long SETTLE_MS = 5_000;

  private MainVerticle main;
  private boolean stopping;

  /** Deploying and stopping may cross: whichever comes second sees the other. */
  synchronized MainVerticle create(MainVerticle verticle) {
    main = verticle;
    if (stopping) {
      main.abortStart();
    }
    return main;
  }

  synchronized boolean isStopping() {
    return stopping;
  }

  /**
   * Called inside Vert.x's close, before it undeploys, on the thread that closes (never an event
   * loop): ends the start if one is under way and waits until it has settled.
   */
  void stop() {
    MainVerticle starting = markStopping();
    if (starting == null) {
      return;
    }
    try {
      starting.abortStart().toCompletionStage().toCompletableFuture().get(SETTLE_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Start-up did not settle within {} ms, stopping anyway", SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized MainVerticle markStopping() {
    stopping = true;
    return main;
  }
}
