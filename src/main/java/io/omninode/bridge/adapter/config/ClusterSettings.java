package io.omninode.bridge.adapter.config;

import java.util.List;

/**
 * How instances find each other when started with {@code -cluster} (Hazelcast under Vert.x's
 * clustered event bus). Ignored without {@code -cluster}.
 *
 * @param name        the cluster's name: only members with the same name join each other
 * @param join        {@code tcp} (a member list, works everywhere) or {@code multicast}
 * @param members     for {@code tcp}: {@code host} or {@code host:port} of some members (any one
 *                    that is up is enough to join); may include this instance
 * @param host        the address to bind and announce, for both Hazelcast and the event bus;
 *                    empty lets Hazelcast choose an interface
 * @param port        Hazelcast's member port; the next free one is taken if it is in use
 * @param publicHost  the address other members should use when it differs from {@code host}
 *                    (NAT, containers with published ports); the ports are then published as is
 * @param eventBusPort the event bus's TCP port (0: any free port; fix it in containers)
 * @param multicastGroup for {@code multicast}: the group address
 * @param multicastPort  for {@code multicast}: the group port
 * @param tls         mutual TLS on the event bus between members ({@link ClusterTls#OFF}: clear text)
 */
public record ClusterSettings(
    String name, String join, List<String> members, String host, int port, String publicHost, int eventBusPort,
    String multicastGroup, int multicastPort, ClusterTls tls) {

  public static final String TCP = "tcp";
  public static final String MULTICAST = "multicast";

  public static ClusterSettings from(ConfigReader config) {
    String join = config.string("join");
    if (!List.of(TCP, MULTICAST).contains(join)) {
      throw new ConfigException("cluster.join", "must be tcp or multicast, got '" + join + "'");
    }
    List<String> members = config.strings("members").stream().map(String::trim)
        .filter(member -> !member.isEmpty()).toList();
    members.forEach(member -> checkMember(member));
    return new ClusterSettings(
        config.string("name"),
        join,
        members,
        blankToNull(config.string("host")),
        config.integer("port", 1, 65535),
        blankToNull(config.string("public_host")),
        config.integer("event_bus_port", 0, 65535),
        config.string("multicast_group"),
        config.integer("multicast_port", 1, 65535),
        ClusterTls.from(config));
  }

  /** Discovery by a TCP member list, the default. */
  public static ClusterSettings tcp(String name, List<String> members, String host, int port) {
    return new ClusterSettings(name, TCP, members, host, port, null, 0, "224.2.2.3", 54327, ClusterTls.OFF);
  }

  public boolean multicast() {
    return MULTICAST.equals(join);
  }

  private static void checkMember(String member) {
    int colon = member.lastIndexOf(':');
    if (colon < 0) {
      return;
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new ConfigException("cluster.members", "'" + member + "' is not host or host:port");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
