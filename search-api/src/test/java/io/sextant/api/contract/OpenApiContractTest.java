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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * one is a 400 naming it.
 *
 * <p>The executor protocol (/api/v1/executors/**) is left out: its wire records are being written as one codec
 * (issue 25 item 3), and its bodies are still declared as plain objects.
 */
class OpenApiContractTest extends ApiTestBase {
  private static final String EXECUTORS = "/api/v1/executors";
  /** Operations answering 201 Created. */
  private static final Set<String> CREATE = Set.of("POST /api/v1/studies", "POST /api/v1/studies/import",
      "POST /api/v1/studies/{id}/trials", "POST /api/v1/tokens", "POST /api/v1/users");

  private JsonNode docs() {
    Http.Res r = http.get("/v3/api-docs");
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  /** Every /api operation but the executor protocol's: "METHOD path" -> operation. */
  private static Map<String, JsonNode> operations(JsonNode doc) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (var p : doc.get("paths").properties()) {
      if (!p.getKey().startsWith("/api/") || p.getKey().startsWith(EXECUTORS)) {
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
    assertThat(ids).contains("createStudy", "suggest", "completeTrial", "importStudy", "listTokens");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"#/components/schemas/([^\"]+)\"").matcher(text);
    while (m.find()) {
      assertThat(declared).as("$ref " + m.group(1)).contains(m.group(1));
    }
  }

  @Test
  void everyOperationDeclaresTypedBodiesStatusesProblemsAndValidExamples() {
    JsonNode doc = docs();
    Map<String, JsonNode> ops = operations(doc);
    assertThat(ops).hasSizeGreaterThan(30);
    List<String> failures = new ArrayList<>();
    ops.forEach((key, op) -> {
      String method = key.substring(0, key.indexOf(' '));
      String path = key.substring(key.indexOf(' ') + 1);
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
    JsonNode studyExample = example(ops.get("POST /api/v1/studies").get("requestBody").get("content")
        .get("application/json"));
    List<String> failures = new ArrayList<>();
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
      }
    }
    assertThat(sent).isEqualTo(ops.size());
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
    validate(doc, media.get("schema"), r.json()).forEach(v -> failures.add(key + " answer: " + v));
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
