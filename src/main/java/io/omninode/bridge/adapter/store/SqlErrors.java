package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.operation.ErrorType;
import io.vertx.pgclient.PgException;

/**
 * The one place that decides whether a database failure is the event's fault (permanent) or
 * the database's (transient). Anything not known to be the event's fault is transient: holding
 * a partition is recoverable, throwing a good event away is not.
 */
public final class SqlErrors {

  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private SqlErrors() {
  }

  public static ErrorType classify(Throwable failure) {
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      String state = pg.getSqlState();
      boolean dataException = state.startsWith("22");
      // a missing parent row can appear once a concurrent writer commits: retry it
      boolean integrityViolation = state.startsWith("23") && !FOREIGN_KEY_VIOLATION.equals(state);
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
