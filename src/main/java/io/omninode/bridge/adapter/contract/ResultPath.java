package io.omninode.bridge.adapter.contract;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The way from a local sender (the Kafka consumer) to an operation and its result back, hop by hop:
 * <ol>
 *   <li>{@link #send}, on the sender's context: the request goes to its operation's address by reference
 *       (a {@link Call}: point to point, local only) and waits among the {@link Awaiting}, oldest first;</li>
 *   <li>{@link #answer}, on the operation's thread: the results of one statement are handed back
 *       together, once per sender; a JSON request from anywhere else gets a JSON reply each;</li>
 *   <li>{@link #arrived}: one hop onto the sender's context for all of them, where each call still awaited
 *       gives its result to {@code settle}; a result that comes after its call expired is dropped;</li>
 *   <li>{@link #sweep}, on the sender's timer: calls awaited past the timeout go to {@code missing}, once.</li>
 * </ol>
 * Not {@code request()}: a reply message per event costs a reply address, a registered handler and a
 * timer, a large share of an event's cost in the profile; here awaiting costs a few pointer writes.
 *
 * @param <T> the sender's own handle on a call, given back with its result
 */
public final class ResultPath<T> {

  private static final Logger log = LoggerFactory.getLogger(ResultPath.class);
  private static final DeliveryOptions LOCAL_ONLY = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final Context context;
  private final long timeoutNanos;
  private final BiConsumer<T, OperationResult> settle;
  private final BiConsumer<T, String> missing;
  private final Awaiting<T> awaiting = new Awaiting<>();

  /** {@code context} is the sender's: results are settled and calls swept there. */
  public ResultPath(Vertx vertx, Context context, long timeoutMs, BiConsumer<T, OperationResult> settle,
      BiConsumer<T, String> missing) {
    this.vertx = vertx;
    this.context = context;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.settle = settle;
    this.missing = missing;
  }

  /** A request's Kafka record (topic and partition) and its attempt, 1 for the first: for the logs. */
  public record Source(String topic, int partition, int attempt) {}

  /** A request travelling by reference, and its place among the awaited calls of its sender. */
  public static final class Call<T> {
    private final OperationRequest request;
    private final Source source;
    private final T tag;
    private final ResultPath<T> path;
    private long sentAtNanos;
    private boolean awaited;
    private Call<T> older;
    private Call<T> newer;

    /** Made by {@link #send}; public for tests of what an operation reads from a call. */
    public Call(OperationRequest request, Source source, T tag, ResultPath<T> path) {
      this.request = request;
      this.source = source;
      this.tag = tag;
      this.path = path;
    }

    public OperationRequest request() {
      return request;
    }

    /** Null for a request that comes from no Kafka record. */
    public Source source() {
      return source;
    }
  }

  /** Throws, awaiting nothing, when the request could not be sent. */
  public void send(OperationRequest request, Source source, T tag) {
    Call<T> call = new Call<>(request, source, tag, this);
    awaiting.add(call, System.nanoTime());
    try {
      vertx.eventBus().send(request.type().address(), call, LOCAL_ONLY);
    } catch (RuntimeException notSent) {
      awaiting.remove(call);
      throw notSent;
    }
  }

  /** Calls whose results are overdue (an operation gone, a bug) are reported once, as missing. */
  public void sweep() {
    awaiting.expired(System.nanoTime(), timeoutNanos).forEach(call ->
        missing.accept(call.tag, "no result within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
  }

  /**
   * The operation's one way to answer, for a statement's requests or a single one: {@code results[i]}
   * answers {@code messages[i]}. A result that cannot be handed back is logged; its sender finds it
   * missing and tries again.
   */
  public static void answer(List<Message<Object>> messages, List<OperationResult> results) {
    Map<ResultPath<?>, Handover> bySender = new IdentityHashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      Message<Object> message = messages.get(i);
      OperationResult result = results.get(i);
      if (message.body() instanceof Call<?> call) {
        bySender.computeIfAbsent(call.path, path -> new Handover()).add(call, result);
      } else {
        handBack(() -> message.reply(result.toJson()));
      }
    }
    bySender.forEach((path, handover) -> handBack(() -> path.arrived(handover.calls(), handover.results())));
  }

  /** The calls of one sender answered together, and their results. */
  private record Handover(List<Call<?>> calls, List<OperationResult> results) {
    Handover() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void add(Call<?> call, OperationResult result) {
      calls.add(call);
      results.add(result);
    }
  }

  private static void handBack(Runnable reply) {
    try {
      reply.run();
    } catch (RuntimeException failure) {
      log.error("Result not handed back", failure);
    }
  }

  /** On the operation's thread: one hop to the sender's context for all the results of a statement. */
  @SuppressWarnings("unchecked")
  private void arrived(List<Call<?>> calls, List<OperationResult> results) {
    context.runOnContext(v -> {
      for (int i = 0; i < calls.size(); i++) {
        Call<T> call = (Call<T>) calls.get(i);
        if (awaiting.remove(call)) {
          settle.accept(call.tag, results.get(i));
        }
      }
    });
  }

  /**
   * The calls awaiting their results, oldest first: linked through the calls themselves, so that
   * sending and answering cost a few pointer writes and no timer. Confined to the sender's context.
   */
  static final class Awaiting<T> {
    private Call<T> oldest;
    private Call<T> newest;

    void add(Call<T> call, long nowNanos) {
      call.sentAtNanos = nowNanos;
      call.awaited = true;
      call.older = newest;
      if (newest != null) {
        newest.newer = call;
      } else {
        oldest = call;
      }
      newest = call;
    }

    /** False when the call was not awaited any more (its result came too late, after it expired). */
    boolean remove(Call<T> call) {
      if (!call.awaited) {
        return false;
      }
      call.awaited = false;
      if (call.older != null) {
        call.older.newer = call.newer;
      } else {
        oldest = call.newer;
      }
      if (call.newer != null) {
        call.newer.older = call.older;
      } else {
        newest = call.older;
      }
      call.older = null;
      call.newer = null;
      return true;
    }

    /** Takes out and returns the calls sent more than {@code timeoutNanos} ago. */
    List<Call<T>> expired(long nowNanos, long timeoutNanos) {
      List<Call<T>> expired = new ArrayList<>();
      while (oldest != null && nowNanos - oldest.sentAtNanos > timeoutNanos) {
        Call<T> call = oldest;
        remove(call);
        expired.add(call);
      }
      return expired;
    }
  }

  /** Registers the by-reference codec of {@link Call}, selected by type. */
  public static void registerCodecs(EventBus eventBus) {
    eventBus.registerDefaultCodec(Call.class, new ByReference<>("bridge-local-call"));
  }

  public static void unregisterCodecs(EventBus eventBus) {
    eventBus.unregisterDefaultCodec(Call.class);
  }
}
