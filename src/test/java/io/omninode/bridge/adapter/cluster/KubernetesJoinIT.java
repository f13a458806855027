package io.omninode.bridge.adapter.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.omninode.bridge.adapter.config.ClusterSettings;
import io.omninode.bridge.adapter.config.ConfigReader;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Hazelcast members configured by {@link ClusterManagers} for {@code cluster.join: kubernetes}. No
 * Kubernetes here: {@code localhost} stands for the headless Service's name, resolving to the address where
 * a member listens as the Service's name resolves to the pods' addresses.
 */
@DisplayName("cluster.join kubernetes: Hazelcast's DNS lookup mode joins the members a name resolves to")
class KubernetesJoinIT {

  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void shutDown() {
    members.forEach(HazelcastInstance::shutdown);
  }

  @Test
  @DisplayName("a member joins the one listening at cluster.port on the address the service name resolves to")
  void memberFoundThroughTheServiceNameJoins() {
    ClusterSettings settings = settings("kubernetes-join-" + UUID.randomUUID(), Ports.free());
    Config second = ClusterManagers.hazelcastConfig(settings);
    // every pod has an address of its own; on one host the second member listens elsewhere and still dials cluster.port
    second.getNetworkConfig().setPort(Ports.free());

    HazelcastInstance first = start(ClusterManagers.hazelcastConfig(settings));
    HazelcastInstance joined = start(second);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(joined.getCluster().getMembers()).hasSize(2);
      assertThat(first.getCluster().getMembers()).hasSize(2);
    });
    assertThat(joined.getCluster().getMembers()).anyMatch(member -> member.getAddress().getPort() == settings.port());
  }

  private HazelcastInstance start(Config config) {
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    members.add(member);
    return member;
  }

  private static ClusterSettings settings(String name, int port) {
    JsonObject cluster = new JsonObject().put("name", name).put("join", ClusterSettings.KUBERNETES)
        .put("kubernetes_service_dns", "localhost").put("host", "127.0.0.1").put("port", port);
    return ClusterSettings.from(ConfigReader.section(new JsonObject().put("cluster", cluster), Map.of(), "cluster"));
  }
}
