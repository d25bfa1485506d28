package dev.switchboard.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Two ways for a fuzz target to see memory that a limit should have prevented: what a decoder
 * keeps in its buffers between calls, and what one decode allocates in passing.
 */
final class Memory {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Looked up once per class: the check runs after every read of every fuzz input. */
  private static final ClassValue<List<Field>> BUFFER_FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      List<Field> out = new ArrayList<>();
      for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers())) continue;
          if (f.getType() != byte[].class && f.getType() != char[].class) continue;
          f.setAccessible(true);
          out.add(f);
        }
      }
      return List.copyOf(out);
    }
  };

  private Memory() {}

  /**
   * The largest {@code byte[]} or {@code char[]} held in an instance field of {@code o}. Read by
   * reflection so that the check needs no accessor in production code and still sees a buffer a
   * later change adds.
   */
  static int largestBuffer(Object o) {
    int max = 0;
    for (Field f : BUFFER_FIELDS.get(o.getClass())) {
      try {
        Object v = f.get(o);
        if (v instanceof byte[] b) max = Math.max(max, b.length);
        if (v instanceof char[] ch) max = Math.max(max, ch.length);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    return max;
  }

  /** Bytes this thread allocated while running {@code action}, exact on HotSpot. */
  static long allocatedBy(Runnable action) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    action.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
