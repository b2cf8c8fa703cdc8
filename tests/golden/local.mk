# Whole-screen golden tests: each view drawn with no terminal, compared with
# the screens in tests/golden/expected (tests/golden/run.sh says how).
TESTS += tests/golden/run.sh
EXTRA_DIST += tests/golden/run.sh tests/golden/cluster.yaml tests/golden/expected
