package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** 16 concurrent clients asking and telling against one study never share a trial; numbers stay gapless. */
class ConcurrencyTest extends ApiTestBase {

  @Test
  void sixteenClientsNeverShareATrialAndNumbersAreGapless() throws Exception {
    long id = create(demoStudy(unique("race")).entrySet().stream()
        .filter(e -> !e.getKey().equals("limits"))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    int clients = 16;
    int perClient = 25;
    List<Long> issued = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        String worker = "client-" + c;
        fs.add(pool.submit(() -> {
          Http h = new Http(port);
          for (int i = 0; i < perClient; i++) {
            // alternate single asks with a worker id and batch asks without one
            Map<String, Object> body = i % 2 == 0 ? Map.of("count", 1, "workerId", worker) : Map.of("count", 2);
            Http.Res r = h.post("/api/v1/studies/" + id + "/suggestions", body);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            for (JsonNode t : r.json().get("trials")) {
              long n = t.get("number").asLong();
              issued.add(n);
              Http.Res done = h.post("/api/v1/studies/" + id + "/trials/" + n + "/complete",
                  Map.of("values", Map.of("loss", n)));
              assertThat(done.status()).as(done.text()).isEqualTo(200);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    int expected = clients * (perClient / 2 + 1) + clients * (perClient / 2) * 2;
    assertThat(issued).hasSize(expected).doesNotHaveDuplicates();
    List<Long> sorted = new ArrayList<>(issued);
    Collections.sort(sorted);
    for (int i = 0; i < sorted.size(); i++) {
      assertThat(sorted.get(i)).isEqualTo(i + 1L);
    }
    JsonNode s = http.get("/api/v1/studies/" + id).json();
    assertThat(s.get("trialsIssued").asLong()).isEqualTo(expected);
    assertThat(s.get("trialCounts").get("COMPLETED").asLong()).isEqualTo(expected);
  }
}
