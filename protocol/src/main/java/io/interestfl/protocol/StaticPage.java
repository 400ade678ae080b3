package io.interestfl.protocol;

import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A page or script shipped in a jar (the coordinator's dashboard, the node's merchant console), answered with the
 * headers every such page gets: its content type, a content security policy of {@code 'self'} (no CDN, no inline
 * script), {@code nosniff} and {@code no-store}.
 */
public final class StaticPage {
  private StaticPage() {}

  /** Ends {@code response} with the classpath resource {@code resource} (absolute, e.g. {@code /io/.../index.html}). */
  public static void send(HttpServerResponse response, String resource) {
    try (InputStream in = StaticPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("page " + resource + " missing from the jar");
      }
      response.putHeader("content-type", resource.endsWith(".js") ? "text/javascript; charset=utf-8"
              : "text/html; charset=utf-8")
          .putHeader("content-security-policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
          .putHeader("x-content-type-options", "nosniff").putHeader("cache-control", "no-store")
          .end(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
