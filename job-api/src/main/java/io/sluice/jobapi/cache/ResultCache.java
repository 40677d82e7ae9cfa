package io.sluice.jobapi.cache;

import io.sluice.jobapi.cache.internal.AnswerKeeper;
import io.sluice.jobapi.cache.internal.CachePurge;
import io.sluice.jobapi.cache.internal.JdbcAnswerCache;
import io.sluice.jobapi.job.AnswerCache;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.model.ModelCatalog;
import java.time.Clock;
import java.util.Optional;

/**
 * The exact-match result cache's parts for job-api's composition root (docs/cache.md): what the
 * intake asks, what keeps a succeeded job's answer, and the loop that deletes expired answers.
 *
 * @param answers the intake's view: keys, lookups, expected jobs
 * @param keeper keeps an expected job's answer when it succeeds (a job-update listener)
 * @param purgeLoop deletes expired answers, or empty when the cache or its purge is off
 */
public record ResultCache(
    AnswerCache answers, JobUpdatedListener keeper, Optional<BackgroundLoop> purgeLoop) {

  /** No cache: every job is queued and nothing is kept. */
  public static final ResultCache OFF =
      new ResultCache(AnswerCache.NONE, JobUpdatedListener.NONE, Optional.empty());

  public static ResultCache on(
      Database database, CacheSettings settings, ModelCatalog models, Clock clock) {
    if (!settings.enabled()) {
      return OFF;
    }
    Optional<BackgroundLoop> purge =
        settings.purgeInterval().isZero()
            ? Optional.empty()
            : Optional.of(
                new BackgroundLoop(
                    "result cache purge",
                    BackgroundLoop.Settings.idleWait(settings.purgeInterval()),
                    new CachePurge(database, settings.defaultTtl(), clock)::step));
    return new ResultCache(
        new JdbcAnswerCache(new CachePolicy(models), settings.defaultTtl()),
        new AnswerKeeper(settings.defaultTtl(), clock),
        purge);
  }
}
