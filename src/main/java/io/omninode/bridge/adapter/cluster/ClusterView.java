package io.omninode.bridge.adapter.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;

import java.util.List;

/** This instance's view of the Vert.x cluster, for {@code /health}: who is a member, who we are. */
public final class ClusterView {

  private final Vertx vertx;
  private final ClusterManager manager;

  /** {@code manager}: the cluster manager Vert.x was built with (null when there is none). */
  public ClusterView(Vertx vertx, ClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** {@code {clustered, node_id, size, members: [{node_id, event_bus}]}}; just {@code clustered: false} without -cluster. */
  public Future<JsonObject> describe() {
    if (!vertx.isClustered() || manager == null) {
      return Future.succeededFuture(new JsonObject().put("clustered", false));
    }
    List<String> nodes = manager.getNodes().stream().sorted().toList();
    List<Future<JsonObject>> members = nodes.stream().map(node -> member(manager, node)).toList();
    return Future.all(members).map(done -> new JsonObject()
        .put("clustered", true)
        .put("node_id", manager.getNodeId())
        .put("size", nodes.size())
        .put("members", new JsonArray(members.stream().map(member -> (Object) member.result()).toList())));
  }

  private static Future<JsonObject> member(ClusterManager manager, String node) {
    Promise<NodeInfo> info = Promise.promise();
    manager.getNodeInfo(node, info);
    JsonObject member = new JsonObject().put("node_id", node).put("self", node.equals(manager.getNodeId()));
    return info.future()
        .map(found -> found == null ? member : member.put("event_bus", found.host() + ":" + found.port()))
        .otherwise(member);
  }
}
