package io.omninode.bridge.adapter.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.ClusterSettings;
import io.omninode.bridge.adapter.config.ConfigException;
import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.omninode.bridge.adapter.testsupport.MemberFiles;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The cluster section configures Hazelcast and the event bus")
class ClusterManagersTest {

  private static ClusterSettings shipped(Map<String, String> env) throws Exception {
    JsonObject config = new JsonObject(Files.readString(Path.of("conf/config.json")));
    return AdapterSettings.from(config, env).cluster();
  }

  @Test
  @DisplayName("the shipped config joins by a TCP member list, never by multicast or auto-detection")
  void shippedConfigJoinsByTcp() throws Exception {
    Config hazelcast = ClusterManagers.hazelcastConfig(shipped(Map.of()));
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();

    assertThat(hazelcast.getClusterName()).isEqualTo("bridge-db-adapter");
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(hazelcast.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(hazelcast.getMultiMapConfig("__vertx.subs").getBackupCount())
        .as("Vert.x's subscription map keeps vertx-hazelcast's settings").isEqualTo(1);
  }

  @Test
  @DisplayName("one environment variable switches to multicast; members come comma-separated from the environment")
  void environmentOverrides() throws Exception {
    JoinConfig multicast = ClusterManagers.hazelcastConfig(shipped(Map.of("BRIDGE_CLUSTER_JOIN", "multicast")))
        .getNetworkConfig().getJoin();
    JoinConfig tcp = ClusterManagers.hazelcastConfig(shipped(Map.of("BRIDGE_CLUSTER_MEMBERS", "adapter-1, adapter-2:5701")))
        .getNetworkConfig().getJoin();

    assertThat(multicast.getMulticastConfig().isEnabled()).isTrue();
    assertThat(multicast.getMulticastConfig().getMulticastGroup()).isEqualTo("224.2.2.3");
    assertThat(multicast.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(tcp.getTcpIpConfig().getMembers()).containsExactly("adapter-1", "adapter-2:5701");
  }

  @Test
  @DisplayName("cluster.join kubernetes finds the members at the addresses of the headless Service's DNS name, and only there")
  void kubernetesJoinsThroughTheServiceDns() throws Exception {
    Config hazelcast = ClusterManagers.hazelcastConfig(shipped(Map.of("BRIDGE_CLUSTER_JOIN", "kubernetes",
        "BRIDGE_CLUSTER_KUBERNETES_SERVICE_DNS", "bridge-db-adapter-hazelcast.prod.svc.cluster.local")));
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
        .containsExactlyInAnyOrderEntriesOf(Map.of("service-dns", "bridge-db-adapter-hazelcast.prod.svc.cluster.local",
            "service-port", "5701"));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(hazelcast.getNetworkConfig().isPortAutoIncrement())
        .as("the other members dial the Service's addresses at cluster.port and nowhere else").isFalse();
  }

  @Test
  @DisplayName("cluster.join kubernetes without a DNS name, or with a port or a scheme in it, stops start-up naming the key")
  void kubernetesJoinNeedsAServiceDnsName() {
    assertThatThrownBy(() -> shipped(Map.of("BRIDGE_CLUSTER_JOIN", "kubernetes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.kubernetes_service_dns")
        .hasMessageContaining("headless Service");
    for (String name : new String[] {"bridge-db-adapter-hazelcast:5701", "dns://bridge-db-adapter-hazelcast",
        "bridge db adapter", "-hazelcast.prod"}) {
      assertThatThrownBy(() -> shipped(Map.of("BRIDGE_CLUSTER_JOIN", "kubernetes", "BRIDGE_CLUSTER_KUBERNETES_SERVICE_DNS", name)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.kubernetes_service_dns").hasMessageContaining(name);
    }
  }

  @Test
  @DisplayName("host and public host set Hazelcast's addresses and the event bus's, unless the command line did")
  void addressesForContainers() throws Exception {
    ClusterSettings settings = shipped(Map.of("BRIDGE_CLUSTER_HOST", "10.0.0.5", "BRIDGE_CLUSTER_PUBLIC_HOST", "203.0.113.7",
        "BRIDGE_CLUSTER_EVENT_BUS_PORT", "15701"));
    Config hazelcast = ClusterManagers.hazelcastConfig(settings);
    EventBusOptions fromConfig = new EventBusOptions();
    EventBusOptions fromCommandLine = new EventBusOptions().setHost("192.168.1.2");
    ClusterManagers.applyEventBus(settings, fromConfig);
    ClusterManagers.applyEventBus(settings, fromCommandLine);

    assertThat(hazelcast.getProperty("hazelcast.local.localAddress")).isEqualTo("10.0.0.5");
    assertThat(hazelcast.getNetworkConfig().getPublicAddress()).isEqualTo("203.0.113.7:5701");
    assertThat(fromConfig.getHost()).isEqualTo("10.0.0.5");
    assertThat(fromConfig.getPort()).isEqualTo(15701);
    assertThat(fromConfig.getClusterPublicHost()).isEqualTo("203.0.113.7");
    assertThat(fromCommandLine.getHost()).isEqualTo("192.168.1.2");
  }

  @Test
  @DisplayName("an unknown join method or a malformed member stops start-up naming the key")
  void invalidSettingsNameTheKey() throws Exception {
    assertThatThrownBy(() -> shipped(Map.of("BRIDGE_CLUSTER_JOIN", "gossip")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.join").hasMessageContaining("kubernetes");
    assertThatThrownBy(() -> shipped(Map.of("BRIDGE_CLUSTER_MEMBERS", "adapter-1:http")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members");
  }

  @Test
  @DisplayName("without cluster.tls the event bus is in clear text, as Vert.x has it")
  void tlsIsOffByDefault() throws Exception {
    EventBusOptions eventBus = new EventBusOptions();
    ClusterManagers.applyEventBus(shipped(Map.of()), eventBus);

    assertThat(eventBus.isSsl()).isFalse();
    assertThat(eventBus.getKeyCertOptions()).isNull();
  }

  @Test
  @DisplayName("cluster.tls from the environment: mutual TLS with the member's PEM pair, trusting only the cluster's CA")
  void tlsFromTheEnvironment(@TempDir Path dir) throws Exception {
    Map<String, String> env = tlsEnvironment(dir);
    EventBusOptions eventBus = new EventBusOptions();
    ClusterManagers.applyEventBus(shipped(env), eventBus);

    assertThat(eventBus.isSsl()).isTrue();
    assertThat(eventBus.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(eventBus.isTrustAll()).as("the event bus's client trusts any server by default").isFalse();
    assertThat(eventBus.getKeyCertOptions()).isInstanceOfSatisfying(PemKeyCertOptions.class, pair -> {
      assertThat(pair.getCertPaths()).containsExactly(env.get("BRIDGE_CLUSTER_TLS_CERT"));
      assertThat(pair.getKeyPaths()).containsExactly(env.get("BRIDGE_CLUSTER_TLS_KEY"));
    });
    assertThat(eventBus.getTrustOptions()).isInstanceOfSatisfying(PemTrustOptions.class,
        trust -> assertThat(trust.getCertPaths()).containsExactly(env.get("BRIDGE_CLUSTER_TLS_CA")));
  }

  /** The four variables of the README, naming files made by a test CA. */
  private static Map<String, String> tlsEnvironment(Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("cluster CA");
    return MemberFiles.write(dir, "member-a", ca.issue("member-a", "member-a"), ca).environment();
  }
}
