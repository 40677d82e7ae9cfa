package io.sluice.helm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Helm's merge of a values file over a chart's defaults: maps merge key by key, the rest replaces.
 */
final class ValuesMerge {
  private ValuesMerge() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> overlay) {
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    overlay.forEach(
        (key, value) -> {
          Object current = merged.get(key);
          if (current instanceof Map<?, ?> base && value instanceof Map<?, ?> over) {
            merged.put(key, merge((Map<String, Object>) base, (Map<String, Object>) over));
          } else {
            merged.put(key, value);
          }
        });
    return merged;
  }
}
