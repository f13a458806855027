package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.pgclient.PgException;

import java.util.Set;

/**
 * The one place that decides whether a database failure is the event's fault (permanent) or
 * the database's (transient).
 * <ul>
 *   <li>permanent: SQLSTATE class 22 (data exception) and class 23 (integrity violation) except a
 *       foreign-key violation, whose parent row can appear once a concurrent writer commits;</li>
 *   <li>transient: classes 08 (connection), 53 (insufficient resources), 57 (operator
 *       intervention: shutdown, cancel), 40001/40P01 (serialization, deadlock), connections refused
 *       or reset, a full pool, timeouts, and anything else not known to be the event's fault:
 *       holding a partition is recoverable, throwing a good event away is not.</li>
 * </ul>
 */
public final class SqlErrors {

  private static final Set<String> RETRYABLE_INTEGRITY_STATES = Set.of("23503");

  private SqlErrors() {
  }

  public static ErrorType classify(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return ErrorType.CIRCUIT_OPEN;
    }
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      String state = pg.getSqlState();
      boolean dataException = state.startsWith("22");
      boolean integrityViolation = state.startsWith("23") && !RETRYABLE_INTEGRITY_STATES.contains(state);
      if (dataException || integrityViolation) {
        return ErrorType.DATA_ERROR;
      }
    }
    return ErrorType.DATABASE_UNAVAILABLE;
  }

  /** A message for logs and replies: the SQLSTATE when there is one. */
  public static String describe(Throwable failure) {
    if (failure instanceof PgException pg) {
      return "SQLSTATE " + pg.getSqlState() + ": " + pg.getErrorMessage();
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
