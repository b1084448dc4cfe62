package io.sextant.evaluators.executor;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A tiny HTTP server for client tests: records every request and answers what {@link #answer} says. */
final class RecordingServer implements AutoCloseable {
  record Request(String method, String path, String authorization, String contentType, String body) {}

  record Answer(int status, String contentType, String body, long delayMs) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json", body, 0);
    }

    static Answer problem(int status, String detail) {
      return new Answer(status, "application/problem+json",
          "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}",
          0);
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Function<Request, Answer> answer = r -> Answer.json(200, "{}");
  private final HttpServer server;

  RecordingServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("Content-Type"), body);
      requests.add(r);
      Answer a = answer.apply(r);
      if (a.delayMs() > 0) {
        try {
          Thread.sleep(a.delayMs());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", a.contentType());
      try {
        exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          exchange.getResponseBody().write(out);
        }
      } catch (IOException e) {
        // the client went away (e.g. a cancelled long poll)
      }
      exchange.close();
    });
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Request last() {
    return requests.getLast();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
