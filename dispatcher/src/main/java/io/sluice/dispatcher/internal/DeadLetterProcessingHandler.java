package io.sluice.dispatcher.internal;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record whose processing throws goes to the dead-letter topic with the reason, instead of
 * stopping the stream thread and failing on the same record again after every restart.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.fromConfig(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return Response.resume(deadLetters.recordsFor(context, exception));
  }
}
