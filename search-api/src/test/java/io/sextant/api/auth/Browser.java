package io.sextant.api.auth;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A cookie-keeping HTTP client that behaves like a browser on the sign-in page (forms, CSRF, no redirects). */
final class Browser {
  private final String base;
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient client;

  record Res(int status, String text, java.net.http.HttpHeaders headers) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** Where a redirect goes: the path and query of its Location. */
    Optional<String> location() {
      return header("Location").map(l -> {
        URI u = URI.create(l);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      });
    }
  }

  Browser(int port) {
    this(port, "127.0.0.1");
  }

  /** A browser whose requests come from {@code from} (any 127.x.y.z: a client address of its own). */
  Browser(int port, String from) {
    this.base = "http://127.0.0.1:" + port;
    try {
      this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
          .localAddress(java.net.InetAddress.getByName(from)).build();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  Res get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Res postForm(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A JSON POST as the web UI sends it: session cookie, plus the CSRF header when {@code withCsrf}. */
  Res postJson(String path, String json, boolean withCsrf, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (withCsrf) {
      b.header("X-XSRF-TOKEN", cookie("XSRF-TOKEN").orElseThrow());
    }
    headers.forEach(b::header);
    return send(b);
  }

  Optional<String> cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue).findFirst();
  }

  /** GET /login (with {@code query}), then POSTs its form with {@code fields} and the page's CSRF field. */
  Res signIn(String query, Map<String, String> fields) {
    Res page = get("/login" + query);
    Matcher m = Pattern.compile("name=\"(_csrf)\" value=\"([^\"]*)\"").matcher(page.text());
    if (!m.find()) {
      throw new AssertionError("no CSRF field on the sign-in page: " + page.text());
    }
    Map<String, String> form = new java.util.LinkedHashMap<>(fields);
    form.put(m.group(1), m.group(2));
    return postForm("/login", form);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Res send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Res(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
