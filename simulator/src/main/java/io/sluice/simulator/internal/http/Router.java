package io.sluice.simulator.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps method and path (a regex whose groups are the path parameters) to a handler. */
public final class Router {
  /** Answers one request; {@code params} are the path pattern's groups. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request, List<String> params);
  }

  private record Route(String method, Pattern path, Handler handler) {}

  /** A matched route and its path parameters. */
  public record Match(Handler handler, List<String> params) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route; {@code pathRegex} must match the whole path. */
  public Router add(String method, String pathRegex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathRegex), handler));
    return this;
  }

  /** The route for this request, if any. */
  public Optional<Match> match(String method, String path) {
    for (Route route : routes) {
      Matcher m = route.path().matcher(path);
      if (route.method().equals(method) && m.matches()) {
        List<String> params = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
          params.add(m.group(i));
        }
        return Optional.of(new Match(route.handler(), params));
      }
    }
    return Optional.empty();
  }

  /** Whether some route has this path with another method. */
  public boolean knowsPath(String path) {
    return routes.stream().anyMatch(r -> r.path().matcher(path).matches());
  }
}
