package io.sluice.jobapi.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.usage.UsageQuery.Dimension;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageQueryParserTest {
  private static final LocalDate TODAY = LocalDate.parse("2030-03-31");
  private final UsageQueryParser parser = new UsageQueryParser();

  private UsageQuery parse(Map<String, List<String>> parameters) {
    return parser.parse("ten_a", parameters, TODAY);
  }

  private List<String> problems(Map<String, List<String>> parameters) {
    try {
      parse(parameters);
    } catch (InvalidJobRequestException e) {
      return e.fieldErrors().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("expected a refusal of " + parameters);
  }

  @Test
  void shouldDefaultToTheThirtyDaysUpToTodayGroupedByEveryDimension() {
    UsageQuery query = parse(Map.of());

    assertThat(query.from()).isEqualTo(LocalDate.parse("2030-03-02"));
    assertThat(query.to()).isEqualTo(TODAY);
    assertThat(query.groupBy())
        .isEqualTo(EnumSet.of(Dimension.DAY, Dimension.PROVIDER, Dimension.MODEL));
    assertThat(query.tenantId()).isEqualTo("ten_a");
  }

  @Test
  void shouldReadTheRangeAndTheChosenDimensionsAndAnEmptyGroupByAsOneTotal() {
    UsageQuery query =
        parse(
            Map.of(
                "from", List.of("2030-01-01"),
                "to", List.of("2030-01-31"),
                "group_by", List.of("model, day")));

    assertThat(query.from()).isEqualTo(LocalDate.parse("2030-01-01"));
    assertThat(query.to()).isEqualTo(LocalDate.parse("2030-01-31"));
    assertThat(query.groupBy()).containsExactlyInAnyOrder(Dimension.MODEL, Dimension.DAY);
    assertThat(parse(Map.of("group_by", List.of(""))).groupBy()).isEmpty();
    assertThat(parse(Map.of("from", List.of("2030-01-01"))).to())
        .isEqualTo(LocalDate.parse("2030-01-30"));
  }

  @Test
  void shouldNameEachBadParameter() {
    assertThat(problems(Map.of("from", List.of("yesterday")))).containsExactly("from");
    assertThat(problems(Map.of("to", List.of("2030-02-30")))).containsExactly("to");
    assertThat(problems(Map.of("from", List.of("2030-02-02"), "to", List.of("2030-02-01"))))
        .containsExactly("from");
    assertThat(problems(Map.of("from", List.of("2029-01-01"), "to", List.of("2030-01-02"))))
        .containsExactly("to");
    assertThat(problems(Map.of("group_by", List.of("day,client")))).containsExactly("group_by");
    assertThat(problems(Map.of("group_by", List.of("day,")))).containsExactly("group_by");
    assertThat(problems(Map.of("since", List.of("2030-01-01")))).containsExactly("since");
    assertThat(problems(Map.of("from", List.of("2030-01-01", "2030-01-02"))))
        .containsExactly("from");
  }

  @Test
  void shouldAcceptAFullYearOfDaysAndNoMore() {
    assertThat(parse(Map.of("from", List.of("2029-03-31"), "to", List.of("2030-03-31"))).from())
        .isEqualTo(LocalDate.parse("2029-03-31"));
    assertThat(problems(Map.of("from", List.of("2029-03-30"), "to", List.of("2030-03-31"))))
        .containsExactly("to");
  }
}
