package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.cluster.ClusterManagers;
import io.omninode.bridge.adapter.config.ClusterSettings;
import io.omninode.bridge.adapter.config.ClusterTls;
import io.omninode.bridge.adapter.config.ConfigReader;
import io.omninode.bridge.adapter.testsupport.MemberFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * A clustered Vert.x of the test JVM that joins the adapters' cluster with a {@code cluster} section
 * of its own, configured by the adapter's own code: a trusted caller, or a stranger.
 */
final class ClusterPeer implements AutoCloseable {

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final AtomicInteger received = new AtomicInteger();

  private ClusterPeer(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** A member configured as the adapter is, from a {@code cluster} section. */
  static ClusterPeer join(JsonObject cluster) throws Exception {
    return join(settings(cluster));
  }

  /**
   * A stranger that sets up TLS on its own with {@code files}, which the adapter's start-up checks would
   * refuse (a certificate of another CA trusting the cluster's CA, say): strangers do not run them.
   */
  static ClusterPeer joinUnchecked(JsonObject cluster, MemberFiles files) throws Exception {
    ClusterSettings checked = settings(cluster);
    ClusterTls tls = new ClusterTls(true, files.cert().toString(), files.key().toString(), files.ca().toString());
    return join(new ClusterSettings(checked.name(), checked.join(), checked.members(), checked.host(), checked.port(),
        checked.publicHost(), checked.eventBusPort(), checked.multicastGroup(), checked.multicastPort(),
        checked.kubernetesServiceDns(), tls));
  }

  private static ClusterSettings settings(JsonObject cluster) {
    return ClusterSettings.from(ConfigReader.section(new JsonObject().put("cluster", cluster), Map.of(), "cluster"));
  }

  private static ClusterPeer join(ClusterSettings settings) throws Exception {
    EventBusOptions eventBus = new EventBusOptions();
    ClusterManagers.applyEventBus(settings, eventBus);
    HazelcastClusterManager manager = ClusterManagers.hazelcast(settings);
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(eventBus))
        .withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
    return new ClusterPeer(vertx, manager);
  }

  String nodeId() {
    return manager.getNodeId();
  }

  /** Registers a consumer on {@code address}, as an adapter's operation verticle does, counting what reaches it. */
  void listen(String address) throws Exception {
    vertx.eventBus().<JsonObject>consumer(address, request -> received.incrementAndGet()).completion()
        .await(60, TimeUnit.SECONDS);
  }

  /** Requests that reached the consumer of {@link #listen}. */
  int received() {
    return received.get();
  }

  /** Sends the requests at once; the outcomes complete when each is answered, fails or times out. */
  List<Future<Message<JsonObject>>> request(String address, List<JsonObject> requests, Duration timeout) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return requests.stream().map(request -> vertx.eventBus().<JsonObject>request(address, request, options)).toList();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }
}
