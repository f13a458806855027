package io.omninode.bridge.adapter.cluster;

import io.omninode.bridge.adapter.cluster.PeerHandshake.Outcome;
import io.omninode.bridge.adapter.config.ClusterTls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says, once for each member that joins, whether it passes this member's event-bus TLS. Hazelcast lets
 * any host that knows the cluster name join, and Vert.x refuses such a member's event-bus connections
 * without a word; so each member shakes hands with every other one and logs a refusal as a WARN naming
 * the member, its address and why. Deployed only with {@code cluster.tls}.
 */
public final class PeerCheckVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PeerCheckVerticle.class);
  private static final long INTERVAL_MS = 1_000;
  /** Lookups of a new member's event-bus address (one a second) before it counts as having none. */
  private static final int MAX_LOOKUPS = 60;
  /** Handshakes with a member that does not answer, or cannot be reached, before it is said to be refused. */
  private static final int MAX_HANDSHAKES = 2;

  private final ClusterManager manager;
  private final NetClientOptions clientOptions;
  /** Members handled (checked, or being checked); touched only on this verticle's event loop. */
  private final Set<String> handled = new HashSet<>();
  private final Map<String, Integer> lookups = new HashMap<>();
  private NetClient client;

  public PeerCheckVerticle(ClusterManager manager, EventBusOptions eventBus) {
    this.manager = manager;
    this.clientOptions = PeerHandshake.clientOptions(eventBus);
  }

  /** With {@code cluster.tls}, the check deployed; without, said once that any host may join. */
  public static Future<?> deployOrWarn(Vertx vertx, ClusterTls tls, ClusterManager manager, EventBusOptions eventBus) {
    if (!tls.enabled()) {
      log.warn("The event bus between cluster members is in clear text and unauthenticated (cluster.tls is false):"
          + " any host that joins Hazelcast with the cluster name can send and receive operation requests."
          + " Set cluster.tls when members run on more than one host");
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(new PeerCheckVerticle(manager, eventBus));
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(clientOptions);
    vertx.setPeriodic(0, INTERVAL_MS, this::checkNewMembers);
    return Future.succeededFuture();
  }

  private void checkNewMembers(long timer) {
    List<String> members = manager.getNodes();
    // a member that leaves and joins again is checked again
    handled.retainAll(members);
    lookups.keySet().retainAll(members);
    members.stream().filter(member -> !member.equals(manager.getNodeId())).filter(handled::add).forEach(this::check);
  }

  private void check(String member) {
    Promise<NodeInfo> found = Promise.promise();
    manager.getNodeInfo(member, found);
    found.future()
        .compose(info -> handshake(info, MAX_HANDSHAKES))
        .onSuccess(verdict -> report(member, verdict))
        .onFailure(notPublished -> context.runOnContext(v -> lookUpAgain(member)));
  }

  /** Another try when the first told nothing about certificates: a member merely busy answers the next one. */
  private Future<PeerHandshake.Verdict> handshake(NodeInfo info, int attempts) {
    return PeerHandshake.check(client, info.host(), info.port()).compose(verdict ->
        attempts > 1 && (verdict.outcome() == Outcome.NO_ANSWER || verdict.outcome() == Outcome.UNREACHABLE)
            ? handshake(info, attempts - 1)
            : Future.succeededFuture(verdict));
  }

  /** A member publishes its event-bus address a moment after joining Hazelcast, if it runs Vert.x at all. */
  private void lookUpAgain(String member) {
    int attempts = lookups.merge(member, 1, Integer::sum);
    if (attempts < MAX_LOOKUPS) {
      handled.remove(member);
    } else {
      log.atWarn().addKeyValue("peer_node_id", member)
          .log("Cluster member {} published no event-bus address within {} s: not a Vert.x member of this cluster",
              member, MAX_LOOKUPS * INTERVAL_MS / 1000);
    }
  }

  private static void report(String member, PeerHandshake.Verdict verdict) {
    String address = verdict.address();
    LoggingEventBuilder line = (verdict.accepted() ? log.atInfo() : log.atWarn())
        .addKeyValue("peer_node_id", member).addKeyValue("peer_address", address);
    switch (verdict.outcome()) {
      case PASSED -> line.log("Cluster member {} at {} passed event-bus TLS: {}", member, address, verdict.detail());
      case UNREACHABLE -> line.log("Cluster member {} cannot be reached at {}, its event-bus address: {}", member,
          address, verdict.detail());
      default -> line.log("Event-bus TLS refuses cluster member {} at {}: {}. It joined Hazelcast, but it can neither"
          + " send operation requests to this member nor receive any from it", member, address, verdict.detail());
    }
  }
}
