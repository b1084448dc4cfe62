package io.sextant.api.config;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at /v3/api-docs: request and answer schemas come from the records the controllers declare
 * (springdoc reads them); this adds what every operation shares: the bearer-token scheme and the RFC 9457 problem
 * answers ({@link io.sextant.api.common.Problem}) with the statuses each kind of operation can give.
 */
@Configuration
class OpenApiConfig {
  static final String PROBLEM_JSON = "application/problem+json";

  @Bean
  OpenAPI sextantOpenApi() {
    Components components = new Components().addSecuritySchemes("bearer",
        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
            .description("an API token (POST /api/v1/tokens, or printed at first start)"));
    return new OpenAPI()
        .info(new Info().title("Sextant API").version("v1")
            .description("Hyperparameter search as a service: studies, ask/tell trials, analytics, import/export, "
                + "tokens and users. Every error is an RFC 9457 problem whose `field` names the offending input; "
                + "unknown body fields and query parameters are refused with a 400.")
            .license(new License().name("GPL-3.0-or-later").identifier("GPL-3.0-or-later")))
        .components(components)
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  /** The problem answers of every /api operation (the statuses not already declared by the operation). */
  @Bean
  OpenApiCustomizer problemAnswers() {
    return api -> {
      // added here, after springdoc has built the components (it drops schemas no operation referenced yet)
      ModelConverters.getInstance().read(io.sextant.api.common.Problem.class)
          .forEach(api.getComponents()::addSchemas);
      api.getPaths().forEach((path, item) -> problemAnswers(path, item));
    };
  }

  private static void problemAnswers(String path, PathItem item) {
    if (!path.startsWith("/api/")) {
      return;
    }
    item.readOperationsMap().forEach((method, op) -> {
      boolean write = method != PathItem.HttpMethod.GET;
      boolean hasBody = op.getRequestBody() != null;
      Map<String, String> statuses = new LinkedHashMap<>();
      statuses.put("400", "bad input: an unknown or malformed query parameter or body field (see `field`)");
      statuses.put("401", "no or an invalid bearer token");
      statuses.put("403", "the token's role may not do this");
      if (path.contains("{")) {
        statuses.put("404", "no such resource");
      }
      if (write) {
        statuses.put("409", "the resource's state does not allow this (e.g. a finished trial, a paused study)");
      }
      if (hasBody) {
        statuses.put("413", "the body is larger than allowed");
      }
      statuses.put("503", "the database is unavailable");
      ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
      statuses.forEach((code, text) -> responses.computeIfAbsent(code, c -> problem(c, text)));
      op.setResponses(responses);
    });
  }

  private static ApiResponse problem(String code, String description) {
    MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"));
    if (code.equals("400")) {
      media.addExamples("unknownField", new Example().value(Map.of("type", "about:blank", "title", "Bad Request",
          "status", 400, "detail", "unknown field 'bogus'", "field", "bogus")));
      media.addExamples("badSpace", new Example().value(Map.of("type", "about:blank", "title", "Bad Request",
          "status", 400, "detail", "'low' is required", "field", "space.parameters[2].low")));
    }
    return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON, media));
  }
}
