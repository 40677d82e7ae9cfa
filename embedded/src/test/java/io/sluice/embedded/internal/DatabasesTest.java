package io.sluice.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabasesTest {

  @Test
  void shouldPointAJdbcUrlAtAnotherDatabaseKeepingItsParameters() {
    assertThat(Databases.withDatabase("jdbc:postgresql://db:5432/postgres?ssl=true", "db_1"))
        .isEqualTo("jdbc:postgresql://db:5432/db_1?ssl=true");
    assertThat(Databases.withDatabase("jdbc:postgresql://127.0.0.1:5432/", "db_2"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/db_2");
    assertThat(Databases.withDatabase("jdbc:postgresql://localhost", "db_3"))
        .isEqualTo("jdbc:postgresql://localhost/db_3");
  }

  @Test
  void shouldRejectAUrlThatIsNotPostgres() {
    assertThatThrownBy(() -> Databases.withDatabase("jdbc:mysql://db/x", "y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:mysql://db/x");
  }
}
