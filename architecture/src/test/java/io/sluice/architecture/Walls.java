package io.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;

/**
 * The four walls, written for a root package so that the same rules run over Sluice ({@code
 * io.sluice}) and over the test fixtures that prove each rule can fail.
 */
final class Walls {
  /** The services: they talk only through Kafka topics and (job-api only) PostgreSQL. */
  private static final List<String> SERVICES = List.of("jobapi", "dispatcher", "workers", "batch");

  /**
   * Domain packages: plain Java decisions (routing, lanes, estimation, limiting, state transitions,
   * pricing, structured-output checking, background-loop policy). Adapters live beside them in
   * other packages.
   */
  private static final List<String> DOMAIN =
      List.of(
          "lane..",
          "tokens..",
          "mapreduce..",
          "scaling..",
          "structured..",
          "fallback..",
          "lifecycle..",
          "ratelimit",
          "schemas.job..",
          "schemas.task..",
          "schemas.model..",
          "providers.pricing..",
          "dispatcher.routing..",
          "dispatcher.completion..",
          "dispatcher.mapreduce..",
          "dispatcher.fallback..",
          "batch.plan..",
          "jobapi.job",
          "jobapi.idempotency",
          "jobapi.tenant",
          "jobapi.webhook",
          "jobapi.usage",
          "jobapi.budget");

  /** What a domain package may not touch: frameworks, Kafka, JDBC, HTTP. */
  private static final String[] FORBIDDEN_IN_DOMAIN = {
    "io.micronaut..",
    "org.apache.kafka..",
    "java.sql..",
    "javax.sql..",
    "org.postgresql..",
    "com.zaxxer..",
    "org.flywaydb..",
    "java.net.http..",
    "com.sun.net.httpserver.."
  };

  private final String root;

  Walls(String root) {
    this.root = root;
  }

  /**
   * A class in {@code <feature>.internal..} is used only by classes in {@code <feature>..}: an
   * internal package is its feature's own business.
   */
  ArchRule internalStaysInItsFeature() {
    return classes()
        .that()
        .resideInAPackage(root + "..internal..")
        .should(beUsedOnlyWithinTheirFeature())
        .as("an internal package is used only by its own feature");
  }

  /** job-api, dispatcher, workers and the batch-submitter never depend on each other. */
  ArchRule servicesIndependent() {
    return slices()
        .matching(root + ".(" + String.join("|", SERVICES) + ")..")
        .should()
        .notDependOnEachOther()
        .allowEmptyShould(true)
        .as("the services never depend on each other");
  }

  /** Domain packages import no Micronaut, Kafka, JDBC or HTTP types. */
  ArchRule domainIsPlainJava() {
    return noClasses()
        .that()
        .resideInAnyPackage(DOMAIN.stream().map(p -> root + "." + p).toArray(String[]::new))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FORBIDDEN_IN_DOMAIN)
        .allowEmptyShould(true)
        .as("domain packages use no Micronaut, Kafka, JDBC or HTTP types");
  }

  /** Nothing outside the launcher and the benchmarks depends on them. */
  ArchRule nothingDependsOnLauncherOrBench() {
    return noClasses()
        .that()
        .resideOutsideOfPackages(root + ".launcher..", root + ".bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(root + ".launcher..", root + ".bench..")
        .allowEmptyShould(true)
        .as("nothing depends on the launcher or the benchmarks");
  }

  private static ArchCondition<JavaClass> beUsedOnlyWithinTheirFeature() {
    return new ArchCondition<>("be used only within their feature") {
      @Override
      public void check(JavaClass internal, ConditionEvents events) {
        String feature = featureOf(internal.getPackageName());
        for (Dependency use : internal.getDirectDependenciesToSelf()) {
          String user = use.getOriginClass().getPackageName();
          if (!user.equals(feature) && !user.startsWith(feature + ".")) {
            events.add(SimpleConditionEvent.violated(use, use.getDescription()));
          }
        }
      }
    };
  }

  private static String featureOf(String internalPackage) {
    return internalPackage.substring(0, internalPackage.indexOf(".internal"));
  }
}
