package io.sluice.jobapi.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jackson.ObjectMapperFactory;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.schemas.json.Json;
import jakarta.inject.Singleton;

/** Micronaut writes JSON with Sluice's mapping (snake_case, ISO-8601, no nulls). */
@Factory
@Requires(property = JobApiBeans.ENABLED, value = "true")
final class JsonMapperFactory {
  @Singleton
  @Replaces(value = ObjectMapper.class, factory = ObjectMapperFactory.class)
  ObjectMapper objectMapper() {
    ObjectMapper mapper = Json.newMapper();
    mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    return mapper;
  }
}
