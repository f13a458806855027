package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.ClusterCerts;
import io.omninode.bridge.adapter.testsupport.DirectRequests;
import io.omninode.bridge.adapter.testsupport.MemberFiles;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two adapter processes with certificates from a CA made by {@code scripts/make-cluster-certs.sh}, and
 * clustered Vert.x instances of the test JVM: a caller with a certificate of that CA, and strangers that
 * join Hazelcast with the same cluster name and member list, one without TLS and one with a certificate
 * of another CA.
 */
@DisplayName("Event-bus TLS: members with the cluster's certificates work together; a stranger that joins Hazelcast is shut out")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTlsIT {

  private static final Logger log = LoggerFactory.getLogger(ClusterTlsIT.class);
  private static final String ADDRESS = Addresses.PERSIST_BRIDGE_STATE;
  private static final int EVENTS = 3_000;

  private AdapterFixture fixture;
  private ClusterCerts cluster;
  private ClusterCerts otherCa;
  private List<Integer> memberPorts;
  private AdapterProcess memberA;
  private AdapterProcess memberB;
  private ClusterPeer caller;

  @BeforeAll
  void startTheMembers() throws Exception {
    Path certs = Path.of("target", "cluster-tls-it", UUID.randomUUID().toString());
    cluster = ClusterCerts.make(certs.resolve("cluster"), "member-a", "member-b", "caller");
    otherCa = ClusterCerts.make(certs.resolve("other"), "intruder");
    fixture = new AdapterFixture("cluster-tls", 6);
    memberPorts = List.of(Ports.free(), Ports.free());
    // started side by side: each waits for the other to share the partitions before it is ready
    CompletableFuture<AdapterProcess> a = startMember("member-a", memberPorts.get(0));
    CompletableFuture<AdapterProcess> b = startMember("member-b", memberPorts.get(1));
    memberA = a.get(3, TimeUnit.MINUTES);
    memberB = b.get(3, TimeUnit.MINUTES);
    caller = ClusterPeer.join(section(Ports.free()).mergeIn(cluster.member("caller").tlsConfig()));
    await().atMost(Duration.ofSeconds(30)).until(() -> members(memberA).size() == 3 && members(memberB).size() == 3);
  }

  @AfterAll
  void stopTheMembers() throws Exception {
    if (caller != null) {
      caller.close();
    }
    for (AdapterProcess member : Arrays.asList(memberA, memberB)) {
      if (member != null) {
        member.close();
      }
    }
    fixture.close();
  }

  @Test
  @Order(1)
  @DisplayName("the members share the partitions' events, each persisted once, and answer a trusted caller's requests")
  void membersShareWorkAndAnswerRequests() throws Exception {
    List<TestEvents.Event> events = TestEvents.mixedWorkload(EVENTS, 17);
    Map<String, Long> expected = Expected.rowCounts(events);
    fixture.topics.produce(events);
    await().atMost(Duration.ofMinutes(1)).until(fixture.snapshots::counts, expected::equals);
    long persistedByA = memberA.consumer().getLong("persisted");
    long persistedByB = memberB.consumer().getLong("persisted");

    assertThat(persistedByA).as("member A took part").isPositive();
    assertThat(persistedByB).as("member B took part").isPositive();
    assertThat(persistedByA + persistedByB).isEqualTo(events.size());
    Routed routed = Routed.send(caller, ADDRESS, fixture, requests(4));
    assertThat(routed.answered()).as("round robin over both members, every request answered").isEqualTo(4);
    assertThat(logLines(memberA, "passed event-bus TLS")).anyMatch(line -> line.contains("CN=member-b"))
        .anyMatch(line -> line.contains("CN=caller"));
    assertThat(logLines(memberB, "passed event-bus TLS")).anyMatch(line -> line.contains("CN=member-a"));
  }

  @Test
  @Order(2)
  @DisplayName("a stranger without TLS joins Hazelcast but gets no reply, receives no request, and the members say why")
  void strangerWithoutTlsIsShutOut() throws Exception {
    strangerIsShutOut(() -> ClusterPeer.join(section(Ports.free())), "does not speak TLS");
  }

  @Test
  @Order(3)
  @DisplayName("a stranger with a certificate of another CA joins Hazelcast but gets no reply, receives no request, and the members say why")
  void strangerWithAnotherCasCertificateIsShutOut() throws Exception {
    // it knows the cluster's CA (CA certificates are public): only the members' check of its own certificate keeps it out
    MemberFiles intruder = otherCa.member("intruder").trusting(cluster.ca());
    strangerIsShutOut(() -> ClusterPeer.joinUnchecked(section(Ports.free()), intruder),
        "not signed by the CA in cluster.tls_ca");
  }

  private void strangerIsShutOut(Joining joining, String why) throws Exception {
    try (ClusterPeer stranger = joining.join()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> members(memberA).contains(stranger.nodeId()));
      log.info("Stranger {} is a member of Hazelcast: {}", stranger.nodeId(), members(memberA));

      Routed own = Routed.send(stranger, ADDRESS, fixture, requests(2));
      assertThat(own.answered()).as("the stranger's requests to the two members, answered").isZero();
      assertThat(own.timedOut()).isEqualTo(2);

      stranger.listen(ADDRESS);
      Routed trusted = Routed.sendUntilOneTimesOut(caller, ADDRESS, fixture, () -> requests(6));
      assertThat(trusted.timedOut()).as("requests the caller's round robin gave the stranger: they fail").isPositive();
      assertThat(trusted.answered()).as("requests given to the members: answered").isPositive();
      assertThat(stranger.received()).as("requests that reached the stranger").isZero();

      await().atMost(Duration.ofSeconds(30)).until(() -> !refusals(memberA, stranger).isEmpty()
          && !refusals(memberB, stranger).isEmpty());
      for (AdapterProcess member : List.of(memberA, memberB)) {
        List<String> refusals = refusals(member, stranger);
        log.info("The member on HTTP port {} says: {}", member.httpPort(), refusals);
        assertThat(refusals).singleElement().asString().contains(why).contains(stranger.nodeId());
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> members(memberA).size() == 3);
  }

  private CompletableFuture<AdapterProcess> startMember(String name, int port) {
    JsonObject section = section(port).mergeIn(cluster.member(name).tlsConfig());
    return CompletableFuture.supplyAsync(() -> {
      try {
        return fixture.startClusteredProcess(name, section);
      } catch (Exception e) {
        throw new IllegalStateException(name + " did not start", e);
      }
    });
  }

  private interface Joining {
    ClusterPeer join() throws Exception;
  }

  /** A {@code cluster} section on loopback naming the two members' Hazelcast ports, this one listening on {@code port}. */
  private JsonObject section(int port) {
    return new JsonObject().put("name", fixture.topicPrefix)
        .put("members", new JsonArray(memberPorts.stream().map(member -> "127.0.0.1:" + member).toList()))
        .put("host", "127.0.0.1").put("port", port);
  }

  private static List<JsonObject> requests(int count) {
    return IntStream.range(0, count).mapToObj(i -> DirectRequests.bridgeState(i + 1, T0.toString())).toList();
  }

  /** The node ids in a member's {@code /health} view of the cluster (Hazelcast's membership). */
  private static List<String> members(AdapterProcess member) throws Exception {
    JsonObject view = new JsonObject(member.get("/health").body()).getJsonObject("checks").getJsonObject("cluster");
    return view.getJsonArray("members").stream().map(node -> ((JsonObject) node).getString("node_id")).toList();
  }

  private static List<String> refusals(AdapterProcess member, ClusterPeer stranger) throws Exception {
    return logLines(member, "Event-bus TLS refuses").stream().filter(line -> line.contains(stranger.nodeId())).toList();
  }

  /** The messages of a member's log lines containing {@code text}, with their level. */
  private static List<String> logLines(AdapterProcess member, String text) throws Exception {
    return member.logLines().stream().filter(line -> line.getString("message", "").contains(text))
        .map(line -> line.getString("level") + " " + line.getString("message")).toList();
  }
}
