# Shared by the bin/ scripts: pick a JDK of version 21 or newer, and build the jar when needed.
# shellcheck shell=bash

STACKTICIAN_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACKTICIAN_JAR="$STACKTICIAN_HOME/stacktician-cli/target/stacktician.jar"

java_major() { # prints the major version of the java binary given
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1 | cut -d. -f1
}

select_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local j
  for j in /usr/lib/jvm/*; do [ -x "$j/bin/javac" ] && candidates+=("$j"); done
  local best="" best_major=0 major
  for j in "${candidates[@]}"; do
    [ -x "$j/bin/java" ] && [ -x "$j/bin/javac" ] || continue
    major=$(java_major "$j/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$j; best_major=$major; fi
    # A JAVA_HOME that is new enough wins over newer ones in /usr/lib/jvm.
    if [ "$j" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best=$j; break; fi
  done
  if [ -z "$best" ]; then
    echo "error: Stacktician needs a JDK of version 21 or newer; none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "       Install one (for example Temurin 21+) and set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's bundled Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every build.
  if [ "$best_major" -ge 24 ] || [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

ensure_jar() { # builds the executable jar when it is missing or older than any source
  local stale=""
  if [ ! -f "$STACKTICIAN_JAR" ]; then
    stale=yes
  elif [ -n "$(find "$STACKTICIAN_HOME" -path "$STACKTICIAN_HOME/*/src/main/*" -newer "$STACKTICIAN_JAR" -type f -print -quit 2>/dev/null)" ] \
    || [ -n "$(find "$STACKTICIAN_HOME" -maxdepth 2 -name pom.xml -newer "$STACKTICIAN_JAR" -print -quit)" ]; then
    stale=yes
  fi
  if [ -n "$stale" ]; then
    command -v mvn >/dev/null || { echo "error: Apache Maven (mvn) is needed to build Stacktician." >&2; exit 1; }
    echo "Building Stacktician (first run or sources changed)..." >&2
    (cd "$STACKTICIAN_HOME" && mvn -q -B -DskipTests -Dmaven.javadoc.skip=true package -pl stacktician-cli -am) >&2 \
      || { echo "error: the build failed (see above)." >&2; exit 1; }
  fi
}

# run_jar TOOL ARGS...: runs the executable jar as TOOL (stackmate or stacktician). The JVM keeps a
# class-data archive (AppCDS) per subcommand beside the jar: the first run of a subcommand writes
# what it loaded when it exits, later runs map it and start in about half the time. An archive is named after the jar's build and
# the exact JDK, since the JVM refuses (noisily) an archive of another jar; older ones are removed.
# STACKTICIAN_CDS=0 turns it off. JVM messages below errors are off, so only the tool writes stdout.
run_jar() {
  local tool=$1; shift
  # shellcheck disable=SC2206 # options are words, as JAVA_OPTS conventionally are
  local opts=(${STACKTICIAN_JAVA_OPTS:-} "-Dstacktician.tool=$tool")
  local dir command=default arg jdk archive old
  dir="$(dirname "$STACKTICIAN_JAR")/cds"
  if [ "${STACKTICIAN_CDS:-1}" != 0 ] && mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    for arg in "$@"; do # the subcommand: the first word that is not an option
      case "$arg" in -*) ;; *) [[ "$arg" =~ ^[a-z][a-z-]{0,40}$ ]] && command=$arg; break ;; esac
    done
    jdk=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null | tr -c 'A-Za-z0-9.\n' '_')
    archive="$dir/$tool-$command@${jdk:-unknown}-$(stat -c '%Y-%s' "$STACKTICIAN_JAR").jsa"
    for old in "$dir/$tool-$command"@*.jsa; do
      [ "$old" = "$archive" ] || rm -f "$old"
    done
    # VerifySharedSpaces checks the archive's checksums, in case two first runs wrote it at once.
    opts+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive" -XX:+VerifySharedSpaces)
  fi
  exec "$JAVA_HOME/bin/java" "${opts[@]}" -Xlog:disable -Xlog:all=error:stderr -jar "$STACKTICIAN_JAR" "$@"
}
