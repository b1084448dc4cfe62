# Image for compose.yaml: the search-api fat jar on Java 25 with the system OpenBLAS that Smile needs.
# Build the jar first: ./sextant build
FROM eclipse-temurin:25-jre
# Smile looks up the unversioned libopenblas.so, which only libopenblas-dev ships: link it to the runtime's .so.0
# (without it the GP's LAPACK Cholesky falls back to pure Java with a warning).
RUN apt-get update && apt-get install -y --no-install-recommends libopenblas0 && rm -rf /var/lib/apt/lists/* \
    && ln -sf libopenblas.so.0 "/usr/lib/$(uname -m)-linux-gnu/libopenblas.so"
COPY search-api/target/sextant.jar /opt/sextant/sextant.jar
EXPOSE 8080
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/sextant/sextant.jar"]
