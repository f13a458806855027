package io.omninode.bridge.adapter.batching;

import io.omninode.bridge.adapter.contract.ResultPath;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What one statement covered, for its log line: the Kafka partitions ({@code topic-partition},
 * sorted) its events came from, and the highest attempt among them (1: all were first tries). A
 * request from elsewhere on the event bus has no partition and counts as a first try.
 */
record StatementSources(int attempt, List<String> partitions) {

  static StatementSources of(Stream<Object> requests) {
    List<ResultPath.Source> sources = requests.filter(ResultPath.Call.class::isInstance)
        .map(request -> ((ResultPath.Call<?>) request).source()).filter(Objects::nonNull).toList();
    int attempt = sources.stream().mapToInt(ResultPath.Source::attempt).max().orElse(1);
    List<String> partitions = sources.stream().map(source -> source.topic() + "-" + source.partition())
        .distinct().sorted().toList();
    return new StatementSources(attempt, partitions);
  }
}
