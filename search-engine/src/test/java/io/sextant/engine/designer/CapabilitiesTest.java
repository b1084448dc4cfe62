package io.sextant.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.engine.bandit.ArmStatistics;
import io.sextant.engine.program.ProgramEvolutionProvider;
import io.sextant.engine.program.ProgramJson;
import io.sextant.engine.program.ReferencePrograms;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Declared capabilities agree with what the engine does (the multi-objective one is checked per designer by the
 * contract suite, against create).
 */
class CapabilitiesTest {
  private static final Designers ALL = Designers.load();

  @Test
  void banditsAreExactlyTheBanditPackagesDesigners() {
    for (DesignerProvider p : ALL.all().values()) {
      boolean inBanditPackage = p.getClass().getPackageName().equals("io.sextant.engine.bandit");
      assertThat(p.capabilities().contains(Capability.BANDIT)).as(p.name()).isEqualTo(inBanditPackage);
    }
  }

  @Test
  void contextualIsWhatArmStatisticsTreatsAsContextual() {
    for (DesignerProvider p : ALL.all().values()) {
      assertThat(p.capabilities().contains(Capability.CONTEXTUAL)).as(p.name())
          .isEqualTo(ArmStatistics.isContextual(p.name()));
      if (p.capabilities().contains(Capability.CONTEXTUAL)) {
        assertThat(p.capabilities()).as(p.name() + ": the contextual designers are bandits")
            .contains(Capability.BANDIT);
      }
    }
  }

  @Test
  void rendersCodeExactlyWhenRenderGivesCode() {
    Map<String, Object> program = Map.of("program", ProgramJson.toJson(ReferencePrograms.lion()));
    for (DesignerProvider p : ALL.all().values()) {
      boolean renders = p.render(program).isPresent();
      assertThat(p.capabilities().contains(Capability.RENDERS_CODE)).as(p.name()).isEqualTo(renders);
    }
    assertThat(ALL.find(ProgramEvolutionProvider.NAME).orElseThrow().capabilities())
        .contains(Capability.RENDERS_CODE);
  }
}
