package dev.switchboard.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code aggregatedEvents} of {@code server_stats}: how many of each kind of event
 * ({@code rawConnection}, {@code rawDisconnection} with the reason as sub-type) happened in each
 * second since the last report. Bounded: a handful of kinds times the seconds of one interval,
 * and {@link #MAX_KEYS} in any case.
 *
 * <p>Threading: any thread (synchronized); drained by the admin UI's feed thread.
 */
final class EventCounts {
  static final int MAX_KEYS = 1024;

  private record Key(long second, String type, String subType) {}

  private final Map<Key, long[]> counts = new LinkedHashMap<>();

  /** One event of {@code type} ({@code subType} may be null) at {@code epochMillis}. */
  synchronized void add(long epochMillis, String type, String subType) {
    Key k = new Key(epochMillis - Math.floorMod(epochMillis, 1000L), type, subType);
    long[] c = counts.get(k);
    if (c != null) {
      c[0]++;
    } else if (counts.size() < MAX_KEYS) {
      counts.put(k, new long[] {1});
    }
  }

  /** Everything counted since the last call, as the UI reads it: {@code [{timestamp, type, subType?, count}]}. */
  synchronized ArrayNode drain() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    counts.forEach((k, c) -> {
      ObjectNode e = out.addObject();
      e.put("timestamp", k.second());
      e.put("type", k.type());
      if (k.subType() != null) e.put("subType", k.subType());
      e.put("count", c[0]);
    });
    counts.clear();
    return out;
  }
}
