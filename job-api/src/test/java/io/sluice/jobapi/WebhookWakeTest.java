package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.WebhookFixture.createEndpoint;
import static io.sluice.jobapi.WebhookFixture.finish;
import static io.sluice.jobapi.WebhookFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.jobapi.WebhookFixture.SubmittedJob;
import io.sluice.schemas.job.JobStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A finished job wakes the webhook sender: with the idle poll at its longest (1 minute), events
 * still arrive within seconds of the jobs' terminal state being committed.
 */
class WebhookWakeTest {
  private static final Duration POLL = Duration.ofMinutes(1);
  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start(s -> s.webhooks(WebhookFixture.local().withPollInterval(POLL)));
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldSendAFinishedJobsEventWithoutWaitingForTheIdlePoll() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      createEndpoint(fixture, client, receiver.url().toString());
      SubmittedJob first = submit(client, VALID_BODY);
      SubmittedJob second = submit(client, VALID_BODY);

      finish(fixture, first, JobStatus.SUCCEEDED);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 1);
      finish(fixture, second, JobStatus.FAILED);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 2);

      assertThat(receiver.accepted()).hasSize(2);
    }
  }
}
