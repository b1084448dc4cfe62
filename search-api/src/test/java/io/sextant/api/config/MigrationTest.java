package io.sextant.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Flyway migrations from an empty database, from the first released schema and from the previous one (V3) with data
 * in them: every later migration applies on top and keeps the rows (new columns get their defaults).
 */
class MigrationTest {
  private static DataSource freshDatabase() throws Exception {
    EmbeddedPostgresServer pg = EmbeddedPostgresConfig.Shared.instance();
    EmbeddedPostgresConfig.Shared.release(); // no application context holds it: do not delay its stop at exit
    String db = "m_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = pg.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    return pg.dataSource(db);
  }

  private static Flyway flyway(DataSource ds, String target) {
    return Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(target).load();
  }

  @Test
  void fromAnEmptyDatabase() throws Exception {
    DataSource ds = freshDatabase();
    var result = flyway(ds, "latest").migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(3);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from information_schema.tables where table_name in "
            + "('study', 'trial', 'measurement', 'executor', 'app_user', 'api_token')")) {
      r.next();
      assertThat(r.getInt(1)).isEqualTo(6);
    }
  }

  @Test
  void fromTheFirstSchemaWithDataInIt() throws Exception {
    DataSource ds = freshDatabase();
    flyway(ds, "1").migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          insert into study (name, space, objectives, algorithm, state, next_number)
          values ('old', '{"parameters": []}', '[{"metric": "y", "direction": "MINIMIZE"}]', 'random', 'ACTIVE', 3)
          """);
      s.execute("""
          insert into trial (study_id, number, state, params, objective_values, metrics)
          select id, 1, 'COMPLETED', '{}', array['Infinity'::float8], '{"y": "Infinity"}' from study;
          insert into trial (study_id, number, state, params) select id, 2, 'RUNNING', '{}' from study;
          insert into measurement (trial_id, step, metrics) select id, 5, '{"y": 1}' from trial where number = 2;
          """);
    }
    var result = flyway(ds, "latest").migrate();
    assertThat(result.success).isTrue();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("""
            select s.name, s.early_stopping::text, s.resources::text, s.owner_id, t.objective_values[1], t.gpus,
                   (select count(*) from measurement) from study s join trial t on t.study_id = s.id and t.number = 1
            """)) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("old");
      assertThat(r.getString(2)).isEqualTo("{}");
      assertThat(r.getString(3)).isEqualTo("{}");
      assertThat(r.getObject(4)).isNull();
      assertThat(r.getDouble(5)).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(r.getObject(6)).isNull();
      assertThat(r.getLong(7)).isEqualTo(1);
    }
  }

  /** The schema one release back (V3) with users, a token, an owned study and a registered executor in it. */
  @Test
  void fromThePreviousSchemaWithDataInIt() throws Exception {
    DataSource ds = freshDatabase();
    flyway(ds, "3").migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("""
          insert into app_user (username, password_hash, role) values ('alice', 'x', 'MEMBER');
          insert into api_token (user_id, name, role, token_hash) select id, 't', 'MEMBER', repeat('a', 64) from app_user;
          insert into study (name, space, objectives, algorithm, state, next_number, owner_id)
          select 'owned', '{"parameters": []}', '[{"metric": "y", "direction": "MINIMIZE"}]', 'random', 'ACTIVE', 2, id
          from app_user;
          insert into trial (study_id, number, state, params, executor_id, lease_expires_at)
          select id, 1, 'RUNNING', '{}', 'node-1', now() + interval '1 minute' from study;
          insert into executor (id, name, slots, cpu_cores, state) values ('node-1', 'gpu-box', 4, 8, 'ACTIVE');
          """);
    }
    var result = flyway(ds, "latest").migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(1);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("""
            select e.name, e.evaluators, t.executor_id, u.username, s.name,
                   (select count(*) from api_token)
            from executor e join trial t on t.executor_id = e.id join study s on s.id = t.study_id
                 join app_user u on u.id = s.owner_id
            """)) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("gpu-box");
      // an executor registered before executors declared their evaluators: NULL, read as "the server's own"
      assertThat(r.getObject(2)).isNull();
      assertThat(r.getString(3)).isEqualTo("node-1");
      assertThat(r.getString(4)).isEqualTo("alice");
      assertThat(r.getString(5)).isEqualTo("owned");
      assertThat(r.getLong(6)).isEqualTo(1);
    }
  }
}
