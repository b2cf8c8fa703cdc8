# make bench: measurements side by side with kubectl (or the tool users
# would otherwise run), never part of make check.
bench: bench-local bench-sim bench-soak bench-term
bench: bench-sets
.PHONY: bench-local bench-sim bench-soak bench-term

# memsample runs a program and samples its PSS (the kernel keeps a
# high-water mark of RSS only). Built for make bench alone, without the
# sanitizers: it must cost the program it measures as little as it can.
EXTRA_PROGRAMS += tests/bench/memsample
tests_bench_memsample_SOURCES = tests/bench/memsample.c
tests_bench_memsample_CFLAGS = $(WARN_CFLAGS)
tests_bench_memsample_LDFLAGS =
CLEANFILES += tests/bench/memsample

# podscope get/watch against kubectl on the simulator's load scenario.
bench-local: podscope podscope-sim tests/bench/memsample
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  MEMSAMPLE=./tests/bench/memsample $(SHELL) $(srcdir)/tests/bench/bench_get.sh

# The simulator's load table.
bench-sim: podscope-sim
	PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' $(SHELL) $(srcdir)/tests/bench/sim_bench.sh

# The wallboard's memory over a long run.
bench-soak: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim $(SHELL) $(srcdir)/tests/bench/soak_wallboard.sh

# Bytes to the terminal against watch kubectl, and the dashboard's CPU
# under churn.
bench-term: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim $(SHELL) $(srcdir)/tests/bench/bench_term.sh

EXTRA_DIST += tests/bench/bench_term.sh tests/bench/bench_get.sh tests/bench/sim_bench.sh tests/bench/soak_wallboard.sh

# podscope get against kubectl on settled StatefulSets and DaemonSets.
.PHONY: bench-sets
bench-sets: podscope podscope-sim tests/bench/memsample
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  MEMSAMPLE=./tests/bench/memsample $(SHELL) $(srcdir)/tests/bench/bench_sets.sh
EXTRA_DIST += tests/bench/bench_sets.sh tests/bench/lib.sh

# podscope logs -f against kubectl logs -f on a 10,000 lines/s pod: memory stays under the cap.
.PHONY: bench-logs
bench: bench-logs
bench-logs: podscope podscope-sim tests/bench/memsample
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  MEMSAMPLE=./tests/bench/memsample $(SHELL) $(srcdir)/tests/bench/bench_logs.sh
EXTRA_DIST += tests/bench/bench_logs.sh
# The rollout ETA against the true end (issue 13), ten simulated rollouts.
.PHONY: bench-eta
bench: bench-eta
bench-eta: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  $(SHELL) $(srcdir)/tests/bench/bench_eta.sh
EXTRA_DIST += tests/bench/bench_eta.sh

# The process floor of Debian's two libcurl flavours (issue 12's DaemonSet
# rows): what loading and initialising each costs before any data.
EXTRA_PROGRAMS += tests/bench/libfloor
tests_bench_libfloor_SOURCES = tests/bench/libfloor.c
tests_bench_libfloor_CFLAGS = $(WARN_CFLAGS)
tests_bench_libfloor_LDADD = -ldl
CLEANFILES += tests/bench/libfloor
.PHONY: bench-floor
bench: bench-floor
bench-floor: tests/bench/libfloor
	./tests/bench/libfloor libcurl.so.4 libcurl-gnutls.so.4

# Many clusters (issue 14): podscope get on five simulated clusters against one.
.PHONY: bench-fleet
bench: bench-fleet
bench-fleet: podscope podscope-sim tests/bench/memsample
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  MEMSAMPLE=./tests/bench/memsample $(SHELL) $(srcdir)/tests/bench/bench_fleet.sh
EXTRA_DIST += tests/bench/bench_fleet.sh
