# Tests, all run by `make check`: tests/unit (Check programs that start
# nothing), tests/integration (Check programs and scripts against
# podscope-sim, servers and processes), tests/tui (the screen, in tmux),
# tests/golden (whole screens against saved ones), tests/holdout (cases from
# Kubernetes' own tests), tests/hostile (a hostile cluster and hostile
# files), tests/fuzz; tests/lib is their library. Benchmarks: tests/bench
# (`make bench`, not in check).
include tests/lib/local.mk
include tests/unit/local.mk
include tests/integration/local.mk
include tests/fuzz/local.mk
include tests/tui/local.mk
include tests/golden/local.mk
include tests/holdout/local.mk
include tests/hostile/local.mk
include tests/bench/local.mk
