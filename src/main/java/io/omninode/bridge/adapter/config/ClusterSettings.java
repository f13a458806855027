package io.omninode.bridge.adapter.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How instances find each other when started with {@code -cluster} (Hazelcast under Vert.x's
 * clustered event bus). Ignored without {@code -cluster}.
 *
 * @param name        the cluster's name: only members with the same name join each other
 * @param join        {@code tcp} (a member list, works everywhere), {@code multicast}, or {@code kubernetes}
 *                    (the addresses a headless Service's DNS name resolves to)
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
 * @param kubernetesServiceDns for {@code kubernetes}: the headless Service's DNS name, whose addresses are
 *                    the members (each dialled at {@code port}); null otherwise
 * @param tls         mutual TLS on the event bus between members ({@link ClusterTls#OFF}: clear text)
 */
public record ClusterSettings(
    String name, String join, List<String> members, String host, int port, String publicHost, int eventBusPort,
    String multicastGroup, int multicastPort, String kubernetesServiceDns, ClusterTls tls) {

  public static final String TCP = "tcp";
  public static final String MULTICAST = "multicast";
  public static final String KUBERNETES = "kubernetes";

  /** Host-name labels separated by dots: no port, scheme or path (Hazelcast dials every address at {@code port}). */
  private static final Pattern DNS_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  public static ClusterSettings from(ConfigReader config) {
    String join = config.string("join");
    if (!List.of(TCP, MULTICAST, KUBERNETES).contains(join)) {
      throw new ConfigException("cluster.join", "must be tcp, multicast or kubernetes, got '" + join + "'");
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
        KUBERNETES.equals(join) ? serviceDns(config) : null,
        ClusterTls.from(config));
  }

  /** Discovery by a TCP member list, the default. */
  public static ClusterSettings tcp(String name, List<String> members, String host, int port) {
    return new ClusterSettings(name, TCP, members, host, port, null, 0, "224.2.2.3", 54327, null, ClusterTls.OFF);
  }

  public boolean tcp() {
    return TCP.equals(join);
  }

  public boolean multicast() {
    return MULTICAST.equals(join);
  }

  public boolean kubernetes() {
    return KUBERNETES.equals(join);
  }

  private static String serviceDns(ConfigReader config) {
    String name = config.string("kubernetes_service_dns");
    if (name == null || name.isBlank()) {
      throw new ConfigException("cluster.kubernetes_service_dns", "is required when cluster.join is kubernetes:"
          + " the DNS name of the headless Service that selects the adapter's pods");
    }
    if (!DNS_NAME.matcher(name.trim()).matches()) {
      throw new ConfigException("cluster.kubernetes_service_dns", "'" + name.trim() + "' is not a DNS name"
          + " (no port or scheme: every address it resolves to is dialled at cluster.port)");
    }
    return name.trim();
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
