package io.omninode.bridge.adapter.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.omninode.bridge.adapter.config.ClusterSettings;
import io.omninode.bridge.adapter.config.ClusterTls;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
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
    // found through DNS, a member is dialled at cluster.port only: one that moved to the next port would be alone
    network.setPort(settings.port()).setPortAutoIncrement(!settings.kubernetes());
    if (settings.publicHost() != null) {
      network.setPublicAddress(settings.publicHost() + ":" + settings.port());
    }
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(settings.multicast())
        .setMulticastGroup(settings.multicastGroup()).setMulticastPort(settings.multicastPort());
    join.getTcpIpConfig().setEnabled(settings.tcp()).setMembers(settings.members());
    join.getKubernetesConfig().setEnabled(settings.kubernetes());
    if (settings.kubernetes()) {
      // DNS lookup mode: the pods a headless Service selects, with no access to the Kubernetes API (no RBAC)
      join.getKubernetesConfig().setProperty("service-dns", settings.kubernetesServiceDns())
          .setProperty("service-port", String.valueOf(settings.port()));
    }
    return config;
  }

  /**
   * The event bus's address from the settings, where the command line ({@code -cluster-host},
   * {@code -cluster-port}, {@code -cluster-public-host}) has not already set it; and its TLS.
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
    applyTls(settings.tls(), eventBus);
  }

  /**
   * Mutual TLS: each member is both server and client of the others, with the same certificate, and
   * a peer is accepted only if its certificate chains to the cluster's CA. Host names are not checked:
   * Vert.x's event-bus client never does (ClusteredEventBus turns it off), and the address it dials is
   * the one the peer published itself in Hazelcast, so the CA's signature is the authentication.
   * {@code setTrustAll(false)} is not a formality: the event bus's client trusts every server
   * certificate by default ({@code EventBusOptions.DEFAULT_TRUST_ALL}), trust options or not.
   */
  private static void applyTls(ClusterTls tls, EventBusOptions eventBus) {
    if (!tls.enabled()) {
      return;
    }
    eventBus.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().addCertPath(tls.cert()).addKeyPath(tls.key()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca()))
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED);
  }
}
