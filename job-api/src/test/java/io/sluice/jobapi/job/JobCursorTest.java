package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobCursorTest {
  private static final String ID = "job_0190d2f0e5a07c3b8a1f2e3d4c5b6a79";

  @Test
  void shouldReadBackTheCursorItWroteToTheMicrosecond() {
    JobCursor cursor = new JobCursor(Instant.parse("2026-12-06T01:02:03.123456Z"), ID);

    assertThat(JobCursor.decode(cursor.encode())).contains(cursor);
  }

  @Test
  void shouldRefuseTextsItDidNotWrite() {
    assertThat(JobCursor.decode("")).isEmpty();
    assertThat(JobCursor.decode("%%%")).isEmpty();
    assertThat(JobCursor.decode(b64("v1:12:job_x"))).isEmpty();
    assertThat(JobCursor.decode(b64("v2:12:" + ID))).isEmpty();
    assertThat(JobCursor.decode(b64("v1:twelve:" + ID))).isEmpty();
    assertThat(JobCursor.decode(b64("v1:" + Long.MAX_VALUE + ":" + ID))).isEmpty();
    assertThat(JobCursor.decode(b64("v1:-1:" + ID))).isEmpty();
    assertThat(JobCursor.decode(b64("v1:12:" + ID + ":more"))).isEmpty();
  }

  private static String b64(String text) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes());
  }
}
