# Sourced by ./sluice, ./run-tests and .ci/run: selects a JDK 21+ and exports JAVA_HOME.
# Order: $JAVA_HOME if it is 21+, then `java` on the PATH, then JDKs under /usr/lib/jvm and
# /opt (newest first). Fails with a message saying what to install.

sluice_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

sluice_find_jdk() {
  local candidate major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ /opt/*jdk*/ /opt/java/*/ 2>/dev/null | sort -rV); do
    candidates+=("${candidate%/}")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(sluice_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "Sluice needs a JDK 21 or newer and found none (looked at JAVA_HOME, java on the PATH," >&2
  echo "/usr/lib/jvm and /opt). Install one, e.g. 'apt-get install openjdk-21-jdk-headless'," >&2
  echo "or point JAVA_HOME at it." >&2
  return 1
}

sluice_find_jdk
