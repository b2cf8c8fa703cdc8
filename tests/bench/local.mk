# make bench: measurements side by side with kubectl (or the tool users
# would otherwise run), never part of make check.
bench: bench-local bench-sim bench-soak
.PHONY: bench-local bench-sim bench-soak

# podscope get/watch against kubectl on the simulator's load scenario.
bench-local: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' \
	  $(SHELL) $(srcdir)/tests/bench/bench_get.sh

# The simulator's load table.
bench-sim: podscope-sim
	PODSCOPE_SIM=./podscope-sim KUBECTL='$(KUBECTL)' $(SHELL) $(srcdir)/tests/bench/sim_bench.sh

# The wallboard's memory over a long run.
bench-soak: podscope podscope-sim
	PODSCOPE=./podscope PODSCOPE_SIM=./podscope-sim $(SHELL) $(srcdir)/tests/bench/soak_wallboard.sh

EXTRA_DIST += tests/bench/bench_get.sh tests/bench/sim_bench.sh tests/bench/soak_wallboard.sh
