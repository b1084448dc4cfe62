# Image for compose.yaml: the search-api fat jar on Java 25 with the system OpenBLAS that Smile needs.
# Build the jar first: ./sextant build
FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends libopenblas0 && rm -rf /var/lib/apt/lists/*
COPY search-api/target/sextant.jar /opt/sextant/sextant.jar
EXPOSE 8080
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/sextant/sextant.jar"]
