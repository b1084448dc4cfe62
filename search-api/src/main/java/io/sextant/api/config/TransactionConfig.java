package io.sextant.api.config;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Two transaction managers over the one data source. The JPA one (primary: every {@code @Transactional} without a
 * name, repositories, {@code TransactionTemplate}) is the one Spring Boot would make. The ask/tell hot path (POST
 * /suggestions and /trials/{n}/complete) reads and writes rows with plain JDBC only, so it runs under
 * {@link #ROWS}, a plain JDBC transaction: the same connection, isolation, commit and durability, without opening
 * and flushing a JPA session per request. Code running under {@link #ROWS} must not touch JPA (a repository call
 * there fails: JPA does not join a JDBC transaction).
 */
@Configuration(proxyBeanMethods = false)
public class TransactionConfig {
  /** The name of the plain JDBC transaction manager: {@code @Transactional(transactionManager = ROWS)}. */
  public static final String ROWS = "rowTransactionManager";

  @Bean
  @Primary
  PlatformTransactionManager transactionManager(ObjectProvider<TransactionManagerCustomizers> customizers) {
    JpaTransactionManager m = new JpaTransactionManager();
    customizers.ifAvailable(c -> c.customize(m));
    return m;
  }

  @Bean(ROWS)
  DataSourceTransactionManager rowTransactionManager(DataSource dataSource,
      ObjectProvider<TransactionManagerCustomizers> customizers) {
    DataSourceTransactionManager m = new DataSourceTransactionManager(dataSource);
    customizers.ifAvailable(c -> c.customize(m));
    return m;
  }
}
