package io.sextant.api.config;

import io.sextant.engine.designer.Designers;
import io.sextant.evaluators.spi.Evaluators;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import java.util.List;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.yaml.JacksonYamlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registries of installed designers and evaluators (ServiceLoader), and YAML request bodies. */
@Configuration(proxyBeanMethods = false)
public class CoreConfig {
  @Bean
  Designers designers() {
    return Designers.load();
  }

  @Bean
  Evaluators evaluators() {
    return Evaluators.load();
  }

  /**
   * Search spaces are often written by hand: accept application/yaml wherever JSON is accepted. Added last, so JSON
   * stays the default response type; a client gets YAML only by asking for it.
   */
  @Bean
  WebMvcConfigurer yamlBodies() {
    return new WebMvcConfigurer() {
      @Override
      public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.add(new JacksonYamlHttpMessageConverter());
      }
    };
  }
}
