package dev.switchboard.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags ({@code --name value} or {@code --name=value}) with environment fallbacks.
 * A flag wins over the environment variable, which wins over the default.
 */
final class Options {
  private final Map<String, String> flags = new HashMap<>();
  private final Map<String, String> env;

  Options(List<String> args, Map<String, String> env) {
    this.env = env;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) throw new IllegalArgumentException("Unexpected argument: " + a);
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        flags.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        flags.put(name, args.get(++i));
      } else {
        flags.put(name, "true");
      }
    }
  }

  String get(String flag, String envName, String defaultValue) {
    String v = flags.get(flag);
    if (v == null && envName != null) v = env.get(envName);
    return v == null ? defaultValue : v;
  }

  int getInt(String flag, String envName, int defaultValue) {
    String v = get(flag, envName, null);
    if (v == null) return defaultValue;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a number, got: " + v);
    }
  }
}
