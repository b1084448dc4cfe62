package io.sextant.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** search-engine is pure: no Spring, no JPA, no JDBC, no networking (see docs/architecture). */
class ArchitectureTest {
  private static final JavaClasses ENGINE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sextant.engine");

  @Test
  void engineDependsOnNoFrameworkPersistenceOrNetwork() {
    noClasses().that().resideInAPackage("io.sextant.engine..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "java.sql..", "java.net..")
        .check(ENGINE);
  }
}
