package io.sextant.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import io.sextant.api.ApiTestBase;
import io.sextant.api.Http;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.sextant.engine.space.SpaceMaps;
import io.sextant.engine.study.Direction;
import io.sextant.engine.study.Objective;
import io.sextant.engine.study.OutcomeConstraint;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.ExecutorWire;
import io.sextant.evaluators.executor.Lease;
import io.sextant.evaluators.executor.LeaseRef;
import io.sextant.evaluators.executor.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST contract as /v3/api-docs declares it (issue 25 item 4): the document is valid OpenAPI (swagger-parser's
 * validation), every /api operation declares typed request and answer bodies, its statuses and RFC 9457 problems,
 * every example validates against its schema, and a request built from the document for every operation is accepted
 * by the server with an answer that validates against the declared schema of the status it came with. A request
 * schema names exactly the fields the server accepts: each declared field is not refused as unknown, an undeclared
 * one (at the top, and in each nested object of the example whose schema is closed) is a 400 naming its path; answers
 * carry no field the document does not declare. The executor protocol (/api/v1/executors/**) is driven as an executor node speaks it, and
 * the requests the executor's own codec writes validate against the declared request schemas. Every bounded query
 * parameter is accepted at its declared bounds and refused just outside them with a 400 naming it.
 */
class OpenApiContractTest extends ApiTestBase {
  private static final String EXECUTORS = "/api/v1/executors";
  /** Operations answering 201 Created. */
  private static final Set<String> CREATE = Set.of("POST /api/v1/studies", "POST /api/v1/studies/import",
      "POST /api/v1/studies/{id}/trials", "POST /api/v1/tokens", "POST /api/v1/users", "POST " + EXECUTORS);

  private JsonNode docs() {
    Http.Res r = http.get("/v3/api-docs");
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  /** Every /api operation: "METHOD path" -> operation. */
  private static Map<String, JsonNode> operations(JsonNode doc) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (var p : doc.get("paths").properties()) {
      if (!p.getKey().startsWith("/api/")) {
        continue;
      }
      for (var m : p.getValue().properties()) {
        out.put(m.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey(), m.getValue());
      }
    }
    return out;
  }

  @Test
  void theDocumentIsValidOpenApi() throws java.io.IOException {
    String text = http.get("/v3/api-docs").text();
    // kept for client generators and review: search-api/target/openapi.json
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), text);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
    assertThat(parsed.getMessages()).as("OpenAPI validation messages").isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1");
    // every $ref points at a declared schema, and the problem schema is there
    JsonNode doc = Http.JSON.readTree(text);
    Set<String> declared = new java.util.HashSet<>();
    doc.get("components").get("schemas").propertyNames().forEach(declared::add);
    assertThat(declared).contains("Problem", "Study", "Trial", "StudyDefinition");
    // operation ids are what generated clients name their methods: stable, unique, no springdoc "_1" suffixes
    List<String> ids = new ArrayList<>();
    doc.get("paths").values().forEach(item -> item.values().forEach(op -> ids.add(op.get("operationId").asString())));
    assertThat(ids).doesNotHaveDuplicates().noneMatch(id -> id.matches(".*_\\d+"));
    assertThat(ids).contains("createStudy", "suggest", "completeTrial", "importStudy", "listTokens",
        "registerExecutor", "leaseTrials", "reportOutcomes");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"#/components/schemas/([^\"]+)\"").matcher(text);
    while (m.find()) {
      assertThat(declared).as("$ref " + m.group(1)).contains(m.group(1));
    }
  }

  @Test
  void everyOperationDeclaresTypedBodiesStatusesProblemsAndValidExamples() {
    JsonNode doc = docs();
    Map<String, JsonNode> ops = operations(doc);
    assertThat(ops).hasSizeGreaterThan(40);
    assertThat(ops.keySet()).filteredOn(k -> k.contains(EXECUTORS)).hasSize(9);
    List<String> failures = new ArrayList<>();
    ops.forEach((key, op) -> {
      String method = key.substring(0, key.indexOf(' '));
      String path = key.substring(key.indexOf(' ') + 1);
      if (!op.has("tags") || op.get("tags").size() != 1 || op.get("tags").get(0).asString().endsWith("-controller")) {
        failures.add(key + ": tags " + op.get("tags") + ", expected one named feature tag");
      }
      JsonNode body = op.get("requestBody");
      if (body != null) {
        JsonNode json = body.get("content").get("application/json");
        if (json == null || !json.get("schema").has("$ref")) {
          failures.add(key + ": request body without a named schema");
        } else {
          JsonNode example = example(json);
          if (example == null) {
            failures.add(key + ": request body without an example");
          } else {
            validate(doc, json.get("schema"), example).forEach(e -> failures.add(key + " example: " + e));
          }
        }
      }
      JsonNode responses = op.get("responses");
      List<String> ok = new ArrayList<>();
      responses.propertyNames().forEach(code -> {
        if (code.startsWith("2")) {
          ok.add(code);
        }
      });
      String expected = CREATE.contains(key) ? "201" : method.equals("DELETE") ? "204" : "200";
      if (!ok.equals(List.of(expected))) {
        failures.add(key + ": success statuses " + ok + ", expected [" + expected + "]");
      } else if (!expected.equals("204")) {
        JsonNode content = responses.get(expected).get("content");
        JsonNode json = content == null ? null : content.get("application/json");
        JsonNode schema = json == null ? null : json.get("schema");
        boolean typed = schema != null
            && (schema.has("$ref") || schema.has("type") && !schema.get("type").asString().equals("object"));
        if (!typed) {
          failures.add(key + ": " + expected + " without a typed application/json schema: " + content);
        }
      }
      List<String> problems = new ArrayList<>(List.of("400", "401", "403", "503"));
      if (path.contains("{")) {
        problems.add("404");
      }
      if (!method.equals("GET")) {
        problems.add("409");
      }
      for (String code : problems) {
        JsonNode r = responses.get(code);
        JsonNode schema = r == null || r.get("content") == null ? null
            : r.get("content").get("application/problem+json").get("schema");
        if (schema == null || !schema.get("$ref").asString().equals("#/components/schemas/Problem")) {
          failures.add(key + ": no " + code + " problem answer");
        }
      }
    });
    assertThat(failures).isEmpty();
  }

  /**
   * For every operation: a fresh study (from the create operation's example) with one completed and one RUNNING
   * trial, a user and a token; the request built from the operation's example; the answer's status must be the one
   * the document declares and its body must validate against that status's schema. An export is imported back.
   */
  @Test
  void aRequestBuiltFromTheDocumentForEveryOperationRoundTrips() {
    JsonNode doc = docs();
    Map<String, JsonNode> ops = operations(doc);
    ops.keySet().removeIf(OpenApiContractTest::isExecutorOperation); // driven in protocol order below
    JsonNode studyExample = example(ops.get("POST /api/v1/studies").get("requestBody").get("content")
        .get("application/json"));
    List<String> failures = new ArrayList<>();
    List<String> nested = new ArrayList<>();
    int sent = 0;
    for (var e : ops.entrySet()) {
      String key = e.getKey();
      JsonNode op = e.getValue();
      String method = key.substring(0, key.indexOf(' '));
      String path = key.substring(key.indexOf(' ') + 1);
      long study = create(renamed(studyExample, "name"));
      JsonNode done = suggest(study, 1, null).get(0);
      tell(study, done.get("number").asLong(), 0.5);
      long number = suggest(study, 1, null).get(0).get("number").asLong();
      String url = path.replace("{number}", Long.toString(number));
      if (path.startsWith("/api/v1/users/{id}")) {
        url = url.replace("{id}", Long.toString(newUser()));
      } else if (path.startsWith("/api/v1/tokens/{id}")) {
        url = url.replace("{id}", Long.toString(newToken()));
      } else if (path.equals("/api/v1/studies/{id}/programs")) {
        url = url.replace("{id}", Long.toString(programStudy()));
      } else {
        url = url.replace("{id}", Long.toString(study));
      }
      if (key.equals("POST /api/v1/studies/import")) {
        url += "?name=" + unique("imported");
      }
      JsonNode body = null;
      if (op.has("requestBody")) {
        body = example(op.get("requestBody").get("content").get("application/json"));
        if (key.equals("POST /api/v1/studies")) {
          body = Http.JSON.valueToTree(renamed(body, "name"));
        } else if (key.equals("POST /api/v1/users")) {
          body = Http.JSON.valueToTree(renamed(body, "username"));
        }
      }
      Http.Res r = send(method, url, body);
      sent++;
      checkAnswer(doc, key, op, r, failures);
      if (body != null && op.get("requestBody").get("content").get("application/json").has("schema")) {
        long probes = create(renamed(studyExample, "name"));
        String target = path.replace("{number}", Long.toString(suggest(probes, 1, null).get(0).get("number").asLong()))
            .replace("{id}", Long.toString(path.startsWith("/api/v1/users/{id}") ? newUser() : probes));
        checkFieldsAgainstServer(doc, key, op, method, target, failures);
        nested.addAll(checkNestedFieldsAgainstServer(doc, key, op, method, target, body, failures));
      }
    }
    assertThat(sent).isEqualTo(ops.size());
    assertThat(nested).contains("POST /api/v1/studies space", "POST /api/v1/studies space.parameters[3]",
        "POST /api/v1/studies objectives[0]", "POST /api/v1/studies limits");
    assertThat(failures).isEmpty();
  }

  /** The export document, validated as the import schema, comes back in as an equal study. */
  @Test
  void anExportedDocumentValidatesAgainstTheImportSchemaAndImports() {
    JsonNode doc = docs();
    JsonNode studyExample = example(operations(doc).get("POST /api/v1/studies").get("requestBody").get("content")
        .get("application/json"));
    long study = create(renamed(studyExample, "name"));
    JsonNode done = suggest(study, 2, null);
    tell(study, done.get(0).get("number").asLong(), 0.25);
    Http.Res export = http.get("/api/v1/studies/" + study + "/export");
    assertThat(export.status()).isEqualTo(200);
    JsonNode importSchema = operations(doc).get("POST /api/v1/studies/import").get("requestBody").get("content")
        .get("application/json").get("schema");
    assertThat(validate(doc, importSchema, export.json())).isEmpty();
    Http.Res in = http.post("/api/v1/studies/import?name=" + unique("back"), export.text(), "application/json");
    assertThat(in.status()).as(in.text()).isEqualTo(201);
    assertThat(in.json().get("trialCounts")).isEqualTo(http.get("/api/v1/studies/" + study).json().get("trialCounts"));
  }

  private static boolean isExecutorOperation(String key) {
    return key.substring(key.indexOf(' ') + 1).startsWith(EXECUTORS);
  }

  /**
   * The executor protocol driven as an executor node speaks it, each request built from the document's example:
   * register (declaring an evaluator only this test offers, so the study made for it is leased by this executor
   * alone and no other study needs pausing), list, lease, heartbeat, measure, complete, fail, a batch of outcomes
   * that asks for new leases, deregister. Each answer has the declared status and validates against the declared
   * schema (an undeclared answer field included); the trials end as reported. Then the request schemas against the
   * server, on a second executor that has nothing to lease: each declared field is known to it, and an undeclared one
   * (at the top and in every nested object the schema closes) is a 400 naming its path.
   */
  @Test
  void everyExecutorOperationRoundTripsInProtocolOrder() {
    JsonNode doc = docs();
    Map<String, JsonNode> ops = operations(doc);
    ops.keySet().removeIf(k -> !isExecutorOperation(k));
    List<String> failures = new ArrayList<>();
    Set<String> sent = new java.util.HashSet<>();
    String evaluator = unique("contract-evaluator");

    String register = "POST " + EXECUTORS;
    ObjectNode registration = requestExample(ops, register);
    registration.putArray("evaluators").add(evaluator);
    String executor = exchange(doc, ops, register, EXECUTORS, registration, sent, failures).json().get("id").asString();
    String base = EXECUTORS + "/" + executor;
    long study = create(Map.of("name", unique("executor-contract"),
        "space", Map.of("parameters", List.of(Map.of("name", "x", "type", "float", "low", 0, "high", 1))),
        "objectives", List.of(Map.of("metric", "loss")), "evaluator", Map.of("name", evaluator),
        "limits", Map.of("maxTrials", 20, "maxAttempts", 1)));

    List<String> listed = new ArrayList<>();
    exchange(doc, ops, "GET " + EXECUTORS, EXECUTORS, null, sent, failures).json().get("executors")
        .forEach(e -> listed.add(e.get("id").asString()));
    assertThat(listed).contains(executor);

    String lease = "POST " + EXECUTORS + "/{id}/leases";
    ObjectNode leaseRequest = requestExample(ops, lease);
    JsonNode leases = exchange(doc, ops, lease, base + "/leases", leaseRequest, sent, failures).json().get("leases");
    assertThat(leases).as("leases for %s", leaseRequest).hasSize(leaseRequest.get("max").asInt()).hasSize(4);
    for (JsonNode l : leases) {
      assertThat(l.get("studyId").asLong()).isEqualTo(study);
      assertThat(l.get("evaluator").asString()).isEqualTo(evaluator);
    }
    JsonNode a = leases.get(0);
    JsonNode b = leases.get(1);
    JsonNode c = leases.get(2);
    JsonNode d = leases.get(3);

    String heartbeat = "POST " + EXECUTORS + "/{id}/heartbeat";
    ObjectNode beat = requestExample(ops, heartbeat);
    beat.set("leases", Http.JSON.createArrayNode().add(ref(a)).add(ref(b)).add(ref(c)).add(ref(d)));
    assertThat(exchange(doc, ops, heartbeat, base + "/heartbeat", beat, sent, failures).json().get("stop")).isEmpty();

    String leasePath = EXECUTORS + "/{id}/leases/{trialId}/{attempt}";
    assertThat(exchange(doc, ops, "POST " + leasePath + "/measurements", leaseUrl(base, a) + "/measurements",
        requestExample(ops, "POST " + leasePath + "/measurements"), sent, failures).json().get("stop").asBoolean())
        .isFalse();
    exchange(doc, ops, "POST " + leasePath + "/complete", leaseUrl(base, a) + "/complete",
        requestExample(ops, "POST " + leasePath + "/complete"), sent, failures);
    exchange(doc, ops, "POST " + leasePath + "/fail", leaseUrl(base, b) + "/fail",
        requestExample(ops, "POST " + leasePath + "/fail"), sent, failures);

    String outcomes = "POST " + EXECUTORS + "/{id}/outcomes";
    ObjectNode batch = requestExample(ops, outcomes);
    assertThat(batch.get("outcomes")).as("the example completes one and fails one").hasSize(2);
    ((ObjectNode) batch.get("outcomes").get(0)).setAll(ref(c));
    ((ObjectNode) batch.get("outcomes").get(1)).setAll(ref(d));
    JsonNode answer = exchange(doc, ops, outcomes, base + "/outcomes", batch, sent, failures).json();
    assertThat(answer.get("stale")).isEmpty();
    assertThat(answer.get("leases")).hasSize(batch.get("lease").get("max").asInt());

    exchange(doc, ops, "DELETE " + EXECUTORS + "/{id}", base, null, sent, failures);
    assertThat(sent).containsExactlyInAnyOrderElementsOf(ops.keySet());
    assertThat(failures).isEmpty();

    // the reports took effect: a and c completed (a with its measurement), b and d failed (maxAttempts 1)
    JsonNode ta = trial(study, a);
    assertThat(ta.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(ta.get("measurements")).hasSize(1);
    assertThat(trial(study, c).get("state").asString()).isEqualTo("COMPLETED");
    assertThat(trial(study, b).get("state").asString()).isEqualTo("FAILED");
    assertThat(trial(study, d).get("state").asString()).isEqualTo("FAILED");
    assertThat(http.post(base + "/heartbeat", Map.of("leases", List.of())).status()).as("deregistered").isEqualTo(404);

    // the request schemas against the server, on an executor with nothing to lease (its leases answer at once)
    Http.Res probe = http.post(EXECUTORS, Map.of("name", "contract-probe", "slots", 1,
        "evaluators", List.of(unique("nothing-to-run"))));
    assertThat(probe.status()).as(probe.text()).isEqualTo(201);
    String prober = probe.json().get("id").asString();
    List<String> nested = new ArrayList<>();
    ops.forEach((key, op) -> {
      if (!op.has("requestBody")) {
        return;
      }
      String method = key.substring(0, key.indexOf(' '));
      String target = key.substring(key.indexOf(' ') + 1).replace("{id}", prober).replace("{trialId}", "1")
          .replace("{attempt}", "1");
      checkFieldsAgainstServer(doc, key, op, method, target, failures);
      JsonNode example = key.equals(register) ? registration : requestExample(ops, key);
      nested.addAll(checkNestedFieldsAgainstServer(doc, key, op, method, target, example, failures));
    });
    assertThat(nested).containsExactlyInAnyOrder(register + " gpus[0]", outcomes + " outcomes[0]",
        outcomes + " outcomes[1]", outcomes + " lease");
    assertThat(http.delete(EXECUTORS + "/" + prober).status()).isEqualTo(204);
    assertThat(failures).isEmpty();
  }

  /**
   * The requests the executor node itself writes ({@code ExecutorWire}, used by {@code RestDispatchPort}) validate
   * against the declared request schemas, which refuse undeclared fields: the document describes what executors
   * send. A lease with every part (constraints, GPUs) written by the codec validates against the declared lease.
   */
  @Test
  void whatTheExecutorsCodecWritesValidatesAgainstTheDeclaredSchemas() {
    JsonNode doc = docs();
    Map<String, JsonNode> ops = operations(doc);
    LeaseRef ref = new LeaseRef(7, 2);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("loss", 0.25);
    values.put("memory", Double.POSITIVE_INFINITY);
    values.put("score", Double.NaN);
    String leasePath = "POST " + EXECUTORS + "/{id}/leases/{trialId}/{attempt}";
    Map<String, Object> requests = new LinkedHashMap<>();
    requests.put("POST " + EXECUTORS, ExecutorWire.writeExecutor(new ExecutorInfo("node-1", 4, 16,
        List.of(new ExecutorInfo.Gpu(0, "NVIDIA H100", 81559)), Map.of("zone", "a"), List.of("branin", "noop"),
        Optional.of("gpu-h100"))));
    requests.put("POST " + EXECUTORS + "/{id}/leases", new ExecutorWire.LeaseRequest(4, Duration.ofMillis(1500))
        .toJson());
    requests.put("POST " + EXECUTORS + "/{id}/heartbeat", new ExecutorWire.Heartbeat(List.of(ref)).toJson());
    requests.put(leasePath + "/measurements", new ExecutorWire.Measurement(3, values).toJson());
    requests.put(leasePath + "/complete", new ExecutorWire.Completion(values).toJson());
    requests.put(leasePath + "/fail", new ExecutorWire.Failure("out of memory").toJson());
    requests.put("POST " + EXECUTORS + "/{id}/outcomes", new ExecutorWire.OutcomeBatch(List.of(
        Outcome.completed(ref, values), Outcome.failed(new LeaseRef(8, 1), "exit status 1")), Optional.of(2)).toJson());
    List<String> withBodies = new ArrayList<>();
    ops.forEach((key, op) -> {
      if (isExecutorOperation(key) && op.has("requestBody")) {
        withBodies.add(key);
      }
    });
    assertThat(requests.keySet()).containsExactlyInAnyOrderElementsOf(withBodies);
    List<String> failures = new ArrayList<>();
    requests.forEach((key, body) -> validate(doc, ops.get(key).get("requestBody").get("content")
        .get("application/json").get("schema"), Http.JSON.valueToTree(body))
        .forEach(e -> failures.add(key + ": " + e)));
    StudyProblem problem = new StudyProblem(SpaceMaps.parse(Map.of("parameters", List.of(
        Map.of("name", "lr", "type", "float", "low", 1e-5, "high", 0.1, "log", true),
        Map.of("name", "opt", "type", "categorical", "choices", List.of("adam", "sgd"))))),
        List.of(new Objective("loss", Direction.MINIMIZE), new Objective("acc", Direction.MAXIMIZE)),
        List.of(new OutcomeConstraint("memory", OutcomeConstraint.Op.LE, 8.0)));
    Lease lease = new Lease(ref, 3, 11, Map.of("lr", 0.01, "opt", "adam"), "branin", Map.of("env", Map.of("K", "v")),
        problem, List.of(0, 1), Instant.parse("2026-01-02T03:04:05.678Z"));
    ObjectNode leaseSchema = Http.JSON.createObjectNode().put("$ref", "#/components/schemas/Lease");
    validate(closed(doc), leaseSchema, Http.JSON.valueToTree(ExecutorWire.writeLease(lease)))
        .forEach(e -> failures.add("lease: " + e));
    assertThat(failures).isEmpty();
  }

  /**
   * Every query parameter the document bounds (minimum, maximum, minLength, maxLength, enum) is accepted at its
   * bounds and refused just outside them with a 400 naming it; an integer or boolean parameter that is not one is a
   * 400 naming it too; a declared default lies within the bounds.
   */
  @Test
  void queryParameterRangesAreDeclaredAndEnforced() {
    JsonNode doc = docs();
    Map<String, JsonNode> ops = operations(doc);
    JsonNode studyExample = example(ops.get("POST /api/v1/studies").get("requestBody").get("content")
        .get("application/json"));
    long study = create(renamed(studyExample, "name"));
    tell(study, suggest(study, 1, null).get(0).get("number").asLong(), 0.5);
    long programs = programStudy();
    List<String> failures = new ArrayList<>();
    List<String> bounded = new ArrayList<>();
    ops.forEach((key, op) -> {
      if (!op.has("parameters")) {
        return;
      }
      String method = key.substring(0, key.indexOf(' '));
      String path = key.substring(key.indexOf(' ') + 1);
      String url = path.replace("{id}", Long.toString(path.endsWith("/programs") ? programs : study));
      for (JsonNode p : op.get("parameters")) {
        if (!p.get("in").asString().equals("query")) {
          continue;
        }
        String name = p.get("name").asString();
        JsonNode schema = p.get("schema");
        String type = schema.get("type").asString();
        List<String> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        if (type.equals("integer") || type.equals("number")) {
          bad.add("abc");
          if (schema.has("minimum")) {
            good.add(schema.get("minimum").asString());
            bad.add(Long.toString(schema.get("minimum").asLong() - 1));
          }
          if (schema.has("maximum")) {
            good.add(schema.get("maximum").asString());
            bad.add(Long.toString(schema.get("maximum").asLong() + 1));
          }
          if (schema.has("default") && (schema.has("minimum") && schema.get("default").asLong() < schema
              .get("minimum").asLong() || schema.has("maximum") && schema.get("default").asLong() > schema
              .get("maximum").asLong())) {
            failures.add(key + " " + name + ": default " + schema.get("default") + " outside its range");
          }
        } else if (type.equals("boolean")) {
          bad.add("maybe");
        } else if (type.equals("string")) {
          if (schema.has("minLength") && schema.get("minLength").asInt() > 0) {
            bad.add("x".repeat(schema.get("minLength").asInt() - 1));
          }
          if (schema.has("maxLength")) {
            good.add(padded(name, schema.get("maxLength").asInt()));
            bad.add(padded(name, schema.get("maxLength").asInt() + 1));
          }
          if (schema.has("enum")) {
            schema.get("enum").forEach(v -> good.add(v.asString()));
            bad.add("bogus");
          }
        }
        if (good.isEmpty() && bad.size() <= 1) {
          continue; // nothing bounded beyond its type (e.g. objective: any objective's name)
        }
        bounded.add(key + " " + name);
        for (String v : good) {
          Http.Res r = send(method, url + "?" + name + "=" + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8),
              queryProbeBody(ops, key, method));
          if (r.status() / 100 != 2) {
            failures.add(key + " " + name + "=" + abbreviated(v) + " (within the declared bounds): " + r.status() + " "
                + abbreviated(r.text()));
          }
        }
        for (String v : bad) {
          Http.Res r = send(method, url + "?" + name + "=" + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8),
              queryProbeBody(ops, key, method));
          if (r.status() != 400 || !name.equals(r.field())) {
            failures.add(key + " " + name + "=" + abbreviated(v) + " (outside the declared bounds): " + r.status() + " "
                + abbreviated(r.text()));
          }
        }
      }
    });
    assertThat(bounded).contains("GET /api/v1/studies limit", "GET /api/v1/studies q",
        "GET /api/v1/studies/{id}/trials limit", "GET /api/v1/studies/{id}/trials state",
        "GET /api/v1/studies/{id}/trials/compact after", "GET /api/v1/studies/{id}/trials/compact limit",
        "GET /api/v1/studies/{id}/programs top", "GET /api/v1/studies/{id}/export format",
        "POST /api/v1/studies/import name");
    assertThat(failures).isEmpty();
  }

  /** The body a query-parameter probe sends: the operation's example (a create or import renamed), else none. */
  private static JsonNode queryProbeBody(Map<String, JsonNode> ops, String key, String method) {
    JsonNode op = ops.get(key);
    if (!op.has("requestBody")) {
      return method.equals("GET") || method.equals("DELETE") ? null : Http.JSON.createObjectNode();
    }
    JsonNode body = example(op.get("requestBody").get("content").get("application/json"));
    return key.equals("POST /api/v1/studies") ? Http.JSON.valueToTree(renamed(body, "name")) : body;
  }

  /** A unique string of exactly {@code length} characters (at least 1). */
  private static String padded(String prefix, int length) {
    String u = unique(prefix);
    return length <= u.length() ? u.substring(u.length() - length) : u + "x".repeat(length - u.length());
  }

  private static String abbreviated(String v) {
    return v.length() <= 200 ? v : v.substring(0, 40) + "...(" + v.length() + " characters)";
  }

  /** Sends one request of the protocol; it must succeed (what follows needs it); its answer is checked. */
  private Http.Res exchange(JsonNode doc, Map<String, JsonNode> ops, String key, String url, JsonNode body,
      Set<String> sent, List<String> failures) {
    JsonNode op = ops.get(key);
    assertThat(op).as("operation " + key).isNotNull();
    String method = key.substring(0, key.indexOf(' '));
    Http.Res r = send(method, url, body);
    sent.add(key);
    assertThat(r.status()).as(key + ": " + r.text()).isBetween(200, 299);
    checkAnswer(doc, key, op, r, failures);
    return r;
  }

  private ObjectNode requestExample(Map<String, JsonNode> ops, String key) {
    JsonNode example = example(ops.get(key).get("requestBody").get("content").get("application/json"));
    assertThat(example).as(key + " example").isNotNull();
    return (ObjectNode) example.deepCopy();
  }

  private static ObjectNode ref(JsonNode lease) {
    return Http.JSON.createObjectNode().put("trialId", lease.get("trialId").asLong())
        .put("attempt", lease.get("attempt").asInt());
  }

  private static String leaseUrl(String base, JsonNode lease) {
    return base + "/leases/" + lease.get("trialId").asLong() + "/" + lease.get("attempt").asInt();
  }

  private JsonNode trial(long study, JsonNode lease) {
    Http.Res r = http.get("/api/v1/studies/" + study + "/trials/" + lease.get("trialNumber").asLong());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  /**
   * An undeclared field in each nested object of the example whose schema refuses undeclared fields
   * (additionalProperties false) is a 400 naming its path ({@code outcomes[1].bogusField}).
   */
  private List<String> checkNestedFieldsAgainstServer(JsonNode doc, String key, JsonNode op, String method,
      String target, JsonNode example, List<String> failures) {
    List<String> probed = new ArrayList<>();
    JsonNode schema = op.get("requestBody").get("content").get("application/json").get("schema");
    List<Map.Entry<String, ObjectNode>> closed = new ArrayList<>();
    closedObjects(doc, schema, example.deepCopy(), "", closed);
    for (int i = 0; i < closed.size(); i++) {
      if (closed.get(i).getKey().isEmpty()) {
        continue; // the top level: checkFieldsAgainstServer
      }
      JsonNode probe = example.deepCopy();
      List<Map.Entry<String, ObjectNode>> nodes = new ArrayList<>();
      closedObjects(doc, schema, probe, "", nodes);
      nodes.get(i).getValue().put("bogusField", 1);
      String field = nodes.get(i).getKey() + ".bogusField";
      Http.Res r = send(method, target, probe);
      probed.add(key + " " + nodes.get(i).getKey());
      if (r.status() != 400 || !field.equals(r.field())) {
        failures.add(key + ": an undeclared " + field + " answered " + r.status() + " " + r.text());
      }
    }
    return probed;
  }

  /** The objects of {@code value} (with their field paths) whose schema sets additionalProperties false. */
  private static void closedObjects(JsonNode doc, JsonNode schema, JsonNode value, String path,
      List<Map.Entry<String, ObjectNode>> out) {
    schema = resolve(doc, schema);
    if (value instanceof ObjectNode object) {
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
        out.add(Map.entry(path, object));
      }
      if (schema.has("properties")) {
        for (var p : object.properties()) {
          JsonNode property = schema.get("properties").get(p.getKey());
          if (property != null) {
            closedObjects(doc, property, p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out);
          }
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        closedObjects(doc, schema.get("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  /**
   * The document with every object schema that names its properties and leaves additionalProperties open closed
   * (false): answers are validated against it, so an answer field the document does not declare is a failure.
   */
  private static JsonNode closed(JsonNode doc) {
    JsonNode copy = doc.deepCopy();
    close(copy.get("components").get("schemas"));
    return copy;
  }

  private static void close(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("properties") && o.get("properties").isObject() && !o.has("additionalProperties")) {
        o.put("additionalProperties", false);
      }
      o.values().forEach(OpenApiContractTest::close);
    } else if (node != null && node.isArray()) {
      node.values().forEach(OpenApiContractTest::close);
    }
  }

  private void checkAnswer(JsonNode doc, String key, JsonNode op, Http.Res r, List<String> failures) {
    JsonNode declared = op.get("responses").get(Integer.toString(r.status()));
    if (r.status() / 100 != 2 || declared == null) {
      failures.add(key + ": answered " + r.status() + " " + r.text());
      return;
    }
    if (declared.get("content") == null) {
      if (!r.text().isEmpty()) {
        failures.add(key + ": declared no body, answered " + r.text());
      }
      return;
    }
    String type = r.contentType().split(";")[0].trim();
    JsonNode media = declared.get("content").get(type);
    if (media == null) {
      failures.add(key + ": answered " + type + ", declared " + declared.get("content").propertyNames());
      return;
    }
    // against the closed document: an answer field the document does not declare is a failure too
    validate(closed(doc), media.get("schema"), r.json()).forEach(v -> failures.add(key + " answer: " + v));
  }

  /**
   * The request schema's top-level fields against the server's, at {@code target} (a fresh study, its RUNNING trial,
   * a fresh user): each declared field is known to the server (a body with only that field, null, is not refused as
   * unknown) and an undeclared field is a 400 naming it.
   */
  private void checkFieldsAgainstServer(JsonNode doc, String key, JsonNode op, String method, String target,
      List<String> failures) {
    JsonNode schema = resolve(doc, op.get("requestBody").get("content").get("application/json").get("schema"));
    if (!schema.has("properties")) {
      return;
    }
    for (String field : schema.get("properties").propertyNames()) {
      ObjectNode probe = Http.JSON.createObjectNode();
      probe.putNull(field);
      Http.Res r = send(method, target, probe);
      if (r.status() == 400 && r.json().get("detail").asString().startsWith("unknown field")) {
        failures.add(key + ": declared field '" + field + "' is unknown to the server");
      }
    }
    if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true)) {
      ObjectNode probe = Http.JSON.createObjectNode();
      probe.put("bogusField", 1);
      Http.Res r = send(method, target, probe);
      if (r.status() != 400 || !"bogusField".equals(r.field())) {
        failures.add(key + ": an undeclared field answered " + r.status() + " " + r.text());
      } else {
        validate(doc, op.get("responses").get("400").get("content").get("application/problem+json").get("schema"),
            r.json()).forEach(v -> failures.add(key + " 400: " + v));
      }
    }
  }

  private Http.Res send(String method, String url, JsonNode body) {
    String text = body == null ? "" : Http.JSON.writeValueAsString(body);
    return switch (method) {
      case "GET" -> http.get(url);
      case "DELETE" -> http.delete(url);
      case "PATCH" -> http.patch(url, text);
      case "POST" -> body == null ? http.post(url, "", "application/json") : http.post(url, text, "application/json");
      default -> throw new IllegalArgumentException(method);
    };
  }

  private long newUser() {
    Http.Res r = http.post("/api/v1/users", Map.of("username", unique("user"), "role", "MEMBER"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  private long newToken() {
    Http.Res r = http.post("/api/v1/tokens", Map.of("name", unique("token"), "role", "VIEWER"));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  /** A copy of an example body with a unique value of its name field. */
  private static Map<String, Object> renamed(JsonNode body, String field) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = Http.JSON.convertValue(body, LinkedHashMap.class);
    m.put(field, unique(String.valueOf(m.get(field))));
    return m;
  }

  /** Tells a trial of a study made from the example (objective loss, constraint memory). */
  /** A program-evolution study (ask/tell by the client) with one scored program: a study /programs answers for. */
  private long programStudy() {
    long id = create(Map.of("name", unique("programs"), "objectives", List.of(Map.of("metric", "fitness")),
        "algorithm", Map.of("name", "program-evolution", "options", Map.of("population", 4, "tournament", 2))));
    long number = suggest(id, 1, null).get(0).get("number").asLong();
    Http.Res r = http.post("/api/v1/studies/" + id + "/trials/" + number + "/complete",
        Map.of("values", Map.of("fitness", 0.5)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return id;
  }

  private void tell(long study, long number, double loss) {
    Http.Res r = http.post("/api/v1/studies/" + study + "/trials/" + number + "/complete",
        Map.of("values", Map.of("loss", loss, "memory", 1.0)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  private static JsonNode example(JsonNode media) {
    if (media.has("example")) {
      return media.get("example");
    }
    if (media.has("examples")) {
      return media.get("examples").values().iterator().next().get("value");
    }
    return null;
  }

  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    if (!schema.has("$ref")) {
      return schema;
    }
    String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
    return doc.get("components").get("schemas").get(name);
  }

  /** The errors of {@code value} against {@code schema} (with the document's components, OpenAPI 3.1 dialect). */
  static List<String> validate(JsonNode doc, JsonNode schema, JsonNode value) {
    ObjectNode root = Http.JSON.createObjectNode();
    root.set("components", doc.get("components"));
    root.setAll((ObjectNode) schema.deepCopy());
    Schema s = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance())
        .getSchema(SchemaLocation.of("https://sextant.invalid/v3/api-docs"), root);
    return s.validate(value).stream().map(Object::toString).toList();
  }
}
