package io.omninode.bridge.adapter.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.omninode.bridge.adapter.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusMetersTest {

  @Test
  @DisplayName("the event bus's series and values are vertx-micrometer-metrics' own for the same traffic, "
      + "but for an address nobody handles, which is labelled other")
  void sameSeriesAsVertxMicrometer() throws Exception {
    List<String> ours = eventBusSeriesAfterTraffic("event-bus-meters-ours", new AdapterMetricsFactory());
    List<String> theirs = eventBusSeriesAfterTraffic("event-bus-meters-theirs", new MicrometerMetricsFactory())
        .stream().map(line -> line.replace("address=\"nobody\"", "address=\"other\"")).toList();

    assertThat(ours).as("series, with their labels and values")
        .contains("vertx_eventbus_sent_total{address=\"orders\",side=\"local\"} 7.0",
            "vertx_eventbus_published_total{address=\"orders\",side=\"local\"} 2.0",
            "vertx_eventbus_processed_total{address=\"orders\",side=\"local\"} 9.0",
            "vertx_eventbus_handlers{address=\"orders\"} 1.0",
            "vertx_eventbus_pending{address=\"orders\",side=\"local\"} 0.0",
            "vertx_eventbus_reply_failures_total{address=\"other\"} 1.0")
        .containsExactlyInAnyOrderElementsOf(theirs);
  }

  @Test
  @DisplayName("messages to made-up addresses are counted under one address, other; the adapter's own keep theirs")
  void madeUpAddressesFoldIntoOther() throws Exception {
    String registry = "event-bus-meters-folded";
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(registry)))
        .withMetrics(new AdapterMetricsFactory()).build();
    try {
      EventBus bus = vertx.eventBus();
      bus.<String>consumer("orders", message -> message.reply("ok")).completion().await(5, TimeUnit.SECONDS);
      List<Future<?>> replies = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        replies.add(bus.request("made-up." + UUID.randomUUID(), "hello").otherwiseEmpty());
      }
      replies.add(bus.request("orders", "order"));
      replies.add(bus.request(Addresses.PERSIST_BRIDGE_STATE, "{}").otherwiseEmpty());
      bus.send("__vertx.internal", "not counted");
      Future.all(replies).await(5, TimeUnit.SECONDS);
      String text = ((PrometheusMeterRegistry) BackendRegistries.getNow(registry)).scrape();

      assertThat(addressLabels(text)).containsExactlyInAnyOrder("orders", Addresses.PERSIST_BRIDGE_STATE, "other");
      assertThat(text).contains("vertx_eventbus_sent_total{address=\"other\",side=\"local\"} 1000.0",
          "vertx_eventbus_reply_failures_total{address=\"other\"} 1000.0",
          "vertx_eventbus_sent_total{address=\"orders\",side=\"local\"} 1.0",
          "vertx_eventbus_sent_total{address=\"" + Addresses.PERSIST_BRIDGE_STATE + "\",side=\"local\"} 1.0");
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static Set<String> addressLabels(String prometheusText) {
    Set<String> addresses = new TreeSet<>();
    Matcher matcher = Pattern.compile("address=\"([^\"]*)\"").matcher(prometheusText);
    while (matcher.find()) {
      addresses.add(matcher.group(1));
    }
    return addresses;
  }

  /**
   * Requests answered by a consumer, publications to two consumers (one of them gone afterwards),
   * a request nobody answers; then the {@code vertx_eventbus_} lines of the Prometheus text, sorted.
   */
  private static List<String> eventBusSeriesAfterTraffic(String registry, VertxMetricsFactory factory) throws Exception {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(registry)))
        .withMetrics(factory).build();
    try {
      EventBus bus = vertx.eventBus();
      bus.<String>consumer("orders", message -> message.reply("ok")).completion().await(5, TimeUnit.SECONDS);
      MessageConsumer<String> leaving = bus.consumer("audit", message -> { });
      leaving.completion().await(5, TimeUnit.SECONDS);
      List<Future<?>> replies = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        replies.add(bus.request("orders", "order " + i));
      }
      bus.send("orders", "fire and forget");
      bus.send("orders", "and another");
      bus.publish("orders", "to all");
      bus.publish("orders", "to all again");
      bus.publish("audit", "audited");
      replies.add(bus.request("nobody", "hello").otherwiseEmpty());
      Future.all(replies).await(5, TimeUnit.SECONDS);
      leaving.unregister().await(5, TimeUnit.SECONDS);
      Thread.sleep(100); // the fire-and-forget sends are processed after their replies' futures
      String text = ((PrometheusMeterRegistry) BackendRegistries.getNow(registry)).scrape();
      return text.lines().filter(line -> line.startsWith("vertx_eventbus_")).sorted().toList();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
