package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.ProcessingFailure;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;

import java.time.DateTimeException;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that decides whether a database failure is the event's fault (permanent) or
 * the database's (transient).
 * <ul>
 *   <li>permanent: SQLSTATE class 22 (data exception) and class 23 (integrity violation) except a
 *       foreign-key violation, whose parent row can appear once a concurrent writer commits;</li>
 *   <li>the adapter's own fault ({@link ErrorType#PROCESSING_ERROR}, permanent, never the database's):
 *       a {@link ProcessingFailure}, or an exception only code can throw (a null dereference, a bad
 *       cast or index, arithmetic or date overflow, an illegal argument) while the statement was built
 *       or its result read;</li>
 *   <li>transient: classes 08 (connection), 53 (insufficient resources), 57 (operator
 *       intervention: shutdown, cancel), 40001/40P01 (serialization, deadlock), connections refused
 *       or reset, a full pool, timeouts, and anything else not known to be the event's fault:
 *       holding a partition is recoverable, throwing a good event away is not.</li>
 * </ul>
 */
public final class SqlErrors {

  private static final Set<String> RETRYABLE_INTEGRITY_STATES = Set.of("23503");
  private static final Pattern SQLSTATE = Pattern.compile("[0-9A-Z]{5}");

  /** What only code throws; the SQL client's own failures are {@link VertxException}s or I/O exceptions. */
  private static final List<Class<? extends RuntimeException>> PROGRAMMING_ERRORS = List.of(
      NullPointerException.class, ClassCastException.class, IndexOutOfBoundsException.class,
      ArithmeticException.class, DateTimeException.class, IllegalArgumentException.class,
      UnsupportedOperationException.class, ArrayStoreException.class, NegativeArraySizeException.class,
      ConcurrentModificationException.class);

  private SqlErrors() {
  }

  public static ErrorType classify(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return ErrorType.CIRCUIT_OPEN;
    }
    if (isProcessingFailure(failure)) {
      return ErrorType.PROCESSING_ERROR;
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

  private static boolean isProcessingFailure(Throwable failure) {
    if (failure instanceof ProcessingFailure) {
      return true;
    }
    return !(failure instanceof VertxException)
        && PROGRAMMING_ERRORS.stream().anyMatch(type -> type.isInstance(failure));
  }

  /**
   * The class of the failure's SQLSTATE, its first two characters ({@code 23}, {@code 40}, {@code 57}...),
   * or {@code none} when PostgreSQL gave none (a connection closed, a timeout): a bounded metric label.
   */
  public static String sqlStateClass(Throwable failure) {
    String state = failure instanceof PgException pg ? pg.getSqlState() : null;
    return state != null && SQLSTATE.matcher(state).matches() ? state.substring(0, 2) : "none";
  }

  /** A message for logs and replies: the SQLSTATE when there is one. */
  public static String describe(Throwable failure) {
    if (failure instanceof PgException pg) {
      return "SQLSTATE " + pg.getSqlState() + ": " + pg.getErrorMessage();
    }
    Throwable cause = failure instanceof ProcessingFailure && failure.getCause() != null ? failure.getCause() : failure;
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
