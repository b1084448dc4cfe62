package io.sextant.api.study;

import io.sextant.api.common.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * /api/v1/studies: create (JSON or YAML; {@code ?paused=true} creates it PAUSED, so a client can enqueue its own trials
 * before the search proposes any), list, get, pause, resume, delete. (Import and export: transfer.TransferController.)
 * The body is read by {@link StudySpecParser} (field-path errors); its typed shape for OpenAPI: {@link StudyBodies}.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "studies")
@RestController
@RequestMapping("/api/v1/studies")
class StudyController {
  private final StudyService studies;

  StudyController(StudyService studies) {
    this.studies = studies;
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "createStudy")
  @PostMapping(consumes = {"application/json", "application/yaml", "application/x-yaml", "text/yaml"})
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<StudyDto> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
          @Content(mediaType = "application/json", schema = @Schema(implementation = StudyBodies.Definition.class),
              examples = @ExampleObject(value = StudyBodies.EXAMPLE)),
          @Content(mediaType = "application/yaml", schema = @Schema(implementation = StudyBodies.Definition.class))})
      @RequestBody Object body,
      @io.swagger.v3.oas.annotations.Parameter(description = "create it PAUSED: it issues nothing, and holds enqueued trials, until /resume")
      @RequestParam(defaultValue = "false") boolean paused) {
    StudyDto s = studies.create(body, paused);
    return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/api/v1/studies/" + s.id()).body(s);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "listStudies")
  @GetMapping
  StudyService.Page list(
      @io.swagger.v3.oas.annotations.Parameter(description = "cursor: the studies after this id (a page's next)") @RequestParam(defaultValue = "0")
      long after,
      @io.swagger.v3.oas.annotations.Parameter(description = "studies per page", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "integer", format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
      @RequestParam(defaultValue = "100") int limit,
      @io.swagger.v3.oas.annotations.Parameter(description = "only studies whose name contains this (any case)",
          schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string", maxLength = 200)) @RequestParam(required = false) String q) {
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("limit", "limit must be between 1 and 1000");
    }
    if (q != null && q.length() > 200) {
      throw ApiException.badRequest("q", "q is longer than 200 characters");
    }
    return studies.list(after, limit, q);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "getStudy")
  @GetMapping("/{id}")
  StudyDto get(@PathVariable long id) {
    return studies.get(id);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "pauseStudy")
  @PostMapping("/{id}/pause")
  StudyDto pause(@PathVariable long id) {
    return studies.pause(id);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "resumeStudy")
  @PostMapping("/{id}/resume")
  StudyDto resume(@PathVariable long id) {
    return studies.resume(id);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "deleteStudy")
  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT) // so OpenAPI lists 204
  ResponseEntity<Void> delete(@PathVariable long id) {
    studies.delete(id);
    return ResponseEntity.noContent().build();
  }
}
