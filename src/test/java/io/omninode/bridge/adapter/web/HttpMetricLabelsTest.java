package io.omninode.bridge.adapter.web;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server's series under requests whose method and path a client made up: the series of
 * {@code /metrics} are the same after 10,000 of them as before.
 */
@DisplayName("Made-up HTTP methods and paths add no series to /metrics")
class HttpMetricLabelsTest {

  private static final List<String> STANDARD = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
      "TRACE", "CONNECT");
  private static final Pattern METHOD_LABEL = Pattern.compile("method=\"([^\"]*)\"");
  private static final Pattern ROUTE_LABEL = Pattern.compile("route=\"([^\"]*)\"");
  /** A route of the web verticle's that answers GET only (others get 405) without touching the database. */
  private static final String ROUTE = "/health/live";
  private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String PATH_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-_.~";

  /** No database is used: {@code /metrics} never reaches it. */
  private static final DatabaseSettings NO_DATABASE = new DatabaseSettings("127.0.0.1", 5432, "unused", "unused", "", null,
      4, 256, 0, false, "disable", null);

  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);
  private WebFixture web;

  @BeforeEach
  void startWebVerticle() throws Exception {
    web = WebFixture.start(NO_DATABASE);
  }

  @AfterEach
  void stop() throws Exception {
    web.close();
  }

  @Test
  @DisplayName("10,000 requests with random methods and paths leave the series of /metrics as they were")
  void randomMethodsAndPathsAddNoSeries() throws Exception {
    warmUp();
    Set<String> before = series(web.get("/metrics").body());

    int madeUp = 0;
    List<Future<WebFixture.Response>> responses = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String method = random.nextBoolean() ? STANDARD.get(random.nextInt(STANDARD.size())) : madeUpMethod();
      madeUp += STANDARD.contains(method) ? 0 : 1;
      responses.add(web.send(method, random.nextInt(10) == 0 ? ROUTE : randomPath()));
      if (responses.size() == 500) {
        Future.all(responses).await(60, TimeUnit.SECONDS);
        responses.clear();
      }
    }
    Future.all(responses).await(60, TimeUnit.SECONDS);
    String text = web.get("/metrics").body();
    Set<String> after = series(text);

    assertThat(after).as("series after the requests (seed %d)", seed).hasSameSizeAs(before)
        .containsExactlyInAnyOrderElementsOf(before);
    assertThat(labels(ROUTE_LABEL, text)).as("route label values: declared routes, or none (404, 405)")
        .isSubsetOf(Set.of("", ROUTE, "/metrics"));
    assertThat(labels(METHOD_LABEL, text)).as("method label values (seed %d)", seed)
        .isSubsetOf(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "OTHER"));
    assertThat(requestsCounted(text, "OTHER")).as("the made-up methods are still counted, as OTHER")
        .isGreaterThanOrEqualTo(madeUp);
  }

  /**
   * The series that exist for good on first use: each standard method and a made-up one on an
   * unknown path (404) and on a route (200 or 405), and {@code /metrics} itself (its request is
   * counted after its own scrape).
   */
  private void warmUp() throws Exception {
    List<Future<WebFixture.Response>> responses = new ArrayList<>();
    List<String> methods = new ArrayList<>(STANDARD);
    methods.add(madeUpMethod());
    for (String method : methods) {
      responses.add(web.send(method, randomPath()));
      responses.add(web.send(method, ROUTE));
    }
    Future.all(responses).await(30, TimeUnit.SECONDS);
    web.get("/metrics");
  }

  private String madeUpMethod() {
    String method;
    do {
      method = randomString(LETTERS, 1 + random.nextInt(12));
    } while (STANDARD.contains(method));
    return method;
  }

  private String randomPath() {
    StringBuilder path = new StringBuilder();
    int segments = 1 + random.nextInt(4);
    for (int i = 0; i < segments; i++) {
      path.append('/').append(randomString(PATH_CHARACTERS, 1 + random.nextInt(16)));
    }
    if (random.nextBoolean()) {
      path.append("?q=").append(randomString(PATH_CHARACTERS, 1 + random.nextInt(16)));
    }
    return path.toString();
  }

  private String randomString(String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  /**
   * Each sample's name and labels. The collector's own series ({@code jvm_gc_*}, one per cause of
   * pause the first time the JVM pauses for it) are left out: no request chooses them.
   */
  private static Set<String> series(String prometheusText) {
    return prometheusText.lines()
        .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("jvm_gc_"))
        .map(line -> line.substring(0, line.lastIndexOf(' ')))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> labels(Pattern label, String prometheusText) {
    Set<String> values = new TreeSet<>();
    Matcher matcher = label.matcher(prometheusText);
    while (matcher.find()) {
      values.add(matcher.group(1));
    }
    return values;
  }

  private static double requestsCounted(String prometheusText, String method) {
    return prometheusText.lines()
        .filter(line -> line.startsWith("vertx_http_server_requests_total{") && line.contains("method=\"" + method + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
