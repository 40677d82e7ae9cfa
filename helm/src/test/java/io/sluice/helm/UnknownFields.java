package io.sluice.helm;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fails when a parsed object holds a field its Kubernetes kind does not define (a misspelt or
 * misplaced key): the fabric8 model keeps those in each object's {@code additionalProperties}
 * instead of refusing them.
 */
final class UnknownFields {
  private UnknownFields() {}

  static void check(Object object, String where) {
    List<String> unknown = new ArrayList<>();
    collect(object, where, unknown);
    if (!unknown.isEmpty()) {
      throw new AssertionError("fields unknown to the Kubernetes model: " + unknown);
    }
  }

  private static void collect(Object value, String path, List<String> unknown) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collect(item, path + "[" + i++ + "]", unknown);
      }
    } else if (value instanceof Map<?, ?> entries) {
      entries.forEach((key, item) -> collect(item, path + "." + key, unknown));
    } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
      collectFields(value, path, unknown);
    }
  }

  private static void collectFields(Object object, String path, List<String> unknown) {
    for (Class<?> type = object.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        Object value = read(field, object);
        if (field.getName().equals("additionalProperties")) {
          if (value != null) {
            ((Map<?, ?>) value).keySet().forEach(key -> unknown.add(path + "." + key));
          }
        } else {
          collect(value, path + "." + field.getName(), unknown);
        }
      }
    }
  }

  private static Object read(Field field, Object object) {
    try {
      field.setAccessible(true);
      return field.get(object);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
