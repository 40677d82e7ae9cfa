package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The walls of Sluice's design (docs/architecture.md), checked over the main classes of every
 * module at once. The rules live in {@link Walls}; the fixture test at the end shows that each can
 * fail.
 */
class ArchitectureTest {
  private static final Walls SLUICE_WALLS = new Walls("io.sluice");
  private static final JavaClasses SLUICE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.sluice");

  @Test
  void theRulesSeeTheMainClassesOfEveryModule() {
    Set<String> roots =
        SLUICE.stream()
            .map(JavaClass::getPackageName)
            .map(name -> name.split("\\.")[2])
            .collect(Collectors.toSet());
    assertThat(roots)
        .contains(
            "schemas",
            "lifecycle",
            "lane",
            "tokens",
            "egress",
            "embedded",
            "ratelimit",
            "providers",
            "simulator",
            "jobapi",
            "dispatcher",
            "workers",
            "batch",
            "launcher",
            "bench")
        .doesNotContain("architecture");
  }

  @Test
  void anInternalPackageIsUsedOnlyByItsOwnFeature() {
    SLUICE_WALLS.internalStaysInItsFeature().check(SLUICE);
  }

  @Test
  void theServicesNeverDependOnEachOther() {
    SLUICE_WALLS.servicesIndependent().check(SLUICE);
  }

  @Test
  void domainPackagesUseNoFrameworkKafkaJdbcOrHttpTypes() {
    SLUICE_WALLS.domainIsPlainJava().check(SLUICE);
  }

  @Test
  void nothingDependsOnTheLauncherOrTheBenchmarks() {
    SLUICE_WALLS.nothingDependsOnLauncherOrBench().check(SLUICE);
  }

  @Test
  void eachRuleCatchesABreachInTheFixtures() {
    String root = "io.sluice.architecture.fixture";
    JavaClasses fixtures = new ClassFileImporter().importPackages(root);
    Walls walls = new Walls(root);
    for (ArchRule rule :
        List.of(
            walls.internalStaysInItsFeature(),
            walls.servicesIndependent(),
            walls.domainIsPlainJava(),
            walls.nothingDependsOnLauncherOrBench())) {
      EvaluationResult result = rule.evaluate(fixtures);
      assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
    }
  }
}
