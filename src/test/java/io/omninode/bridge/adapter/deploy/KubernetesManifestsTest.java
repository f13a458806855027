package io.omninode.bridge.adapter.deploy;

import com.hazelcast.config.KubernetesConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.omninode.bridge.adapter.cluster.ClusterManagers;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.deploy.AdapterPod.MountedFile;
import io.omninode.bridge.adapter.deploy.Manifests.Manifest;
import io.omninode.bridge.adapter.testsupport.CertificateAuthority;
import io.omninode.bridge.adapter.testsupport.MemberFiles;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes read with fabric8's Kubernetes model (no cluster here), and held against the adapter:
 * its config keys and settings, the endpoints its web verticle serves ({@link ServedPaths}), the JVM
 * settings of conf/jvm.options, and the image's entrypoint in the Dockerfile.
 */
@DisplayName("deploy/kubernetes: manifests the API reads, probing real endpoints with real keys and the shipped JVM")
class KubernetesManifestsTest {

  private static final String APP = "bridge-db-adapter";
  private static final Set<String> REQUIRED_KEYS = Set.of("kafka.bootstrap_servers", "database.database", "database.user");
  /** Being added in parallel (issue 21, part 1): named by the Deployment before defaults.json has it. */
  private static final Set<String> ANNOUNCED_KEYS = Set.of("database.password_file");
  private static final List<String> JAVA_OPTION_VARIABLES = List.of("JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

  private static List<Manifest> manifests;

  @BeforeAll
  static void readManifests() {
    manifests = Manifests.read();
  }

  @Test
  @DisplayName("each manifest parses into a kind the model knows, one object a file, with no field the API does not know")
  void eachManifestParsesIntoItsKind() {
    for (Manifest manifest : manifests) {
      assertThat(Manifests.typed(manifest.parsed())).as("%s parses into one object of a known kind and apiVersion: %s",
          manifest.file(), manifest.parsed()).isTrue();
      assertThat(manifest.object().getMetadata().getName()).as("%s has a name", manifest.file()).isNotBlank();
      assertThat(Manifests.unknownFields(manifest.parsed())).as("fields of %s the API does not know", manifest.file())
          .isEmpty();
    }
    assertThat(manifests).extracting(manifest -> manifest.object().getKind()).containsExactlyInAnyOrder("ConfigMap",
        "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Service", "Service", "HorizontalPodAutoscaler");
  }

  @Test
  @DisplayName("a kustomization applies every manifest, and lists nothing that is not there")
  void kustomizationsApplyEveryManifest() {
    Set<Path> listed = new HashSet<>();
    for (Path kustomization : Manifests.kustomizations()) {
      for (Object resource : Manifests.yaml(kustomization).getJsonArray("resources")) {
        Path target = kustomization.getParent().resolve(resource.toString()).normalize();
        assertThat(Files.isRegularFile(target) || Files.isRegularFile(target.resolve(Manifests.KUSTOMIZATION)))
            .as("%s lists %s", kustomization, resource).isTrue();
        listed.add(target);
      }
    }
    assertThat(listed).containsAll(manifests.stream().map(manifest -> manifest.file().normalize()).toList());
  }

  /** The Deployment's adapter with the configuration the manifests give it, as the adapter itself reads it. */
  @Nested
  @DisplayName("held against the adapter")
  class AgainstTheAdapter {

    @TempDir
    static Path secrets;

    private static AdapterPod pod;
    private static JsonObject config;
    private static Map<String, String> environment;
    private static AdapterSettings settings;

    @BeforeAll
    static void readAdapter() throws Exception {
      pod = AdapterPod.of(Manifests.one(manifests, Deployment.class, APP));
      MountedFile configFile = pod.fileAt(entrypoint("-conf (\\S+)"));
      config = new JsonObject(configMap(configFile).getData().get(configFile.key()));
      environment = environmentWithSecretFiles();
      settings = AdapterSettings.from(config, environment);
    }

    @Test
    @DisplayName("startup and liveness ask /health/live, readiness /health/ready, over HTTP on the port http.port sets")
    void probesAskTheHealthEndpoints() {
      Container adapter = pod.container();
      List<Probe> probes = Arrays.asList(adapter.getStartupProbe(), adapter.getLivenessProbe(), adapter.getReadinessProbe());

      assertThat(probes).as("startup, liveness and readiness probes").doesNotContainNull()
          .allSatisfy(probe -> assertThat(probe.getHttpGet()).as("over HTTP GET").isNotNull());
      assertThat(adapter.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
      assertThat(adapter.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
      assertThat(adapter.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
      for (Probe probe : probes) {
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getScheme()).as("the endpoints are plain HTTP").isIn(null, "HTTP");
        assertThat(pod.containerPort(get.getPort())).as("the container port of probe port %s", get.getPort())
            .isEqualTo(settings.http().port());
      }
    }

    @Test
    @DisplayName("the probes' and the scrape's paths are served: live and /metrics answer while no database does, ready says no")
    void probePathsAreServed() throws Exception {
      Service metrics = Manifests.one(manifests, Service.class, APP + "-metrics");
      try (ServedPaths served = ServedPaths.start(config, environment)) {
        assertThat(served.status(pod.container().getStartupProbe().getHttpGet().getPath())).isEqualTo(200);
        assertThat(served.status(pod.container().getLivenessProbe().getHttpGet().getPath()))
            .as("a database outage must not restart the pods").isEqualTo(200);
        assertThat(served.status(pod.container().getReadinessProbe().getHttpGet().getPath())).isEqualTo(503);
        assertThat(served.status(metrics.getMetadata().getAnnotations().get("prometheus.io/path"))).isEqualTo(200);
        assertThat(served.status("/health/nowhere")).as("an unknown path, for contrast").isEqualTo(404);
      }
    }

    @Test
    @DisplayName("every key of the ConfigMap's config.json is a key of the adapter, and the required ones are set")
    void configKeysExist() throws Exception {
      Set<String> configured = keys(config);

      assertThat(configured).isSubsetOf(knownKeys());
      assertThat(configured).containsAll(REQUIRED_KEYS);
    }

    @Test
    @DisplayName("every BRIDGE_<SECTION>_<KEY> variable of the Deployment names a key of the adapter (BRIDGE_LOG_* are levels)")
    void environmentNamesKeys() throws Exception {
      Set<String> known = knownKeys();
      known.addAll(ANNOUNCED_KEYS);
      JsonObject defaults = defaults();
      Set<String> named = new TreeSet<>();
      Set<String> levels = logbackVariables();
      pod.container().getEnv().stream().map(variable -> variable.getName())
          .filter(name -> name.startsWith("BRIDGE_") && !levels.contains(name)).forEach(name -> named.add(key(name, defaults)));

      assertThat(named).isNotEmpty().isSubsetOf(known);
    }

    @Test
    @DisplayName("config.json with the Deployment's environment starts the adapter clustered through the headless Service")
    void configurationJoinsThroughTheHeadlessService() {
      Service headless = headlessService();
      KubernetesConfig join = ClusterManagers.hazelcast(settings.cluster()).getConfig().getNetworkConfig().getJoin()
          .getKubernetesConfig();

      assertThat(pod.container().getArgs()).contains("-cluster");
      assertThat(settings.cluster().kubernetes()).isTrue();
      assertThat(settings.cluster().host()).as("Hazelcast and the event bus on the pod's address").isEqualTo(AdapterPod.POD_IP);
      assertThat(join.isEnabled()).isTrue();
      assertThat(join.getProperty("service-dns")).isEqualTo(settings.cluster().kubernetesServiceDns())
          .startsWith(headless.getMetadata().getName() + "." + AdapterPod.NAMESPACE + ".svc");
      assertThat(join.getProperty("service-port")).isEqualTo(String.valueOf(settings.cluster().port()));
    }

    @Test
    @DisplayName("the JVM runs with conf/jvm.options exactly, where the image's entrypoint reads it, and MALLOC_ARENA_MAX=2")
    void jvmSettingsAreTheShippedOnes() throws Exception {
      MountedFile options = pod.fileAt(entrypoint("@(\\S+)"));
      String mounted = configMap(options).getData().get(options.key());

      assertThat(optionLines(mounted)).containsExactlyElementsOf(optionLines(Files.readString(Path.of("conf/jvm.options"))));
      assertThat(pod.container().getCommand()).as("the image's entrypoint, which passes @jvm.options").isNullOrEmpty();
      assertThat(pod.container().getEnv()).noneMatch(variable -> JAVA_OPTION_VARIABLES.contains(variable.getName()));
      assertThat(pod.environment()).containsEntry("MALLOC_ARENA_MAX", "2");
    }

    @Test
    @DisplayName("the headless Service selects the pods, ready or not, and exposes the Hazelcast port they listen on")
    void headlessServiceExposesHazelcast() {
      Service headless = headlessService();
      int hazelcast = settings.cluster().port();
      ServicePort port = headless.getSpec().getPorts().stream().filter(candidate -> candidate.getPort() == hazelcast)
          .findFirst().orElseThrow(() -> new AssertionError("the headless Service has no port " + hazelcast));

      assertThat(headless.getSpec().getSelector()).isNotEmpty();
      assertThat(pod.labels()).containsAllEntriesOf(headless.getSpec().getSelector());
      assertThat(headless.getSpec().getPublishNotReadyAddresses()).as("members before they have partitions").isTrue();
      assertThat(pod.containerPort(port.getTargetPort())).isEqualTo(hazelcast);
      assertThat(settings.cluster().eventBusPort()).as("a fixed event-bus port").isPositive();
      assertThat(pod.container().getPorts()).anyMatch(declared -> declared.getContainerPort() == settings.cluster().eventBusPort());
    }

    @Test
    @DisplayName("the metrics Service carries the scrape annotations for http.port and selects the pods, ready or not")
    void metricsServiceIsScraped() {
      Service metrics = Manifests.one(manifests, Service.class, APP + "-metrics");
      Map<String, String> annotations = metrics.getMetadata().getAnnotations();

      assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/metrics")
          .containsEntry("prometheus.io/port", String.valueOf(settings.http().port()));
      assertThat(metrics.getSpec().getPorts()).anyMatch(port -> Integer.valueOf(settings.http().port())
          .equals(pod.containerPort(port.getTargetPort())));
      assertThat(pod.labels()).containsAllEntriesOf(metrics.getSpec().getSelector());
      assertThat(metrics.getSpec().getPublishNotReadyAddresses()).as("an unready pod's metrics matter most").isTrue();
    }

    @Test
    @DisplayName("the database password and the event-bus certificates are files of Secrets, the password where rotation reaches it")
    void secretsAreMountedFiles() {
      MountedFile password = pod.fileAt(pod.environment().get("BRIDGE_DATABASE_PASSWORD_FILE"));
      JsonObject cluster = config.getJsonObject("cluster");
      List<MountedFile> tls = List.of(pod.fileAt(cluster.getString("tls_cert")), pod.fileAt(cluster.getString("tls_key")),
          pod.fileAt(cluster.getString("tls_ca")));

      assertThat(password.volume().getSecret()).as("the password's volume is a Secret").isNotNull();
      assertThat(password.mount().getSubPath()).as("a subPath mount never sees a rotated Secret").isNull();
      assertThat(cluster.getBoolean("tls")).isTrue();
      assertThat(tls).allSatisfy(file -> assertThat(file.volume().getSecret()).isNotNull());
      assertThat(tls).extracting(MountedFile::key).containsExactly("tls.crt", "tls.key", "ca.crt");
      assertThat(List.of(password, tls.get(1))).allSatisfy(file ->
          assertThat(file.volume().getSecret().getDefaultMode() & 0007).as("not readable by other users").isZero());
    }

    @Test
    @DisplayName("the pod outlives the adapter's own shutdown timeout, and its resources have requests within limits")
    void shutdownAndResources() {
      var resources = pod.container().getResources();

      assertThat(pod.spec().getTerminationGracePeriodSeconds() * 1000).isGreaterThan(settings.resilience().shutdownTimeoutMs());
      assertThat(resources.getRequests()).containsKeys("cpu", "memory");
      assertThat(resources.getLimits()).containsKeys("cpu", "memory");
      for (String resource : List.of("cpu", "memory")) {
        assertThat(resources.getRequests().get(resource).getNumericalAmount()).as(resource)
            .isLessThanOrEqualTo(resources.getLimits().get(resource).getNumericalAmount());
      }
    }

    @Test
    @DisplayName("the disruption budget, the network policy and the autoscaler act on the adapter's pods")
    void budgetPolicyAndAutoscalerTargetTheAdapter() {
      PodDisruptionBudget budget = Manifests.one(manifests, PodDisruptionBudget.class, APP);
      NetworkPolicy policy = Manifests.one(manifests, NetworkPolicy.class, APP);
      HorizontalPodAutoscaler autoscaler = Manifests.one(manifests, HorizontalPodAutoscaler.class, APP);

      assertThat(pod.labels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
      assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).as("idle unready pods must not block drains")
          .isEqualTo("AlwaysAllow");
      assertThat(pod.labels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
      for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
        // no ports: every port
        boolean clusterPorts = rule.getPorts().isEmpty() || rule.getPorts().stream().map(port -> pod.containerPort(port.getPort()))
            .anyMatch(port -> port != null && (port == settings.cluster().port() || port == settings.cluster().eventBusPort()));
        if (clusterPorts) {
          // no peers: every peer
          assertThat(rule.getFrom()).as("who reaches Hazelcast and the event bus").isNotEmpty().allSatisfy(peer -> {
            assertThat(peer.getIpBlock()).isNull();
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(pod.labels()).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
          });
        }
      }
      assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(pod.deployment().getMetadata().getName());
      assertThat(autoscaler.getSpec().getMetrics()).singleElement()
          .satisfies(metric -> assertThat(metric.getExternal().getMetric().getName()).isEqualTo("bridge_consumer_lag_seconds"));
    }

    /** The Deployment's environment, with the Secret files it names replaced by files of a test CA and a test password. */
    private static Map<String, String> environmentWithSecretFiles() throws Exception {
      Map<String, String> env = new HashMap<>(pod.environment());
      CertificateAuthority ca = CertificateAuthority.create("cluster CA");
      env.putAll(MemberFiles.write(secrets, "member", ca.issue("member", "member"), ca).environment());
      env.put("BRIDGE_DATABASE_PASSWORD_FILE", Files.writeString(secrets.resolve("password"), "s3cret").toString());
      return env;
    }
  }

  private static ConfigMap configMap(MountedFile file) {
    assertThat(file.volume().getConfigMap()).as("volume %s is a ConfigMap", file.volume().getName()).isNotNull();
    return Manifests.one(manifests, ConfigMap.class, file.volume().getConfigMap().getName());
  }

  private static Service headlessService() {
    List<Service> headless = manifests.stream().map(Manifest::parsed).filter(Service.class::isInstance).map(Service.class::cast)
        .filter(service -> "None".equals(service.getSpec().getClusterIP())).toList();
    assertThat(headless).as("headless Services").hasSize(1);
    return headless.get(0);
  }

  /** What the Dockerfile's ENTRYPOINT gives {@code pattern}'s group: where the image reads its files. */
  private static String entrypoint(String pattern) throws Exception {
    String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(line -> line.startsWith("ENTRYPOINT"))
        .findFirst().orElseThrow();
    Matcher found = Pattern.compile(pattern).matcher(entrypoint);
    assertThat(found.find()).as("%s in %s", pattern, entrypoint).isTrue();
    return found.group(1);
  }

  private static List<String> optionLines(String text) {
    return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
  }

  private static JsonObject defaults() throws Exception {
    return new JsonObject(Files.readString(Path.of("src/main/resources/defaults.json")));
  }

  private static Set<String> knownKeys() throws Exception {
    Set<String> known = keys(defaults());
    known.addAll(REQUIRED_KEYS);
    return known;
  }

  private static Set<String> keys(JsonObject sections) {
    Set<String> keys = new TreeSet<>();
    sections.forEach(section -> ((JsonObject) section.getValue()).fieldNames()
        .forEach(key -> keys.add(section.getKey() + "." + key)));
    return keys;
  }

  /** The {@code BRIDGE_LOG_*} variables that logback.xml reads: log levels, not keys of the configuration. */
  private static Set<String> logbackVariables() throws Exception {
    Matcher variable = Pattern.compile("\\$\\{(BRIDGE_[A-Z_]+)").matcher(Files.readString(Path.of("src/main/resources/logback.xml")));
    Set<String> names = new TreeSet<>();
    while (variable.find()) {
      names.add(variable.group(1));
    }
    return names;
  }

  /** {@code BRIDGE_CLUSTER_EVENT_BUS_PORT} is {@code cluster.event_bus_port}: the section is a name of defaults.json. */
  private static String key(String variable, JsonObject defaults) {
    String rest = variable.substring("BRIDGE_".length()).toLowerCase();
    return defaults.fieldNames().stream().filter(section -> rest.startsWith(section + "_"))
        .map(section -> section + "." + rest.substring(section.length() + 1)).findFirst().orElse(rest);
  }
}
