package io.sextant.api.transfer;

import io.sextant.api.common.ApiException;
import io.sextant.api.study.StudyDto;
import io.sextant.api.study.StudyService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * A study out and back in: GET /api/v1/studies/{id}/export (CSV or the {@value TrialExporter#FORMAT} JSON document)
 * and POST /api/v1/studies/import (that document).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "transfer")
@RestController
class TransferController {
  private final StudyService studies;
  private final TrialExporter exporter;
  private final StudyImporter importer;

  TransferController(StudyService studies, TrialExporter exporter, StudyImporter importer) {
    this.studies = studies;
    this.exporter = exporter;
    this.importer = importer;
  }

  /** A study from a GET /studies/{id}/export?format=json document; {@code name} renames it. */
  @io.swagger.v3.oas.annotations.Operation(operationId = "importStudy")
  @PostMapping(path = "/api/v1/studies/import", consumes = "application/json")
  @ResponseStatus(HttpStatus.CREATED) // so OpenAPI lists 201 (the answer's status comes from the ResponseEntity)
  ResponseEntity<StudyDto> importStudy(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = StudyDocument.class),
          examples = @ExampleObject(value = StudyDocument.EXAMPLE)))
      @RequestBody Object body,
      @io.swagger.v3.oas.annotations.Parameter(description = "the new study's name (default: the document's)",
          schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string", minLength = 1, maxLength = 200))
      @RequestParam(required = false) String name) {
    if (name != null && (name.isBlank() || name.length() > 200)) {
      throw ApiException.badRequest("name", "name must be 1 to 200 characters");
    }
    StudyDto s = importer.importStudy(body, java.util.Optional.ofNullable(name));
    return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/api/v1/studies/" + s.id()).body(s);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "exportStudy")
  @GetMapping("/api/v1/studies/{id}/export")
  @ApiResponse(responseCode = "200", description = "the study document (format=json) or one CSV row per trial",
      content = {@Content(mediaType = "application/json", schema = @Schema(implementation = StudyDocument.class)),
          @Content(mediaType = "text/csv", schema = @Schema(type = "string"))})
  ResponseEntity<StreamingResponseBody> export(@PathVariable long id,
      @io.swagger.v3.oas.annotations.Parameter(schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string", allowableValues = {"json", "csv"}, defaultValue = "json"))
      @RequestParam(defaultValue = "json") String format) {
    var study = studies.find(id);
    return switch (format) {
      case "csv" -> ResponseEntity.ok()
          .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"study-" + id + ".csv\"")
          .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
          .body(os -> exporter.csv(study, os));
      case "json" -> ResponseEntity.ok()
          .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"study-" + id + ".json\"")
          .contentType(MediaType.APPLICATION_JSON)
          .body(os -> exporter.json(study, os));
      default -> throw ApiException.badRequest("format", "format must be csv or json");
    };
  }
}
