package io.omninode.bridge.adapter.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * vertx-micrometer-metrics, but for the event bus's meters, which are {@link EventBusMeters} (the
 * same series, at a fraction of the cost per message, made-up addresses folded into one), and for the HTTP server's, which see every
 * made-up method as one ({@link BoundedHttpServerMetrics}). Everything else is
 * vertx-micrometer-metrics' own.
 */
public final class AdapterMetricsFactory implements VertxMetricsFactory {

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics micrometer = new MicrometerMetricsFactory().metrics(options);
    MicrometerMetricsOptions metricsOptions = options.getMetricsOptions() instanceof MicrometerMetricsOptions given
        ? given : new MicrometerMetricsOptions(options.getMetricsOptions().toJson());
    boolean eventBus = metricsOptions.getDisabledMetricsCategories() == null
        || !metricsOptions.getDisabledMetricsCategories().contains(MetricsDomain.EVENT_BUS.toCategory());
    return new Bounded(micrometer, eventBus
        ? new EventBusMeters(BackendRegistries.getNow(metricsOptions.getRegistryName()), metricsOptions.getMetricsNaming().withBaseName("vertx." + MetricsDomain.EVENT_BUS.toCategory() + "."))
        : null);
  }

  /** Forwards to vertx-micrometer-metrics all but the event bus, and the HTTP server through its folding. */
  private record Bounded(VertxMetrics micrometer, EventBusMeters eventBus) implements VertxMetrics {

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return eventBus;
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      return BoundedHttpServerMetrics.wrap(micrometer.createHttpServerMetrics(options, localAddress));
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return micrometer.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return micrometer.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return micrometer.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return micrometer.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return micrometer.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return micrometer.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      micrometer.vertxCreated(vertx);
    }

    @Override
    public void close() {
      micrometer.close();
    }
  }
}
