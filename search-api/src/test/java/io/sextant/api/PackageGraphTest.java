package io.sextant.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The packages of search-api form an acyclic graph with one order (docs/architecture.md, "Packages of search-api"):
 * {@code common} and {@code config} are the ground floor, then the features from low to high; a package may use only
 * the ones before it. A plain unit test: no Spring context, no database.
 */
class PackageGraphTest {
  private static final String ROOT = "io.sextant.api";
  /** Low to high: each package may depend on the packages before it only. */
  static final List<String> ORDER = List.of(
      "common", "config", "auth", "study", "trial", "analytics", "program", "transfer", "dispatch", "catalog");

  private static final JavaClasses API = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  @Test
  void everyPackageHasItsPlaceInTheOrder() {
    Set<String> found = new TreeSet<>();
    for (JavaClass c : API) {
      String p = c.getPackageName();
      if (!p.equals(ROOT)) {
        found.add(p.substring(ROOT.length() + 1).split("\\.")[0]);
      }
    }
    assertThat(found).as("top-level packages of " + ROOT + " (add a new one to ORDER and the docs)")
        .containsExactlyInAnyOrderElementsOf(ORDER);
  }

  @Test
  void packagesUseOnlyLowerPackages() {
    for (int i = 0; i < ORDER.size(); i++) {
      List<String> higher = ORDER.subList(i + 1, ORDER.size()).stream().map(p -> ROOT + "." + p + "..").toList();
      if (higher.isEmpty()) {
        continue;
      }
      noClasses().that().resideInAPackage(ROOT + "." + ORDER.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(higher.toArray(String[]::new))
          .because(ORDER.get(i) + " sits below " + ORDER.subList(i + 1, ORDER.size()))
          .check(API);
    }
  }

  @Test
  void noPackageUsesTheApplicationClass() {
    noClasses().that().resideInAPackage(ROOT + ".*..")
        .should().dependOnClassesThat().resideInAPackage(ROOT)
        .check(API);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(API);
  }
}
