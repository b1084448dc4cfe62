package io.sextant.api.fault;

import io.sextant.api.fault.FaultSupport.Executor;
import io.sextant.api.fault.FaultSupport.Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every test with real executor processes holds: a work directory, the server it started and the executor
 * processes it spawned, all stopped after each test whatever happened.
 */
abstract class ProcessTestBase {
  @TempDir
  Path dir;

  Server server;
  final List<Executor> executors = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws Exception {
    for (Executor e : executors) {
      e.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
