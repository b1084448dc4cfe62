package io.sextant.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.api.dispatch.DispatchService;
import io.sextant.evaluators.executor.DispatchPort;
import io.sextant.evaluators.executor.LeaseRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The {@link DispatchPortContract} against the in-process implementation: {@link DispatchService} itself. */
class InProcessDispatchPortTest extends DispatchPortContract {
  @Autowired
  DispatchService service;

  @Override
  protected DispatchPort dispatch() {
    return service;
  }

  /** There is no anonymous, trusted caller any more: every report names an executor. */
  @Test
  void aReportWithoutAnExecutorIsAProgrammingError() {
    LeaseRef ref = new LeaseRef(1, 1);
    assertThatThrownBy(() -> service.report(null, ref, 1, Map.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> service.complete(null, ref, Map.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> service.fail(null, ref, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> service.finish(null, List.of())).isInstanceOf(NullPointerException.class);
  }
}
