package io.omninode.bridge.adapter.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.omninode.bridge.adapter.config.ClusterSettings;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The cluster manager behind {@code -cluster}: Hazelcast, embedded, configured from the
 * {@code cluster} section instead of an XML file. Vert.x's own maps (subscriptions, node info)
 * keep the settings of vertx-hazelcast's default configuration.
 */
public final class ClusterManagers {

  private ClusterManagers() {
  }

  public static HazelcastClusterManager hazelcast(ClusterSettings settings) {
    return new HazelcastClusterManager(hazelcastConfig(settings));
  }

  static Config hazelcastConfig(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster itself when it closes, after the verticles have stopped
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    if (settings.host() != null) {
      config.setProperty("hazelcast.local.localAddress", settings.host());
    }
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(true);
    if (settings.publicHost() != null) {
      network.setPublicAddress(settings.publicHost() + ":" + settings.port());
    }
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(settings.multicast())
        .setMulticastGroup(settings.multicastGroup()).setMulticastPort(settings.multicastPort());
    join.getTcpIpConfig().setEnabled(!settings.multicast()).setMembers(settings.members());
    return config;
  }

  /**
   * The event bus's address from the settings, where the command line ({@code -cluster-host},
   * {@code -cluster-port}, {@code -cluster-public-host}) has not already set it.
   */
  public static void applyEventBus(ClusterSettings settings, EventBusOptions eventBus) {
    if (eventBus.getHost() == null && settings.host() != null) {
      eventBus.setHost(settings.host());
    }
    if (eventBus.getPort() == EventBusOptions.DEFAULT_CLUSTER_PORT && settings.eventBusPort() != 0) {
      eventBus.setPort(settings.eventBusPort());
    }
    if (eventBus.getClusterPublicHost() == null && settings.publicHost() != null) {
      eventBus.setClusterPublicHost(settings.publicHost());
    }
  }
}
