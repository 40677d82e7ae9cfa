# Sourced by ./sluice (and read by the launcher's benchmarks): the JVM options of a sluice command.
# `sluice_java_opts <command> [<component>]` prints them, one per line.
#
# Heap bound per command (without one the JVM grows its heap towards a quarter of the machine's
# memory and keeps it: `sluice local` went from 0.5 GB to 4.5 GB resident accepting 45,000 jobs):
#   sluice local / demo         -Xmx1g   (every component, Kafka and the simulator in one JVM)
#   sluice serve <component>    -Xmx512m (one component; fits a 1 GiB container limit)
#   sluice simulator            -Xmx512m
#   client commands             -Xmx256m
# G1 with a low MaxHeapFreeRatio and a periodic collection hands memory back to the OS when the
# load is gone. Overrides:
#   SLUICE_HEAP=2g              another heap bound for this command
#   SLUICE_JAVA_OPTS='...'      any JVM options, added last (so they win; a -XX:+Use...GC there
#                               replaces the default collector and its settings)
# Class data sharing: with SLUICE_CDS_ARCHIVE set (./sluice sets it for local, demo and serve, under
# launcher/target/sluice/cds), the JVM keeps the classes it loaded in that archive when it exits
# cleanly and maps them at the next start instead of reading, parsing and verifying them from ~200
# jars again: job-api's start (Micronaut, Netty) went from ~6.5 s to ~1.7 s after Kafka in a
# restart. A stale or missing archive is rebuilt at the next clean exit. SLUICE_CDS_ARCHIVE=off:
# none.

sluice_default_heap() {
  case "${1:-}" in
    local|demo) echo 1g ;;
    serve|simulator) echo 512m ;;
    *) echo 256m ;;
  esac
}

sluice_java_opts() {
  local heap="${SLUICE_HEAP:-$(sluice_default_heap "${1:-}")}"
  local user_opts="${SLUICE_JAVA_OPTS:-}"
  echo "-Xmx$heap"
  echo "-Xss1m"
  case " $user_opts " in
    *" -XX:+Use"*"GC "*) ;;
    *)
      echo "-XX:+UseG1GC"
      echo "-XX:MinHeapFreeRatio=10"
      echo "-XX:MaxHeapFreeRatio=30"
      echo "-XX:G1PeriodicGCInterval=60000"
      ;;
  esac
  case "${1:-}" in
    local|demo|serve)
      if [ -n "${SLUICE_CDS_ARCHIVE:-}" ] && [ "$SLUICE_CDS_ARCHIVE" != off ]; then
        echo "-XX:+AutoCreateSharedArchive"
        echo "-XX:SharedArchiveFile=$SLUICE_CDS_ARCHIVE"
        echo "-Xlog:cds*=off"
        echo "-Xlog:aot*=off"
      fi
      ;;
  esac
  local opt
  for opt in $user_opts; do
    echo "$opt"
  done
}
