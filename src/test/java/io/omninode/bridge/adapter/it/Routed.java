package io.omninode.bridge.adapter.it;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What became of {@code persist_bridge_state} requests sent at once: answered with their row written, or
 * timed out with none. A request that the sender's round robin gives to a member it cannot connect to is
 * not sent elsewhere: Vert.x fails the write, which does not fail the request, so it times out.
 */
record Routed(int answered, int timedOut) {

  /** Far beyond a member's reply time (milliseconds), far below the test's patience. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(6);

  static Routed send(ClusterPeer sender, String address, AdapterFixture fixture, List<JsonObject> requests)
      throws Exception {
    List<Future<Message<JsonObject>>> outcomes = sender.request(address, requests, REQUEST_TIMEOUT);
    Future.join(outcomes).otherwiseEmpty().await(60, TimeUnit.SECONDS);
    int answered = 0;
    int timedOut = 0;
    for (int i = 0; i < requests.size(); i++) {
      Future<Message<JsonObject>> outcome = outcomes.get(i);
      String bridge = requests.get(i).getJsonObject("bridge_state_data").getString("bridge_id");
      long rows = fixture.db.queryLong("SELECT count(*) FROM bridge_states WHERE bridge_id = '" + bridge + "'");
      if (outcome.succeeded()) {
        assertThat(outcome.result().body().getBoolean("success")).isTrue();
        assertThat(rows).as("the row of an answered request").isEqualTo(1);
        answered++;
      } else {
        assertThat(outcome.cause()).isInstanceOfSatisfying(ReplyException.class,
            failure -> assertThat(failure.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
        assertThat(rows).as("the row of a request that got no reply").isZero();
        timedOut++;
      }
    }
    return new Routed(answered, timedOut);
  }

  /** Batches until one has a request that timed out: a new consumer takes a moment to reach the sender's routing. */
  static Routed sendUntilOneTimesOut(ClusterPeer sender, String address, AdapterFixture fixture,
      Supplier<List<JsonObject>> batch) throws Exception {
    Routed total = new Routed(0, 0);
    for (int round = 0; round < 5 && total.timedOut() == 0; round++) {
      Routed routed = send(sender, address, fixture, batch.get());
      total = new Routed(total.answered() + routed.answered(), total.timedOut() + routed.timedOut());
    }
    return total;
  }
}
