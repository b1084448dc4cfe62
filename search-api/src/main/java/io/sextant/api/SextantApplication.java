package io.sextant.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Sextant service: studies and trials over REST, server-side search, dispatch to executors, web UI at /. */
@SpringBootApplication
@EnableScheduling
public class SextantApplication {
  public static void main(String[] args) {
    SpringApplication.run(SextantApplication.class, args);
  }
}
