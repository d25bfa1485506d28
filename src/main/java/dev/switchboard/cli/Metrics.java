package dev.switchboard.cli;

import dev.switchboard.http.HttpResponse;
import dev.switchboard.net.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in the Prometheus text exposition format (version 0.0.4): every metric is
 * read from its source when scraped, so nothing is kept twice. Names are prefixed
 * {@code switchboard_}.
 *
 * <p>Threading: register everything before the server starts; {@link #render} is read-only.
 */
final class Metrics implements HttpHandler {
  private record Sample(String name, String labels, DoubleSupplier value) {}

  private record Family(String name, String type, String help, List<Sample> samples) {}

  private final List<Family> families = new ArrayList<>();
  /** Families whose samples are read together, from one snapshot per scrape (rendered after {@link #families}). */
  private final List<Group> groups = new ArrayList<>();
  /** Labelled counters whose label values are read at each scrape (rendered after {@link #groups}). */
  private final List<Dynamic> dynamic = new ArrayList<>();

  private record Dynamic(String name, String help, String label, Supplier<Map<String, Long>> snapshot) {}

  /**
   * Samples named {@code prefix + key} for each entry of one snapshot, e.g. a cluster link's
   * counters ({@code ClusterMetrics.snapshot()}): the keys are the same at every scrape.
   */
  private record Group(String prefix, Supplier<Map<String, Long>> snapshot, Function<String, String> help,
      Predicate<String> gauge) {}

  Metrics gauge(String name, String help, DoubleSupplier value) {
    families.add(new Family(name, "gauge", help, List.of(new Sample(name, "", value))));
    return this;
  }

  Metrics counter(String name, String help, DoubleSupplier value) {
    families.add(new Family(name, "counter", help, List.of(new Sample(name, "", value))));
    return this;
  }

  /** A counter with one label, e.g. logins by outcome. */
  Metrics labelledCounter(String name, String help, String label, List<String> values, List<DoubleSupplier> suppliers) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      samples.add(new Sample(name, "{" + label + "=\"" + values.get(i) + "\"}", suppliers.get(i)));
    }
    families.add(new Family(name, "counter", help, samples));
    return this;
  }

  /**
   * A counter with one label whose values are read at each scrape from {@code snapshot} (label
   * value → count), for counts whose label values appear while the server runs.
   */
  Metrics labelledCounter(String name, String help, String label, Supplier<Map<String, Long>> snapshot) {
    dynamic.add(new Dynamic(name, help, label, snapshot));
    return this;
  }

  /**
   * A group of samples read from one snapshot at each scrape: each entry {@code name → value}
   * becomes the family {@code prefix + name}, a gauge where {@code gauge} says so and a counter
   * otherwise, with the help text {@code help} gives for the name.
   */
  Metrics group(String prefix, Supplier<Map<String, Long>> snapshot, Function<String, String> help, Predicate<String> gauge) {
    groups.add(new Group(prefix, snapshot, help, gauge));
    return this;
  }

  /** The JVM's own numbers: heap used, heap committed, threads. */
  Metrics jvm() {
    Runtime rt = Runtime.getRuntime();
    gauge("switchboard_jvm_heap_used_bytes", "Heap in use.", () -> rt.totalMemory() - rt.freeMemory());
    gauge("switchboard_jvm_heap_committed_bytes", "Heap committed by the JVM.", rt::totalMemory);
    gauge("switchboard_jvm_heap_max_bytes", "Maximum heap.", rt::maxMemory);
    gauge("switchboard_jvm_threads", "Live threads.", () -> Thread.activeCount());
    return this;
  }

  String render() {
    StringBuilder sb = new StringBuilder(1024);
    for (Family f : families) {
      sb.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
      sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
      for (Sample s : f.samples) {
        double v = s.value.getAsDouble();
        sb.append(s.name).append(s.labels).append(' ');
        if (v == Math.rint(v) && !Double.isInfinite(v)) sb.append((long) v);
        else sb.append(v);
        sb.append('\n');
      }
    }
    for (Group g : groups) {
      for (Map.Entry<String, Long> e : g.snapshot.get().entrySet()) {
        String name = g.prefix + e.getKey();
        sb.append("# HELP ").append(name).append(' ').append(g.help.apply(e.getKey())).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(g.gauge.test(e.getKey()) ? "gauge" : "counter").append('\n');
        sb.append(name).append(' ').append(e.getValue()).append('\n');
      }
    }
    for (Dynamic d : dynamic) {
      sb.append("# HELP ").append(d.name).append(' ').append(d.help).append('\n');
      sb.append("# TYPE ").append(d.name).append(" counter\n");
      for (Map.Entry<String, Long> e : d.snapshot.get().entrySet()) {
        sb.append(d.name).append('{').append(d.label).append("=\"").append(e.getKey()).append("\"} ")
            .append(e.getValue()).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void handle(dev.switchboard.net.HttpExchange exchange) {
    if (!"GET".equals(exchange.request().method())) {
      exchange.respond(HttpResponse.status(405).header("Allow", "GET").body(new byte[0]).build());
      return;
    }
    exchange.respond(HttpResponse.status(200)
        .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .header("Cache-Control", "no-store")
        .body(render().getBytes(StandardCharsets.UTF_8))
        .build());
  }
}
