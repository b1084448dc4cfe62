package io.sextant.api.dispatch;

import io.sextant.evaluators.executor.ExecutorInfo;
import io.sextant.evaluators.executor.ExecutorNode;
import io.sextant.evaluators.executor.ExecutorSettings;
import io.sextant.evaluators.spi.Evaluators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The executor that runs inside search-api (on by default): the same {@link ExecutorNode} as a remote node, talking
 * to {@link DispatchService} directly instead of over REST. Slots default to the available cores. It offers
 * evaluators that run programs (the {@code command} evaluator) only with
 * {@code sextant.executor.in-process.allow-commands=true}.
 *
 * <p>It starts leasing once the application is ready (database, migrations, web), drains on stop, and starts again
 * with a fresh node (a new registration) when the context's lifecycle is restarted after a stop, e.g. when Spring's
 * test context cache pauses and resumes a context, or an operator stops and starts the context.
 */
@Component
@ConditionalOnProperty(name = "sextant.executor.in-process.enabled", havingValue = "true", matchIfMissing = true)
public class InProcessExecutor implements SmartLifecycle {
  private static final System.Logger LOG = System.getLogger(InProcessExecutor.class.getName());
  private final DispatchService dispatch;
  private final Evaluators evaluators;
  private final ExecutorInfo info;
  private final ExecutorSettings settings;
  private ExecutorNode node;
  private boolean ready;
  private volatile boolean running;

  public InProcessExecutor(DispatchService dispatch, Evaluators evaluators,
      @Value("${sextant.executor.in-process.slots:0}") int slots,
      @Value("${sextant.executor.work-dir:${java.io.tmpdir}/sextant-work}") String workDir,
      @Value("${sextant.executor.drain-seconds:10}") long drainSeconds,
      @Value("${sextant.executor.in-process.allow-commands:false}") boolean allowCommands,
      @Value("${sextant.executor.in-process.pool:}") String pool) {
    this.dispatch = dispatch;
    // programs a study names run inside the server only when its operator allows it (./sextant run does, on a
    // single-user machine); they run as the server's user with a clean environment
    this.evaluators = allowCommands ? evaluators : evaluators.withoutPrograms();
    int cores = Runtime.getRuntime().availableProcessors();
    if (!pool.isEmpty() && !ExecutorInfo.isPoolName(pool)) {
      throw new IllegalArgumentException("sextant.executor.in-process.pool " + ExecutorInfo.POOL_RULE + " (got '"
          + pool + "')");
    }
    // the default pool unless the operator puts the server's own executor in one
    this.info = new ExecutorInfo("in-process", slots > 0 ? slots : cores, cores, List.of(),
        Map.of("in-process", "true"), List.of(), pool.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of(pool));
    this.settings = ExecutorSettings.of(
            Duration.ofMillis((long) (dispatch.leaseSeconds() * 1000)), Path.of(workDir))
        .withDrainGrace(Duration.ofSeconds(drainSeconds));
  }

  /** Starts leasing once the application (database, migrations, web) is fully up. */
  @EventListener(ApplicationReadyEvent.class)
  public synchronized void onReady() {
    ready = true;
    startNode();
  }

  /** Lifecycle start: at context refresh nothing yet (wait for readiness); after a stop, a fresh node. */
  @Override
  public synchronized void start() {
    if (ready) {
      startNode();
    }
  }

  private void startNode() {
    if (running) {
      return;
    }
    node = new ExecutorNode(dispatch, info, evaluators, settings);
    String id = node.start();
    running = true;
    LOG.log(System.Logger.Level.INFO, "in-process executor {0} started with {1} slots", id, node.info().slots());
  }

  @Override
  public synchronized void stop() {
    if (running) {
      running = false;
      node.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the web server and the data source go away (higher phase stops earlier). */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }
}
