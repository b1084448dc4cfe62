# Usage: python3 benchmarks/jfr_libraries.py server.jfr (a recording from SEXTANT_BENCH_JFR=DIR ./sextant bench-throughput)
# Request-handling samples (tomcat-handler threads) by the library of the innermost non-JDK frame ("self" by library),
# and inclusive shares for a few libraries
import subprocess, sys, re, collections
f = sys.argv[1]
out = subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr", "print", "--events", "jdk.ExecutionSample",
                      "--stack-depth", "300", f], capture_output=True, text=True).stdout
groups = [("Hibernate", r"org\.hibernate\."), ("Spring Data JPA", r"org\.springframework\.data\."),
          ("Spring tx/orm", r"org\.springframework\.(transaction|orm)\."),
          ("Spring JDBC", r"org\.springframework\.jdbc\."),
          ("Spring Security", r"org\.springframework\.security\."),
          ("Spring MVC/web", r"org\.springframework\.(web|http)\."),
          ("Spring other", r"org\.springframework\."),
          ("Tomcat", r"org\.apache\.(catalina|coyote|tomcat)\."), ("pgJDBC", r"org\.postgresql\."),
          ("HikariCP", r"com\.zaxxer\.hikari\."), ("Jackson", r"(tools\.jackson|com\.fasterxml\.jackson)\."),
          ("Micrometer", r"io\.micrometer\."), ("sextant api", r"io\.sextant\.api\."),
          ("sextant engine", r"io\.sextant\.engine\."), ("Spring Boot loader", r"org\.springframework\.boot\.loader")]
def group(fr):
    for name, rx in groups:
        if re.match(rx, fr):
            return name
    return None
events = out.split("jdk.ExecutionSample")
n = 0; self_ = collections.Counter(); incl = collections.Counter()
for e in events[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', e)
    if not m or "tomcat-handler" not in m.group(1):
        continue
    frames = re.findall(r"^\s+([\w$.<>]+)\(", e, re.M)
    if not frames:
        continue
    n += 1
    g = None
    for fr in frames:
        if re.match(r"(java|javax|jdk|sun|com\.sun)\.", fr):
            continue
        g = group(fr) or fr.rsplit(".", 2)[0]
        break
    self_[g or "JDK only"] += 1
    seen = set(filter(None, (group(fr) for fr in frames)))
    for s in seen:
        incl[s] += 1
print(f"{n} samples on request threads; self by library (innermost non-JDK frame):")
for k, v in self_.most_common(14):
    print(f"  {100*v/n:5.1f}% {k}")
print("inclusive: " + ", ".join(f"{k} {100*incl[k]/n:.0f}%" for k in ["Hibernate", "Spring Data JPA", "Spring tx/orm", "Spring JDBC", "pgJDBC", "Jackson", "Micrometer", "Spring Security", "Tomcat"]))
