package io.sextant.engine.bo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.engine.designer.DesignerContractTest;
import io.sextant.engine.space.SearchSpace;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpaceCodecTest {
  @Test
  void layoutOfTheMixedSpace() {
    SpaceCodec codec = new SpaceCodec(DesignerContractTest.mixedSpace());
    // 6 numeric + 3 + 3 + 2 one-hot, fixed parameters dropped
    assertThat(codec.dimensions()).isEqualTo(14);
    double[] f = codec.encode(Map.ofEntries(Map.entry("lr", 1e-3), Map.entry("dropout", 0.25),
        Map.entry("momentum", 0.5), Map.entry("layers", 8L), Map.entry("units", 16L), Map.entry("batch", 64L),
        Map.entry("optimizer", "adam"), Map.entry("width", 2.0), Map.entry("batch_norm", false),
        Map.entry("dataset", "cifar10"), Map.entry("epochs", 3L)));
    assertThat(f[0]).isCloseTo(0.5, within(1e-12)); // log scale: 1e-3 is halfway between 1e-5 and 1e-1
    assertThat(f[1]).isCloseTo(0.5, within(1e-12));
    assertThat(f[3]).isEqualTo(1.0);
    assertThat(f[4]).isEqualTo(0.0);
    assertThat(f[5]).isCloseTo(32.0 / 224, within(1e-12));
    assertThat(new double[] {f[6], f[7], f[8]}).containsExactly(0, 1, 0);
    assertThat(new double[] {f[9], f[10], f[11]}).containsExactly(0, 0, 1);
    assertThat(new double[] {f[12], f[13]}).containsExactly(0, 1);
  }

  @Test
  void decodeOfAnyPointIsLegalAndRoundTrips() {
    for (SearchSpace space : new SearchSpace[] {DesignerContractTest.mixedSpace(),
        DesignerContractTest.conditionalSpace()}) {
      SpaceCodec codec = new SpaceCodec(space);
      SplittableRandom r = new SplittableRandom(1);
      for (int i = 0; i < 500; i++) {
        double[] f = new double[codec.dimensions()];
        for (int j = 0; j < f.length; j++) {
          f[j] = r.nextDouble() * 1.2 - 0.1; // also slightly outside the cube
        }
        Map<String, Object> a = codec.decode(f);
        assertThat(space.validate(a)).isEqualTo(a);
        double[] rounded = codec.round(f);
        assertThat(codec.decode(rounded)).isEqualTo(a);
        assertThat(codec.round(rounded)).containsExactly(rounded, within(1e-12));
        Map<String, Object> sample = space.sample(r);
        assertThat(codec.decode(codec.encode(sample))).usingRecursiveComparison()
            .withComparatorForType((x, y) -> Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)) ? 0 : 1, Double.class)
            .isEqualTo(sample);
      }
    }
  }

  @Test
  void inactiveConditionalParametersEncodeNeutrally() {
    SpaceCodec codec = new SpaceCodec(DesignerContractTest.conditionalSpace());
    // optimizer(2) lr nesterov(2) dampening beta1 layers units_deep kernel(3) = 12 features
    assertThat(codec.dimensions()).isEqualTo(12);
    double[] f = codec.encode(Map.of("optimizer", "adam", "lr", 0.01, "beta1", 0.9, "eps", 1e-8, "layers", 1L));
    assertThat(new double[] {f[3], f[4]}).containsExactly(0, 0); // nesterov inactive: no one-hot set
    assertThat(f[5]).isEqualTo(SpaceCodec.INACTIVE); // dampening
    assertThat(f[8]).isEqualTo(SpaceCodec.INACTIVE); // units_deep
  }
}
