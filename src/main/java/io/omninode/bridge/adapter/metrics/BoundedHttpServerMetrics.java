package io.omninode.bridge.adapter.metrics;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * vertx-micrometer-metrics' HTTP server metrics, shown each request with its method folded by
 * {@link BoundedLabels#method}: they label by method as the client sent it. The route label needs
 * no folding: Vert.x Web reports a route's path or name as declared, never the request's path, and
 * nothing for a request no route matched (404, 405).
 *
 * <p>A request whose begin the metrics never saw has no request metric ({@code null}): Vert.x 5.0.8
 * still reports the reset of such an HTTP/2 stream (one its connection closed before the headers
 * were handled), which vertx-micrometer-metrics cannot take. Such calls end here.
 */
final class BoundedHttpServerMetrics<R, W, S> implements HttpServerMetrics<R, W, S> {

  private final HttpServerMetrics<R, W, S> metrics;

  private BoundedHttpServerMetrics(HttpServerMetrics<R, W, S> metrics) {
    this.metrics = metrics;
  }

  static <R, W, S> HttpServerMetrics<R, W, S> wrap(HttpServerMetrics<R, W, S> metrics) {
    return metrics == null ? null : new BoundedHttpServerMetrics<>(metrics);
  }

  @Override
  public R requestBegin(S socketMetric, HttpRequest request) {
    HttpMethod method = BoundedLabels.method(request.method());
    return metrics.requestBegin(socketMetric, method == request.method() ? request : new Folded(request, method));
  }

  @Override
  public void requestEnd(R requestMetric, HttpRequest request, long bytesRead) {
    if (requestMetric != null) {
      metrics.requestEnd(requestMetric, request, bytesRead);
    }
  }

  @Override
  public void requestReset(R requestMetric) {
    if (requestMetric != null) {
      metrics.requestReset(requestMetric);
    }
  }

  @Override
  public void responseBegin(R requestMetric, HttpResponse response) {
    if (requestMetric != null) {
      metrics.responseBegin(requestMetric, response);
    }
  }

  @Override
  public R responsePushed(S socketMetric, HttpMethod method, String uri, HttpResponse response) {
    return metrics.responsePushed(socketMetric, BoundedLabels.method(method), uri, response);
  }

  @Override
  public void responseEnd(R requestMetric, HttpResponse response, long bytesWritten) {
    if (requestMetric != null) {
      metrics.responseEnd(requestMetric, response, bytesWritten);
    }
  }

  @Override
  public W connected(S socketMetric, R requestMetric, ServerWebSocket serverWebSocket) {
    return metrics.connected(socketMetric, requestMetric, serverWebSocket);
  }

  @Override
  public void disconnected(W serverWebSocketMetric) {
    metrics.disconnected(serverWebSocketMetric);
  }

  @Override
  public void requestRouted(R requestMetric, String route) {
    if (requestMetric != null) {
      metrics.requestRouted(requestMetric, route);
    }
  }

  @Override
  public S connected(SocketAddress remoteAddress, String remoteName) {
    return metrics.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(S socketMetric, SocketAddress remoteAddress) {
    metrics.disconnected(socketMetric, remoteAddress);
  }

  @Override
  public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    metrics.bytesRead(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    metrics.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
    metrics.exceptionOccurred(socketMetric, remoteAddress, t);
  }

  @Override
  public void close() {
    metrics.close();
  }

  /** A request as the metrics see it: its own, but for the folded method. */
  private record Folded(HttpRequest request, HttpMethod method) implements HttpRequest {

    @Override
    public int id() {
      return request.id();
    }

    @Override
    public String uri() {
      return request.uri();
    }

    @Override
    public String absoluteURI() {
      return request.absoluteURI();
    }

    @Override
    public MultiMap headers() {
      return request.headers();
    }

    @Override
    public SocketAddress remoteAddress() {
      return request.remoteAddress();
    }
  }
}
